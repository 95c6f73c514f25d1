package dev.harp.integration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.HarSchema;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.send;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records one exchange of every body kind through a real Harp in record mode, closes the upstream, then replays each
 * through a real Harp in replay mode and compares with what the client saw while recording.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordReplayRoundTripTest {
    private static final String BOUNDARY = "----harpBoundary7MA4YWxk";

    @TempDir
    static Path dir;

    private String base;
    private Path har;
    private final Map<String, HttpResponse<byte[]>> recorded = new LinkedHashMap<>();
    private HarpServer replay;
    private HttpClient client;

    @BeforeAll
    void recordEverythingThenCloseTheUpstream() throws Exception {
        har = dir.resolve("round-trip.har");
        try (TestUpstream upstream = TestUpstream.start()) {
            base = upstream.url("");
            try (HarpServer recording = Proxied.harp(Mode.RECORD, har).start()) {
                HttpClient c = Proxied.client(recording);
                recorded.put("text", get(c, base + "/hello"));
                recorded.put("json", get(c, base + "/json"));
                recorded.put("binary", get(c, base + "/bytes"));
                recorded.put("gzip", get(c, base + "/gzip", "Accept-Encoding", "gzip"));
                recorded.put("br", get(c, base + "/br", "Accept-Encoding", "br"));
                recorded.put("multipart", send(c, "POST", base + "/echo?kind=multipart", multipart(BOUNDARY),
                        "Content-Type", "multipart/form-data; boundary=" + BOUNDARY));
                recorded.put("empty", get(c, base + "/echo?kind=empty"));
                recorded.put("head", send(c, "HEAD", base + "/head-length", null));
                recorded.put("204", get(c, base + "/empty"));
                recorded.put("304", get(c, base + "/not-modified", "If-None-Match", "\"v1\""));
                recorded.put("cookies", get(c, base + "/cookies"));
                recorded.put("302", get(c, base + "/redirect"));
                recorded.put("404", get(c, base + "/status/404"));
                recorded.put("418", get(c, base + "/status/418"));
                recorded.put("500", get(c, base + "/status/500"));
                recorded.put("503", get(c, base + "/status/503"));
            }
            assertThat(upstream.requests()).isEqualTo(recorded.size());
        }
        replay = Proxied.harp(Mode.REPLAY, har).start();
        client = Proxied.client(replay);
    }

    @AfterAll
    void stop() {
        if (replay != null) {
            replay.close();
        }
    }

    @Test
    void theRecordingIsAValidHarpHarWithEveryExchange() throws Exception {
        String json = Files.readString(har);
        HarSchema.assertValid(json);
        JsonNode log = HandMadeHar.JSON.readTree(json).get("log");
        assertThat(log.get("creator").get("name").asText()).isEqualTo("Harp");
        assertThat(log.get("entries")).hasSize(recorded.size());
        for (JsonNode e : log.get("entries")) {
            // the schema lets -1 stand for "unknown" (other tools write it); a recorded exchange was measured
            for (String phase : new String[] {"send", "wait", "receive"}) {
                assertThat(e.get("timings").get(phase).asDouble()).as(e.get("request").get("url") + " " + phase)
                        .isNotNegative();
            }
            assertThat(e.get("time").asDouble()).isNotNegative();
        }
        assertThat(recorded.values()).allSatisfy(r -> assertThat(r.statusCode()).isPositive());
    }

    @Test
    void plainText() {
        HttpResponse<byte[]> r = get(client, base + "/hello");
        assertSameAsRecorded("text", r);
        assertThat(text(r)).isEqualTo("hello harp\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void jsonWithNonAsciiText() {
        HttpResponse<byte[]> r = get(client, base + "/json");
        assertSameAsRecorded("json", r);
        assertThat(text(r)).isEqualTo("{\"name\":\"harp\",\"unicode\":\"żółw 🐢\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void binaryByteForByte() {
        HttpResponse<byte[]> r = get(client, base + "/bytes");
        assertSameAsRecorded("binary", r);
        assertThat(r.body()).isEqualTo(TestUpstream.BINARY);
    }

    @Test
    void gzipIsReplayedDecodedWithoutContentEncoding() {
        HttpResponse<byte[]> live = recorded.get("gzip");
        assertThat(live.headers().firstValue("Content-Encoding")).hasValue("gzip");
        HttpResponse<byte[]> r = get(client, base + "/gzip", "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.body()).isEqualTo(Proxied.gunzip(live.body()));
        assertThat(text(r)).isEqualTo("compressed hello ".repeat(40));
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(r.body().length));
    }

    @Test
    void brotliIsReplayedDecodedWithoutContentEncoding() throws Exception {
        assertThat(recorded.get("br").headers().firstValue("Content-Encoding")).hasValue("br");
        HttpResponse<byte[]> r = get(client, base + "/br", "Accept-Encoding", "br");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.body()).isEqualTo(TestUpstream.resource("/bodies/hello.txt"));
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(r.body().length));
    }

    @Test
    void multipartPostWithABinaryPart() {
        HttpResponse<byte[]> r = send(client, "POST", base + "/echo?kind=multipart", multipart(BOUNDARY),
                "Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        assertSameAsRecorded("multipart", r);
        assertThat(r.body()).isEqualTo(multipart(BOUNDARY));
        assertThat(r.headers().firstValue("X-Echo-Method")).hasValue("POST");
    }

    @Test
    void emptyBody() {
        HttpResponse<byte[]> r = get(client, base + "/echo?kind=empty");
        assertSameAsRecorded("empty", r);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue("0");
    }

    @Test
    void headKeepsTheRecordedContentLengthAndSendsNoBody() {
        assertThat(recorded.get("head").headers().firstValue("Content-Length")).hasValue(Integer.toString(TestUpstream.HEAD_LENGTH));
        HttpResponse<byte[]> r = send(client, "HEAD", base + "/head-length", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(TestUpstream.HEAD_LENGTH));
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void noContent204() {
        HttpResponse<byte[]> r = get(client, base + "/empty");
        assertSameAsRecorded("204", r);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void notModified304KeepsItsValidators() {
        HttpResponse<byte[]> r = get(client, base + "/not-modified", "If-None-Match", "\"v1\"");
        assertSameAsRecorded("304", r);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("ETag")).hasValue("\"v1\"");
    }

    @Test
    void severalSetCookieHeadersInOrder() {
        HttpResponse<byte[]> r = get(client, base + "/cookies");
        assertSameAsRecorded("cookies", r);
        // recorded with the default redaction: names and attributes kept, values REDACTED
        assertThat(r.headers().allValues("Set-Cookie"))
                .containsExactly("c1=REDACTED; Path=/", "c2=REDACTED; Path=/", "c3=REDACTED; Path=/");
    }

    @Test
    void redirectIsReplayedNotFollowed() {
        HttpResponse<byte[]> r = get(client, base + "/redirect");
        assertSameAsRecorded("302", r);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/hello");
    }

    @Test
    void clientAndServerErrorStatuses() {
        for (String code : new String[] {"404", "418", "500", "503"}) {
            HttpResponse<byte[]> r = get(client, base + "/status/" + code);
            assertSameAsRecorded(code, r);
            assertThat(r.statusCode()).isEqualTo(Integer.parseInt(code));
            assertThat(text(r)).isEqualTo("status " + code + "\n");
            assertThat(r.headers().firstValue("Harp-Miss")).isEmpty();
        }
    }

    /** Status, body and Content-Type as the client saw them while recording; Content-Length true to the body. */
    private void assertSameAsRecorded(String kind, HttpResponse<byte[]> replayed) {
        HttpResponse<byte[]> live = recorded.get(kind);
        assertThat(replayed.headers().firstValue("Harp-Miss")).as(kind + ": a miss").isEmpty();
        assertThat(replayed.statusCode()).as(kind + " status").isEqualTo(live.statusCode());
        assertThat(replayed.body()).as(kind + " body").isEqualTo(live.body());
        assertThat(replayed.headers().firstValue("Content-Type")).as(kind + " Content-Type")
                .isEqualTo(live.headers().firstValue("Content-Type"));
        if (replayed.statusCode() != 204 && replayed.statusCode() != 304) {
            assertThat(replayed.headers().firstValue("Content-Length")).as(kind + " Content-Length")
                    .hasValue(Integer.toString(replayed.body().length));
        }
    }

    static byte[] multipart(String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nżółw\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(java.util.Arrays.copyOf(TestUpstream.BINARY, 256));
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
