package dev.harp.record;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What redaction leaves must still replay (a redacted value, subtree or URL parameter matches any live value), and
 * what Harp logs or answers about a request never shows its secrets.
 */
class RedactedReplayTest {
    @TempDir
    Path dir;

    private static HarpServer start(Mode mode, Path har) throws Exception {
        return HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of()).start();
    }

    private static HttpResponse<byte[]> send(HarpServer harp, String method, String url, byte[] body, String... headers)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void redactedSubtreesUrlParametersAndCompressedBodiesMatchOtherSecretsOnReplay() throws Exception {
        Path har = dir.resolve("login.har");
        String jsonType = "application/json";
        try (ReplyUpstream upstream = ReplyUpstream.start(); HarpServer recorder = start(Mode.RECORD, har)) {
            assertThat(send(recorder, "POST", upstream.url("/login"),
                    utf8("{\"auth\":{\"bearer\":\"one\"},\"next\":\"https://app.test/cb?access_token=t1&x=1\"}"),
                    "Content-Type", jsonType).statusCode()).isEqualTo(200);
            assertThat(send(recorder, "POST", upstream.url("/gz"), RedactionRecordingTest.gzip("{\"password\":\"p1\",\"n\":1}"),
                    "Content-Type", jsonType, "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
            assertThat(send(recorder, "GET", upstream.url("/cb?redirect=" + java.net.URLEncoder.encode(
                    "https://app.test/x?token=q1&page=2", StandardCharsets.UTF_8)), null).statusCode()).isEqualTo(200);
            recorder.close();
            assertThat(Files.readString(har)).doesNotContain("one").doesNotContain("t1").doesNotContain("q1");

            try (HarpServer replay = start(Mode.REPLAY, har)) {
                assertThat(send(replay, "POST", upstream.url("/login"),
                        utf8("{\"auth\":{\"other\":[1,2]},\"next\":\"https://app.test/cb?access_token=t2&x=1\"}"),
                        "Content-Type", jsonType).statusCode()).isEqualTo(200);
                assertThat(send(replay, "POST", upstream.url("/login"),
                        utf8("{\"auth\":{\"other\":[1,2]},\"next\":\"https://app.test/cb?access_token=t2&x=2\"}"),
                        "Content-Type", jsonType).statusCode()).isEqualTo(502);
                assertThat(send(replay, "POST", upstream.url("/gz"), RedactionRecordingTest.gzip("{\"password\":\"p2\",\"n\":1}"),
                        "Content-Type", jsonType, "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
                assertThat(send(replay, "GET", upstream.url("/cb?redirect=" + java.net.URLEncoder.encode(
                        "https://app.test/x?token=q2&page=2", StandardCharsets.UTF_8)), null).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aReplayMissLogsAndAnswersWithoutTheRequestsSecrets() throws Exception {
        Path har = dir.resolve("empty.har");
        try (ReplyUpstream upstream = ReplyUpstream.start(); HarpServer recorder = start(Mode.RECORD, har)) {
            send(recorder, "GET", upstream.url("/a?page=1"), null);
        }
        try (LogCapture logs = LogCapture.start(); HarpServer replay = start(Mode.REPLAY, har)) {
            HttpResponse<byte[]> miss = send(replay, "GET",
                    "http://127.0.0.1:9/a?access_token=miss-tok-1&password=miss-pw-2&page=2", null,
                    "Authorization", "Bearer miss-auth-3");
            assertThat(miss.statusCode()).isEqualTo(502);
            replay.close();
            String answer = new String(miss.body(), StandardCharsets.UTF_8) + miss.headers().map();
            assertThat(logs.stderr()).contains("replay miss").contains("access_token=REDACTED");
            for (String secret : new String[] {"miss-tok-1", "miss-pw-2", "miss-auth-3"}) {
                assertThat(logs.stderr()).doesNotContain(secret);
                assertThat(answer).doesNotContain(secret);
            }
        }
    }

    @Test
    void anUpstreamFailureLogsTheUrlWithoutItsSecrets() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (LogCapture logs = LogCapture.start(); HarpServer recorder = start(Mode.RECORD, dir.resolve("f.har"))) {
            HttpResponse<byte[]> r = send(recorder, "GET",
                    "http://127.0.0.1:" + closed + "/x?access_token=uf-tok-1&password=uf-pw-2", null);
            assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);
            recorder.close();
            assertThat(logs.stderr()).contains("access_token=REDACTED").doesNotContain("uf-tok-1").doesNotContain("uf-pw-2");
        }
    }
}
