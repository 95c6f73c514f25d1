package dev.harp.integration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.replay.Latency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.harp.integration.HandMadeHar.content;
import static dev.harp.integration.HandMadeHar.header;
import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/** How replayed responses are served: bodies large and chunked, HTTP/2, latency, concurrency, odd recorded values. */
class ReplayServingTest {
    @TempDir
    Path dir;

    private HarpServer replay(HandMadeHar har) throws Exception {
        return Proxied.harp(Mode.REPLAY, har.write(dir.resolve("serving.har"))).start();
    }

    @Test
    void aLargeBinaryBodyArrivesIntact() throws Exception {
        byte[] big = new byte[6 * 1024 * 1024 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 131 + (i >>> 11));
        }
        HandMadeHar h = new HandMadeHar();
        content(h.entry("GET", "http://big.test/blob", 200, "application/octet-stream", Base64.getEncoder().encodeToString(big)))
                .put("encoding", "base64");
        try (HarpServer harp = replay(h)) {
            HttpResponse<byte[]> r = get(Proxied.client(harp), "http://big.test/blob");
            assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(big.length));
            assertThat(r.body()).isEqualTo(big);
        }
    }

    @Test
    void chunkedAndExpectContinueRequestBodiesMatch() throws Exception {
        HandMadeHar h = new HandMadeHar();
        HandMadeHar.postData(h.entry("POST", "http://body.test/upload", 201, "text/plain", "stored"), "text/plain",
                "x".repeat(50_000));
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            byte[] body = "x".repeat(50_000).getBytes(StandardCharsets.UTF_8);
            HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://body.test/upload")).timeout(Proxied.TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
            HttpResponse<String> r = c.send(chunked, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(r.body()).isEqualTo("stored");
            HttpRequest expect = HttpRequest.newBuilder(URI.create("http://body.test/upload")).timeout(Proxied.TIMEOUT)
                    .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> e = c.send(expect, HttpResponse.BodyHandlers.ofString());
            assertThat(e.statusCode()).as(e.body()).isEqualTo(201);
            assertThat(e.body()).isEqualTo("stored");
        }
    }

    @Test
    void http2InsideTheTunnel() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ObjectNode e = h.entry("GET", "https://h2.test/data", 200, "application/json", "{\"over\":\"h2\"}");
        header(e, "response", "Content-Length", "999");
        header(e, "response", "Connection", "keep-alive");
        header(e, "response", "Transfer-Encoding", "chunked");
        h.entry("GET", "https://h2.test/none", 204, null, null);
        HandMadeHar.postData(h.entry("POST", "https://h2.test/graphql", 200, "application/json", "{\"data\":{\"a\":1}}"),
                "application/json", "{\"query\":\"{ a }\",\"variables\":{}}");
        try (HarpServer harp = replay(h)) {
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .proxy(ProxySelector.of(harp.address())).sslContext(Proxied.trusting(harp.certificateAuthority()))
                    .connectTimeout(Proxied.TIMEOUT).build();
            HttpResponse<byte[]> r = get(h2, "https://h2.test/data");
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("{\"over\":\"h2\"}");
            HttpResponse<byte[]> post = Proxied.send(h2, "POST", "https://h2.test/graphql",
                    "{\"variables\":{},\"query\":\"{ a }\"}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
            assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(text(post)).isEqualTo("{\"data\":{\"a\":1}}");
            HttpResponse<byte[]> none = get(h2, "https://h2.test/none");
            assertThat(none.statusCode()).isEqualTo(204);
            HttpResponse<byte[]> miss = get(h2, "https://h2.test/missing");
            assertThat(miss.statusCode()).isEqualTo(502);
            assertThat(miss.headers().firstValue("harp-miss")).hasValue("GET https://h2.test/missing");
        }
    }

    @Test
    void fixedLatencyDelaysAnswersWithoutBlockingOthers() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "http://slow.test/", 200, "text/plain", "late");
        HandMadeHar.postData(h.entry("POST", "http://slow.test/post", 200, "text/plain", "late post"), "text/plain", "body");
        Path file = h.write(dir.resolve("slow.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, file).latency(Latency.fixed(Duration.ofMillis(500))).start()) {
            HttpClient c = Proxied.client(harp);
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            int parallel = 16;
            for (int i = 0; i < parallel; i++) {
                all.add(c.sendAsync(HttpRequest.newBuilder(URI.create("http://slow.test/")).timeout(Proxied.TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : all) {
                assertThat(f.get(10, TimeUnit.SECONDS).body()).isEqualTo("late");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            // answered one after another, they would take 16 x 500 ms = 8 s whatever the machine; in parallel ~0.5 s,
            // so the bound leaves seconds for a loaded machine and still fails on serialized answers
            assertThat(millis).as("delayed").isGreaterThanOrEqualTo(500)
                    .as("in parallel, not one after another (%d x 500 ms)", parallel).isLessThan(parallel * 500L);
            long postStart = System.nanoTime();
            HttpResponse<byte[]> post = Proxied.send(c, "POST", "http://slow.test/post", "body".getBytes(StandardCharsets.UTF_8));
            assertThat(text(post)).isEqualTo("late post");
            assertThat((System.nanoTime() - postStart) / 1_000_000).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void concurrentRequestsEachGetTheirOwnRecordedResponse() throws Exception {
        HandMadeHar h = new HandMadeHar();
        for (int i = 0; i < 40; i++) {
            h.entry("GET", "http://many.test/item/" + i, 200, "text/plain", "item " + i);
        }
        for (int i = 1; i <= 10; i++) {
            h.entry("GET", "http://many.test/seq", 200, "text/plain", "seq " + i);
        }
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            List<CompletableFuture<HttpResponse<String>>> items = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> seq = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                items.add(c.sendAsync(HttpRequest.newBuilder(URI.create("http://many.test/item/" + i)).timeout(Proxied.TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString()));
                if (i < 10) {
                    seq.add(c.sendAsync(HttpRequest.newBuilder(URI.create("http://many.test/seq")).timeout(Proxied.TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
            }
            for (int i = 0; i < 40; i++) {
                assertThat(items.get(i).get(10, TimeUnit.SECONDS).body()).isEqualTo("item " + i);
            }
            List<String> sequence = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : seq) {
                sequence.add(f.get(10, TimeUnit.SECONDS).body());
            }
            // served concurrently: each recorded response of the sequence exactly once
            assertThat(sequence).containsExactlyInAnyOrder("seq 1", "seq 2", "seq 3", "seq 4", "seq 5", "seq 6", "seq 7",
                    "seq 8", "seq 9", "seq 10");
            assertThat(harp.replaySummary().unused()).isZero();
        }
    }

    @Test
    void oddRecordedStatusesAndHeadersAreServedOrCleanedNotCrashedOn() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "http://odd.test/999", 999, "text/plain", "request denied");
        ObjectNode reason = h.entry("GET", "http://odd.test/reason", 200, "text/plain", "reason");
        ((ObjectNode) reason.get("response")).put("statusText", "Très bien\r\nX-Injected: yes");
        ObjectNode names = h.entry("GET", "http://odd.test/names", 200, "text/plain", "names");
        header(names, "response", "X Bad Name", "v");
        header(names, "response", "", "empty name");
        header(names, "response", "Zażółć", "non-ASCII name");
        header(names, "response", "X-Good", "kept");
        ObjectNode values = h.entry("GET", "http://odd.test/values", 200, "text/plain", "values");
        header(values, "response", "X-Split", "a\r\nX-Injected: yes");
        header(values, "response", "Content-Disposition", "attachment; filename=\"żółw.txt\"");
        header(values, "response", "X-Good", "kept");
        try (HarpServer harp = replay(h)) {
            Proxied.RawResponse status = Proxied.raw(harp, "GET", "http://odd.test/999");
            assertThat(status.status()).isEqualTo(999);
            assertThat(new String(status.body(), StandardCharsets.UTF_8)).isEqualTo("request denied");

            Proxied.RawResponse r = Proxied.raw(harp, "GET", "http://odd.test/reason");
            assertThat(r.statusLine()).startsWith("HTTP/1.1 200 Tr");
            assertThat(r.headerLines()).noneMatch(l -> l.startsWith("X-Injected"));
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("reason");

            Proxied.RawResponse n = Proxied.raw(harp, "GET", "http://odd.test/names");
            assertThat(n.status()).isEqualTo(200);
            assertThat(n.values("X-Good")).containsExactly("kept");
            assertThat(n.headerLines()).allMatch(l -> l.matches("[A-Za-z0-9-]+: .*"));
            assertThat(new String(n.body(), StandardCharsets.UTF_8)).isEqualTo("names");

            Proxied.RawResponse v = Proxied.raw(harp, "GET", "http://odd.test/values");
            assertThat(v.status()).isEqualTo(200);
            assertThat(v.headerLines()).noneMatch(l -> l.startsWith("X-Injected"));
            assertThat(v.values("X-Split")).containsExactly("a  X-Injected: yes");
            assertThat(v.values("X-Good")).containsExactly("kept");
            // sent as the UTF-8 bytes the server sent, not cut to one byte per character
            assertThat(new String(v.values("Content-Disposition").get(0).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
                    .isEqualTo("attachment; filename=\"żółw.txt\"");
            assertThat(new String(v.body(), StandardCharsets.UTF_8)).isEqualTo("values");
        }
    }
}
