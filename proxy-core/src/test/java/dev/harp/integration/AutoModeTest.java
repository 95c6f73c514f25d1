package dev.harp.integration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.TestUpstream;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Auto mode through a real Harp: replay what is recorded, forward and append what is not; replay only on CI. */
class AutoModeTest {
    @TempDir
    Path dir;

    @Test
    void recordsWhatIsMissingKeepsWhatIsThereAndReplaysBothNextTime() throws Exception {
        Path har = dir.resolve("auto.har");
        JsonNode oldEntry;
        try (TestUpstream upstream = TestUpstream.start()) {
            try (HarpServer recording = Proxied.harp(Mode.RECORD, har).start()) {
                assertThat(text(get(Proxied.client(recording), upstream.url("/hello")))).isEqualTo("hello harp\n");
            }
            oldEntry = entries(har).get(0);
            assertThat(entries(har)).hasSize(1);
            int before = upstream.requests();

            try (HarpServer auto = Proxied.harp(Mode.AUTO, har).start()) {
                assertThat(auto.mode().effective()).isEqualTo(Mode.AUTO);
                HttpClient c = Proxied.client(auto);
                assertThat(text(get(c, upstream.url("/hello")))).isEqualTo("hello harp\n");
                assertThat(upstream.requests()).as("a recorded request is replayed").isEqualTo(before);
                HttpResponse<byte[]> fresh = get(c, upstream.url("/json"));
                assertThat(fresh.statusCode()).isEqualTo(200);
                assertThat(text(fresh)).contains("żółw");
                assertThat(upstream.requests()).as("a missing request is forwarded").isEqualTo(before + 1);
                // recorded just now, so replayable at once
                assertThat(text(get(c, upstream.url("/json")))).contains("żółw");
                assertThat(upstream.requests()).isEqualTo(before + 1);
            }
            JsonNode entries = entries(har);
            assertThat(entries).hasSize(2);
            assertThat(entries.get(0)).as("the old entry is unchanged").isEqualTo(oldEntry);
            assertThat(entries.get(1).get("request").get("url").asText()).isEqualTo(upstream.url("/json"));
        }
        // the upstream is gone: a second auto run replays both
        try (HarpServer auto = Proxied.harp(Mode.AUTO, har).start()) {
            HttpClient c = Proxied.client(auto);
            String base = entries(har).get(0).get("request").get("url").asText().replace("/hello", "");
            assertThat(text(get(c, base + "/hello"))).isEqualTo("hello harp\n");
            assertThat(text(get(c, base + "/json"))).isEqualTo("{\"name\":\"harp\",\"unicode\":\"żółw 🐢\"}");
            assertThat(auto.replaySummary().hits()).isEqualTo(2);
            assertThat(auto.misses()).isEmpty();
        }
        assertThat(entries(har)).hasSize(2);
    }

