package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.replay.Miss;
import dev.harp.replay.ReplaySummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.send;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/** A miss through a real Harp: 502, Harp-Miss, a body that explains it, and the API's bookkeeping. */
class ReplayMissTest {
    @TempDir
    Path dir;

    @Test
    void aMissIsA502ThatNamesTheRequestTheHarAndTheClosestEntry() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "http://api.test/users?page=1", 200, "application/json", "[{\"id\":1}]");
        HandMadeHar.postData(h.entry("POST", "http://api.test/users", 201, "application/json", "{\"id\":2}"),
                "application/json", "{\"name\":\"ada\"}");
        h.entry("GET", "http://api.test/health", 200, "text/plain", "ok");
        Path har = h.write(dir.resolve("api.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            HttpClient c = Proxied.client(harp);
            assertThat(harp.replaySummary()).isEqualTo(new ReplaySummary(3, 0, 0, 3));

            HttpResponse<byte[]> miss = get(c, "http://api.test/users?page=2");
            assertThat(miss.statusCode()).isEqualTo(502);
            assertThat(miss.headers().firstValue("Harp-Miss")).hasValue("GET http://api.test/users?page=2");
            assertThat(miss.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            String body = text(miss);
            assertThat(body)
                    .contains("GET http://api.test/users?page=2")
                    .contains(har.toString())
                    .contains("entry #0: GET http://api.test/users?page=1")
                    .contains("page");

            HttpResponse<byte[]> post = send(c, "POST", "http://api.test/users", "{\"name\":\"bob\"}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json");
            assertThat(post.statusCode()).isEqualTo(502);
            assertThat(text(post)).contains("POST http://api.test/users").contains("entry #1").contains("bob").contains("ada");

            HttpResponse<byte[]> hit = get(c, "http://api.test/users?page=1");
            assertThat(hit.statusCode()).isEqualTo(200);
            assertThat(text(hit)).isEqualTo("[{\"id\":1}]");

            assertThat(harp.misses()).hasSize(2);
            Miss first = harp.misses().get(0);
            assertThat(first.request().url()).isEqualTo("http://api.test/users?page=2");
            assertThat(first.reason()).isEqualTo(Miss.Reason.NO_MATCH);
            assertThat(first.closest()).isNotEmpty();
            assertThat(first.closest().get(0).recorded().url()).isEqualTo("http://api.test/users?page=1");
            assertThat(first.describe()).contains("page");
            assertThat(harp.replaySummary()).isEqualTo(new ReplaySummary(3, 1, 2, 2));
            assertThat(harp.replaySummary().describe()).isEqualTo("1 hit, 2 misses, 2 of 3 recorded entries unused");
        }
    }

    @Test
    void anEmptyHarMissesEverythingAndSaysSo() throws Exception {
        Path har = new HandMadeHar().write(dir.resolve("empty.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            HttpResponse<byte[]> miss = get(Proxied.client(harp), "http://api.test/anything");
            assertThat(miss.statusCode()).isEqualTo(502);
            assertThat(miss.headers().firstValue("Harp-Miss")).hasValue("GET http://api.test/anything");
            assertThat(text(miss)).contains("GET http://api.test/anything").contains(har.toString()).contains("no entries");
            assertThat(harp.misses()).singleElement().extracting(Miss::reason).isEqualTo(Miss.Reason.EMPTY_INDEX);
        }
    }

    @Test
    void replayMissingHarServesNothingAndNamesTheFileNotYetRecorded() throws Exception {
        Path har = dir.resolve("later/never-recorded.har");
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).replayMissingHar(true).start()) {
            HttpResponse<byte[]> miss = get(Proxied.client(harp), "http://api.test/users");

            assertThat(miss.statusCode()).isEqualTo(502);
            assertThat(text(miss)).startsWith("Harp replay miss: no recorded response in " + har + " for this request.");
            assertThat(harp.misses()).singleElement().extracting(Miss::reason).isEqualTo(Miss.Reason.EMPTY_INDEX);
            assertThat(harp.har()).isEqualTo(har);
        }
        assertThat(har).doesNotExist();
        assertThat(har.getParent()).doesNotExist();
    }
}
