package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarReader;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With an upstream base URL, requests to Harp's own address go to that server (no proxy settings needed). */
class ReverseProxyTest {
    @TempDir
    Path dir;

    @Test
    void recordsThenReplaysAsAReverseProxy() throws Exception {
        Path har = dir.resolve("reverse.har");
        HttpClient direct = HttpClient.newHttpClient();
        URI base;
        try (TestUpstream up = TestUpstream.start()) {
            base = URI.create(up.url("/"));
            try (HarpServer harp = HarpServer.builder().mode(Mode.RECORD).har(har).port(0).upstream(base)
                    .environment(Map.of()).systemProperties(Map.of()).start()) {
                HttpResponse<String> r = direct.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + harp.port() + "/query?b=2&a=1")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("query=b=2&a=1\n");
            }
        }
        assertThat(HarReader.read(har).entries().get(0).request().url()).matches("http://127\\.0\\.0\\.1:\\d+/query\\?b=2&a=1");
        // the upstream is gone: replay answers for it from the HAR
        try (HarpServer harp = HarpServer.builder().mode(Mode.REPLAY).har(har).port(0).upstream(base)
                .environment(Map.of()).systemProperties(Map.of()).start()) {
            HttpResponse<String> r = direct.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + harp.port() + "/query?a=1&b=2")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("query=b=2&a=1\n");
        }
    }
}