    /**
     * New entries are made replayable on the converter thread; a request repeated the moment its answer arrives must
     * still be a hit (a miss waits for the flows being converted), from several clients at once, with and without a
     * body: exactly one upstream request and one entry per distinct request.
     */
    @Test
    void aRequestRepeatedAsSoonAsItsAnswerArrivesIsAHitWhileRecordingIsStillConverting() throws Exception {
        Path har = dir.resolve("repeat.har");
        int clients = 8;
        int each = 40;
        try (TestUpstream upstream = TestUpstream.start();
             HarpServer auto = Proxied.harp(Mode.AUTO, har).start()) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
            try {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        HttpClient http = Proxied.client(auto);
                        for (int i = 0; i < each; i++) {
                            String url = upstream.url("/query?client=" + client + "&n=" + i);
                            assertThat(text(get(http, url))).isEqualTo("query=client=" + client + "&n=" + i + "\n");
                            assertThat(text(get(http, url))).isEqualTo("query=client=" + client + "&n=" + i + "\n");
                            java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(upstream.url("/echo"))).timeout(java.time.Duration.ofSeconds(20))
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("body " + client + " " + i))
                                    .build();
                            for (int twice = 0; twice < 2; twice++) {
                                HttpResponse<String> echoed = http.send(post, HttpResponse.BodyHandlers.ofString());
                                assertThat(echoed.body()).isEqualTo("body " + client + " " + i);
                            }
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(upstream.requests()).as("each distinct request forwarded once").isEqualTo(clients * each * 2);
            assertThat(auto.replaySummary().hits()).as("each repeat a hit").isEqualTo(clients * each * 2);
        }
        assertThat(entries(har)).as("each distinct request recorded once").hasSize(clients * each * 2);
    }

    @Test
    void onCiAutoActsAsReplayMissesAre502AndNothingIsAppended() throws Exception {
        Path har = dir.resolve("ci.har");
        try (TestUpstream upstream = TestUpstream.start()) {
            try (HarpServer recording = Proxied.harp(Mode.RECORD, har).start()) {
                get(Proxied.client(recording), upstream.url("/hello"));
            }
            byte[] before = Files.readAllBytes(har);
            int requests = upstream.requests();
            try (HarpServer ci = Proxied.harp(Mode.AUTO, har).environment(Map.of("CI", "true")).start()) {
                assertThat(ci.mode().requested()).isEqualTo(Mode.AUTO);
                assertThat(ci.mode().effective()).isEqualTo(Mode.REPLAY);
                HttpClient c = Proxied.client(ci);
                assertThat(text(get(c, upstream.url("/hello")))).isEqualTo("hello harp\n");
                HttpResponse<byte[]> miss = get(c, upstream.url("/bytes"));
                assertThat(miss.statusCode()).isEqualTo(502);
                assertThat(miss.headers().firstValue("Harp-Miss")).hasValue("GET " + upstream.url("/bytes"));
                assertThat(ci.misses()).hasSize(1);
            }
            assertThat(upstream.requests()).as("nothing forwarded on CI").isEqualTo(requests);
            assertThat(Files.readAllBytes(har)).as("nothing appended on CI").isEqualTo(before);
        }
    }

    @Test
    void appendingToAnotherToolsHarKeepsItsEntriesAsTheyWere() throws Exception {
        Path har = Files.copy(Prerequisites.harCorpus().resolve("chrome-h3-redirect-failed.har"), dir.resolve("chrome.har"));
        appendsOneEntryKeepingTheRest(har);
    }

    /**
     * Auto mode, asked for one unrecorded request, appends exactly one entry (for {@code /hello}) to another tool's
     * HAR and leaves its entries, pages and creator as they were.
     *
     * @return the file's JSON after the append
     */
    static JsonNode appendsOneEntryKeepingTheRest(Path har) throws Exception {
        JsonNode before = ForeignHarReplayTest.readJson(har);
        try (TestUpstream upstream = TestUpstream.start();
             HarpServer auto = Proxied.harp(Mode.AUTO, har).start()) {
            assertThat(text(get(Proxied.client(auto), upstream.url("/hello")))).isEqualTo("hello harp\n");
        }
        JsonNode after = ForeignHarReplayTest.readJson(har);
        JsonNode entries = after.get("log").get("entries");
        assertThat(entries).hasSize(before.get("log").get("entries").size() + 1);
        for (int i = 0; i < entries.size() - 1; i++) {
            assertThat(entries.get(i)).as("entry " + i).isEqualTo(before.get("log").get("entries").get(i));
        }
        assertThat(entries.get(entries.size() - 1).get("request").get("url").asText()).endsWith("/hello");
        assertThat(after.get("log").get("pages")).isEqualTo(before.get("log").get("pages"));
        assertThat(after.get("log").get("creator")).isEqualTo(before.get("log").get("creator"));
        return after;
    }

    private static JsonNode entries(Path har) throws Exception {
        return HandMadeHar.JSON.readTree(Files.readString(har)).get("log").get("entries");
    }
}
