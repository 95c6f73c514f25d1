package dev.harp.integration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.replay.Latency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static dev.harp.integration.HandMadeHar.content;
import static dev.harp.integration.HandMadeHar.header;
import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Hand-made HAR files, one per quirk of other tools, replayed through a real Harp. */
class ForeignHarQuirksTest {
    @TempDir
    Path dir;

    private HarpServer replay(HandMadeHar har) throws Exception {
        return Proxied.harp(Mode.REPLAY, har.write(dir.resolve("quirk.har"))).start();
    }

    @Test
    void aFileStartingWithAByteOrderMark() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "http://bom.test/", 200, "text/plain", "after the BOM");
        Path file = dir.resolve("bom.har");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.writeBytes(h.json().getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, file).start()) {
            assertThat(text(get(Proxied.client(harp), "http://bom.test/"))).isEqualTo("after the BOM");
        }
    }

    @Test
    void minusOneTimingsEvenWithRecordedLatency() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ObjectNode e = h.entry("GET", "http://timings.test/", 200, "text/plain", "no timings");
        e.put("time", -1);
        e.putObject("timings").put("blocked", -1).put("dns", -1).put("connect", -1).put("ssl", -1)
                .put("send", -1).put("wait", -1).put("receive", -1);
        Path file = h.write(dir.resolve("timings.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, file).latency(Latency.recorded()).start()) {
            HttpResponse<byte[]> r = get(Proxied.client(harp), "http://timings.test/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("no timings");
        }
    }

    @Test
    void pseudoHeadersAreNeverReplayedAsHeaders() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ObjectNode e = h.entry("GET", "https://h2.test/pseudo", 200, "text/html", "<p>h2</p>");
        for (String[] p : new String[][] {{":method", "GET"}, {":authority", "h2.test"}, {":scheme", "https"}, {":path", "/pseudo"}}) {
            header(e, "request", p[0], p[1]);
        }
        header(e, "response", ":status", "200");
        header(e, "response", "x-kept", "yes");
        ObjectNode plain = h.entry("GET", "http://h2.test/pseudo", 200, "text/html", "<p>plain</p>");
        header(plain, "response", ":status", "200");
        try (HarpServer harp = replay(h)) {
            Proxied.RawResponse raw = Proxied.raw(harp, "GET", "http://h2.test/pseudo");
            assertThat(raw.status()).isEqualTo(200);
            assertThat(raw.headerLines()).noneMatch(line -> line.startsWith(":"));
            assertThat(new String(raw.body(), StandardCharsets.UTF_8)).isEqualTo("<p>plain</p>");
            HttpResponse<byte[]> tls = get(Proxied.client(harp), "https://h2.test/pseudo");
            assertThat(tls.statusCode()).isEqualTo(200);
            assertThat(text(tls)).isEqualTo("<p>h2</p>");
            assertThat(tls.headers().map().keySet()).noneMatch(name -> name.startsWith(":"));
            assertThat(tls.headers().firstValue("x-kept")).hasValue("yes");
        }
    }

    @Test
    void everySpellingOfHttpVersion() throws Exception {
        List<String> versions = List.of("h2", "HTTP/2.0", "http/2.0", "HTTP/2", "h3", "HTTP/1.0", "", "me:", "unknown");
        HandMadeHar h = new HandMadeHar();
        for (int i = 0; i < versions.size(); i++) {
            ObjectNode e = h.entry("GET", "http://versions.test/" + i, 200, "text/plain", "version " + versions.get(i));
            ((ObjectNode) e.get("request")).put("httpVersion", versions.get(i));
            ((ObjectNode) e.get("response")).put("httpVersion", versions.get(i));
        }
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            for (int i = 0; i < versions.size(); i++) {
                HttpResponse<byte[]> r = get(c, "http://versions.test/" + i);
                assertThat(r.statusCode()).as(versions.get(i)).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
                assertThat(text(r)).isEqualTo("version " + versions.get(i));
            }
        }
    }

    @Test
    void failedEntriesAreSkippedAndAValidOneForTheSameUrlWins() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "http://flaky.test/a", 0, null, null).put("_error", "net::ERR_INTERNET_DISCONNECTED");
        ObjectNode minusOne = h.entry("GET", "http://flaky.test/a", -1, null, null);
        minusOne.put("time", -1);
        ((ObjectNode) minusOne.get("response")).remove("content");
        h.entry("GET", "http://flaky.test/a", 200, "text/plain", "good a");
        h.entry("GET", "http://flaky.test/b", 200, "text/plain", "good b");
        h.entry("GET", "http://flaky.test/b", 0, null, null);
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> a = get(c, "http://flaky.test/a");
                assertThat(a.statusCode()).isEqualTo(200);
                assertThat(text(a)).isEqualTo("good a");
                HttpResponse<byte[]> b = get(c, "http://flaky.test/b");
                assertThat(b.statusCode()).isEqualTo(200);
                assertThat(text(b)).isEqualTo("good b");
            }
            assertThat(harp.replaySummary().entries()).isEqualTo(2);
            assertThat(harp.misses()).isEmpty();
        }
    }

    @Test
    void anEntryWithoutContentTextIsServedEmptyWithItsStatusAndHeaders() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ObjectNode css = h.entry("GET", "http://notext.test/site.css", 200, "text/css", null);
        content(css).put("size", 1234);
        header(css, "response", "Content-Length", "1234");
        header(css, "response", "Content-Encoding", "gzip");
        header(css, "response", "X-Cache", "HIT");
        ObjectNode moved = h.entry("GET", "http://notext.test/old", 301, "text/html", null);
        header(moved, "response", "Location", "http://notext.test/new");
        ((ObjectNode) moved.get("response")).remove("content");
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            HttpResponse<byte[]> r = get(c, "http://notext.test/site.css");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(r.headers().firstValue("Content-Length")).hasValue("0");
            assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(r.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/css");
            HttpResponse<byte[]> redirect = get(c, "http://notext.test/old");
            assertThat(redirect.statusCode()).isEqualTo(301);
            assertThat(redirect.headers().firstValue("Location")).hasValue("http://notext.test/new");
            assertThat(redirect.body()).isEmpty();
        }
    }

    @Test
    void anEntryWhoseBodyCannotBeReadIsSkippedAndTheRestReplays() throws Exception {
        HandMadeHar h = new HandMadeHar();
        content(h.entry("GET", "http://broken.test/bad-base64", 200, "image/png", "this is *not* base64!")).put("encoding", "base64");
        content(h.entry("GET", "http://broken.test/missing-file", 200, "text/plain", null)).put("_file", "no-such-side-file.txt");
        h.entry("GET", "http://broken.test/ok", 200, "text/plain", "still fine");
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            assertThat(text(get(c, "http://broken.test/ok"))).isEqualTo("still fine");
            assertThat(get(c, "http://broken.test/bad-base64").statusCode()).isEqualTo(502);
            assertThat(get(c, "http://broken.test/missing-file").statusCode()).isEqualTo(502);
            assertThat(harp.replaySummary().entries()).isEqualTo(1);
        }
    }

    @Test
    void base64BodiesByteForByteWithOrWithoutLineBreaks() throws Exception {
        byte[] png = new byte[3000];
        for (int i = 0; i < png.length; i++) {
            png[i] = (byte) (i * 7 + 3);
        }
        HandMadeHar h = new HandMadeHar();
        content(h.entry("GET", "http://b64.test/plain.png", 200, "image/png", Base64.getEncoder().encodeToString(png)))
                .put("encoding", "base64");
        content(h.entry("GET", "http://b64.test/mime.png", 200, "image/png", Base64.getMimeEncoder().encodeToString(png)))
                .put("encoding", "base64");
        content(h.entry("GET", "http://b64.test/text.txt", 200, "text/plain",
                Base64.getEncoder().encodeToString("żółw as base64".getBytes(StandardCharsets.UTF_8)))).put("encoding", "base64");
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            assertThat(get(c, "http://b64.test/plain.png").body()).isEqualTo(png);
            assertThat(get(c, "http://b64.test/mime.png").body()).isEqualTo(png);
            assertThat(text(get(c, "http://b64.test/text.txt"))).isEqualTo("żółw as base64");
        }
    }

    @Test
    void contentEncodingBesideBase64BodiesDecodedOrStoredAsSent() throws Exception {
        byte[] json = "{\"stored\":\"compressed\"}".getBytes(StandardCharsets.UTF_8);
        byte[] gzip = dev.harp.testing.TestUpstream.gzip("{\"stored\":\"compressed\"}");
        byte[] corruptGzip = java.util.Arrays.copyOf(gzip, gzip.length - 6);
        byte[] zstdFrame = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x24, 0x05, 0x29, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o'};
        Object[][] cases = {
                // stored, Content-Encoding, expected body, expected Content-Encoding (null: none)
                {gzip, "gzip", json, null},
                {json, "gzip", json, null},
                {corruptGzip, "gzip", corruptGzip, "gzip"},
                {zstdFrame, "zstd", zstdFrame, "zstd"},
                {json, "zstd", json, null},
        };
        HandMadeHar h = new HandMadeHar();
        for (int i = 0; i < cases.length; i++) {
            ObjectNode e = h.entry("GET", "http://stored.test/" + i, 200, "application/json",
                    Base64.getEncoder().encodeToString((byte[]) cases[i][0]));
            content(e).put("encoding", "base64");
            header(e, "response", "Content-Encoding", (String) cases[i][1]);
        }
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            for (int i = 0; i < cases.length; i++) {
                HttpResponse<byte[]> r = get(c, "http://stored.test/" + i);
                String what = "case " + i + ": Content-Encoding " + cases[i][1];
                assertThat(r.body()).as(what).isEqualTo((byte[]) cases[i][2]);
                assertThat(r.headers().firstValue("Content-Encoding")).as(what).isEqualTo(java.util.Optional.ofNullable(cases[i][3]));
                assertThat(r.headers().firstValue("Content-Length")).as(what).hasValue(Integer.toString(r.body().length));
            }
        }
    }

    @Test
    void contentEncodingKeptBesideAnAlreadyDecodedBody() throws Exception {
        String[][] cases = {
                {"gzip", "{\"a\":1}", "application/json"},
                {"gzip", "[1,2,3]", "application/json"},
                {"br", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", "image/svg+xml"},
                {"br", "{\"brotli\":\"no\"}", "application/json"},
                {"deflate", "{\"deflate\":true}", "application/json"},
                {"deflate", "[{\"id\":1},{\"id\":2}]", "application/json"},
                {"deflate", "hello deflate", "text/plain"},
                {"gzip, br", "{\"stacked\":\"codings\"}", "application/json"},
                // short texts that happen to be valid brotli / raw deflate streams: never decode a text body
                {"br", "7", "text/plain"},
                {"br", "=", "text/plain"},
                {"deflate", "8ntbV-[Ytf", "text/plain"},
                {"zstd", "{\"zstd\":1}", "application/json"},
        };
        HandMadeHar h = new HandMadeHar();
        for (int i = 0; i < cases.length; i++) {
            ObjectNode e = h.entry("GET", "http://decoded.test/" + i, 200, cases[i][2], cases[i][1]);
            header(e, "response", "Content-Encoding", cases[i][0]);
            header(e, "response", "Content-Length", "5");
        }
        try (HarpServer harp = replay(h)) {
            HttpClient c = Proxied.client(harp);
            for (int i = 0; i < cases.length; i++) {
                HttpResponse<byte[]> r = get(c, "http://decoded.test/" + i);
                String what = "Content-Encoding " + cases[i][0] + " beside " + cases[i][1];
                assertThat(r.statusCode()).as(what).isEqualTo(200);
                assertThat(text(r)).as(what).isEqualTo(cases[i][1]);
                assertThat(r.headers().firstValue("Content-Encoding")).as(what).isEmpty();
                assertThat(r.headers().firstValue("Content-Length")).as(what)
                        .hasValue(Integer.toString(cases[i][1].getBytes(StandardCharsets.UTF_8).length));
            }
        }
    }
}
