package dev.harp.record;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarHeader;
import dev.harp.har.HarReader;
import dev.harp.testing.HarSchema;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Record mode through a real proxy and a real upstream: what the client gets, and what the HAR holds. */
class RecordingTest {
    @TempDir
    Path dir;
    TestUpstream upstream;
    HarpServer harp;
    HttpClient client;
    Path har;

    @BeforeEach
    void start() throws Exception {
        upstream = TestUpstream.start();
        har = dir.resolve("flows.har");
        harp = HarpServer.builder().mode(Mode.RECORD).har(har).port(0)
                .environment(Map.of()).systemProperties(Map.of()).start();
        client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        harp.close();
        upstream.close();
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream.url(path))).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Stops recording and reads the file, which must be strict HAR 1.2 whatever was recorded. */
    private Har closeAndRead() throws Exception {
        harp.close();
        HarSchema.assertValid(Files.readString(har));
        return HarReader.read(har);
    }

    private static HarEntry entry(Har h, String method, String pathSuffix) {
        return h.entries().stream()
                .filter(e -> e.request().method().equals(method) && e.request().url().endsWith(pathSuffix))
                .findFirst().orElseThrow(() -> new AssertionError("no entry " + method + " " + pathSuffix + " in " + h.entries().size()));
    }

    @Test
    void everyMethodIsForwardedAndRecordedWithItsBody() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            byte[] body = ("{\"method\":\"" + method + "\"}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> r = send(method, "/echo", body, "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(body);
            assertThat(r.headers().firstValue("X-Echo-Method")).hasValue(method);
        }
        assertThat(send("HEAD", "/hello", null).statusCode()).isEqualTo(200);
        Har h = closeAndRead();
        HarEntry put = entry(h, "PUT", "/echo");
        assertThat(put.request().postData().text()).isEqualTo("{\"method\":\"PUT\"}");
        assertThat(put.request().postData().mimeType()).isEqualTo("application/json");
        assertThat(put.response().content().text()).isEqualTo("{\"method\":\"PUT\"}");
        assertThat(entry(h, "HEAD", "/hello").response().status()).isEqualTo(200);
        assertThat(h.log().creator().name()).isEqualTo("Harp");
    }

    @Test
    void statusesPassUnchangedAndRedirectsAreNotFollowed() throws Exception {
        for (int status : List.of(201, 302, 404, 418, 500, 503)) {
            assertThat(send("GET", "/status/" + status, null).statusCode()).isEqualTo(status);
        }
        HttpResponse<byte[]> redirect = send("GET", "/redirect", null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/hello");
        Har h = closeAndRead();
        assertThat(entry(h, "GET", "/redirect").response().redirectURL()).isEqualTo("/hello");
        assertThat(entry(h, "GET", "/status/418").response().status()).isEqualTo(418);
    }

    @Test
    void compressedResponsesReachTheClientAsSentAndAreRecordedDecoded() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/gzip", null, "Accept-Encoding", "gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.body()).isEqualTo(TestUpstream.gzip("compressed hello ".repeat(40)));
        Har h = closeAndRead();
        HarEntry e = entry(h, "GET", "/gzip");
        assertThat(e.response().content().text()).isEqualTo("compressed hello ".repeat(40));
        assertThat(e.response().content().size()).isEqualTo(680);
        assertThat(e.response().bodySize()).isEqualTo(r.body().length);
    }

    @Test
    void binaryBodiesAreByteForByteAndBase64InTheHar() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/bytes", null);
        assertThat(r.body()).isEqualTo(TestUpstream.BINARY);
        byte[] upload = new byte[3000];
        for (int i = 0; i < upload.length; i++) {
            upload[i] = (byte) (i * 7 + 1);
        }
        assertThat(send("POST", "/echo", upload, "Content-Type", "application/octet-stream").body()).isEqualTo(upload);
        Har h = closeAndRead();
        HarEntry e = entry(h, "GET", "/bytes");
        assertThat(e.response().content().encoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(e.response().content().text())).isEqualTo(TestUpstream.BINARY);
        HarEntry post = entry(h, "POST", "/echo");
        assertThat(Base64.getDecoder().decode(post.request().postData().text())).isEqualTo(upload);
        assertThat(post.request().postData().extensions().get("encoding").asText()).isEqualTo("base64");
    }

    @Test
    void repeatedResponseHeadersKeepTheirOrder() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/cookies", null);
        assertThat(r.headers().allValues("Set-Cookie")).containsExactly("c1=v1; Path=/", "c2=v2; Path=/", "c3=v3; Path=/");
        Har h = closeAndRead();
        List<String> recorded = entry(h, "GET", "/cookies").response().headers().stream()
                .filter(x -> x.name().equalsIgnoreCase("Set-Cookie")).map(HarHeader::value).toList();
        assertThat(recorded).containsExactly("c1=REDACTED; Path=/", "c2=REDACTED; Path=/", "c3=REDACTED; Path=/");
    }

    @Test
    void chunkedResponsesStreamThrough() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/chunked", null);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n");
        assertThat(entry(closeAndRead(), "GET", "/chunked").response().content().text()).startsWith("chunk 0");
    }

    @Test
    void secretsNeverReachTheFile() throws Exception {
        send("POST", "/echo?api_key=k3y-value&page=2", "{\"password\":\"hunter2\",\"user\":\"ann\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Authorization", "Bearer s3cr3t-token", "Cookie", "session=abc");
        harp.close();
        String text = Files.readString(har);
        assertThat(text).doesNotContain("k3y-value", "hunter2", "s3cr3t-token", "abc\"").contains("api_key=REDACTED");
        assertThat(entry(HarReader.read(har), "POST", "page=2").request().postData().text())
                .isEqualTo("{\"password\":\"REDACTED\",\"user\":\"ann\"}");
    }

    @Test
    void theHarIsWrittenWhileRecordingNotOnlyAtTheEnd() throws Exception {
        send("GET", "/hello", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && !(Files.exists(har) && Files.readString(har).contains("/hello"))) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        assertThat(Files.readString(har)).contains("/hello");
        assertThat(HarReader.read(har).entries()).hasSize(1);
    }

    @Test
    void aRecordingWithoutTrafficStillLeavesAValidHar() throws Exception {
        assertThat(closeAndRead().entries()).isEmpty();
        assertThat(Files.readString(har)).endsWith("}\n");
    }
}
