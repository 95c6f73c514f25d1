package dev.harp.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every real HAR file of the shared corpus (Chrome, Firefox, Safari, Playwright, Polly.js, mitmproxy,
 * Fiddler, ...) through a real Harp: every replayable entry's request is sent through the proxy, over CONNECT and TLS
 * for {@code https://}, and must get the recorded status and the recorded body, decoded. The expected body is worked
 * out here from the raw JSON, independently of Harp's reader and adapter.
 */
class ForeignHarReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

    @TestFactory
    Stream<DynamicTest> everyCorpusFileReplays() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Prerequisites.harCorpus())) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".har")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replayWholeFile(f)));
    }

    static void replayWholeFile(Path file) throws Exception {
        JsonNode log = readJson(file).get("log");
        String creator = log.path("creator").path("name").asText("");
        List<JsonNode> replayable = new ArrayList<>();
        for (JsonNode e : log.get("entries")) {
            if (isReplayable(e)) {
                replayable.add(e);
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> lastOfRequest = new LinkedHashMap<>();
        Map<String, Integer> timesOfRequest = new HashMap<>();
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, file).start()) {
            HttpClient client = Proxied.client(harp);
            for (JsonNode e : replayable) {
                String key = requestKey(e);
                lastOfRequest.put(key, e);
                timesOfRequest.merge(key, 1, Integer::sum);
                check(client, file, creator, e, "", problems);
            }
            // after the last recording of a repeated request, the last one repeats
            for (Map.Entry<String, JsonNode> last : lastOfRequest.entrySet()) {
                if (timesOfRequest.get(last.getKey()) > 1) {
                    check(client, file, creator, last.getValue(), " (repeat after the last)", problems);
                }
            }
            assertThat(problems).as(file.getFileName() + ": " + replayable.size() + " replayable entries of "
                    + log.get("entries").size() + "; problems:\n  " + String.join("\n  ", problems)).isEmpty();
            assertThat(harp.misses()).as(file.getFileName() + " misses").isEmpty();
            int repeats = (int) timesOfRequest.values().stream().filter(n -> n > 1).count();
            assertThat(harp.replaySummary().hits()).as(file.getFileName() + " hits").isEqualTo(replayable.size() + repeats);
        }
    }

    static boolean isReplayable(JsonNode e) {
        int status = e.path("response").path("status").asInt(0);
        String method = e.path("request").path("method").asText("");
        String url = e.path("request").path("url").asText("").toLowerCase(Locale.ROOT);
        return status > 0 && status != 101 && !method.equalsIgnoreCase("CONNECT")
                && (url.startsWith("http://") || url.startsWith("https://"));
    }

    private static void check(HttpClient client, Path file, String creator, JsonNode e, String note, List<String> problems) {
        JsonNode req = e.get("request");
        String method = req.get("method").asText();
        String url = req.get("url").asText();
        String what = method + " " + url + note;
        byte[] body = requestBody(req);
        String type = req.path("postData").path("mimeType").asText("");
        HttpResponse<byte[]> r;
        try {
            r = body.length == 0 || type.isEmpty()
                    ? Proxied.send(client, method, url, body.length == 0 ? null : body)
                    : Proxied.send(client, method, url, body, "Content-Type", type);
        } catch (RuntimeException failed) {
            problems.add(what + ": " + failed);
            return;
        }
        int status = e.get("response").get("status").asInt();
        if (r.statusCode() != status) {
            problems.add(what + ": status " + r.statusCode() + ", recorded " + status
                    + (r.statusCode() == 502 ? "\n" + Proxied.text(r) : ""));
            return;
        }
        boolean noBody = method.equalsIgnoreCase("HEAD") || status == 204 || status == 304;
        if (noBody) {
            if (r.body().length != 0) {
                problems.add(what + ": " + r.body().length + " body bytes on a response without a body");
            }
            return;
        }
        Expected expected = expectedBody(file, creator, e.get("response"));
        if (!Arrays.equals(r.body(), expected.bytes())) {
            problems.add(what + ": body of " + r.body().length + " bytes differs from the expected " + expected.bytes().length
                    + " (" + expected.how() + "): " + preview(r.body()) + " vs " + preview(expected.bytes()));
        }
        String length = r.headers().firstValue("Content-Length").orElse(null);
        if (!Integer.toString(r.body().length).equals(length)) {
            problems.add(what + ": Content-Length " + length + " for " + r.body().length + " bytes");
        }
        Optional<String> encoding = r.headers().firstValue("Content-Encoding");
        if (expected.decoded() && encoding.isPresent()) {
            problems.add(what + ": decoded body served with Content-Encoding " + encoding.get());
        }
        if (r.headers().firstValue("Harp-Miss").isPresent()) {
            problems.add(what + ": Harp-Miss header on a hit");
        }
    }

    /**
     * What the client must get.
     *
     * @param decoded whether these are decoded bytes (so no Content-Encoding may go with them)
     */
    record Expected(byte[] bytes, boolean decoded, String how) {
    }

    /** The expected body, from the raw HAR JSON: side file, base64, Polly hex, or text; then undo stored gzip. */
    static Expected expectedBody(Path file, String creator, JsonNode response) {
        JsonNode content = response.path("content");
        byte[] stored;
        String how;
        if (content.path("_file").isTextual()) {
            stored = readAll(file.resolveSibling(content.get("_file").asText()));
            how = "side file";
        } else if (!content.path("text").isTextual()) {
            return new Expected(new byte[0], true, "no text");
        } else {
            String text = content.get("text").asText();
            if ("base64".equalsIgnoreCase(content.path("encoding").asText(""))) {
                stored = Base64.getMimeDecoder().decode(text);
                how = "base64";
            } else if (content.path("_isBinary").asBoolean(false) && text.startsWith("[")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                readJson(text).forEach(chunk -> out.writeBytes(hex(chunk.asText())));
                stored = out.toByteArray();
                how = "Polly hex chunks";
            } else if (creator.startsWith("Polly") && isBinaryMime(content.path("mimeType").asText(""))
                    && HEX.matcher(text).matches()) {
                stored = hex(text);
                how = "Polly hex";
            } else {
                return new Expected(text.getBytes(StandardCharsets.UTF_8), true, "text");
            }
        }
        boolean gzipEncoded = header(response, "Content-Encoding").toLowerCase(Locale.ROOT).contains("gzip");
        if (gzipEncoded && stored.length > 2 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
                return new Expected(in.readAllBytes(), true, how + ", gunzipped");
            } catch (IOException corrupt) {
                return new Expected(stored, false, how + ", gzip that does not decode, kept as sent");
            }
        }
        return new Expected(stored, true, how);
    }

    /** The request body a client sends: postData text, or its params form-encoded. */
    static byte[] requestBody(JsonNode req) {
        JsonNode post = req.path("postData");
        if (post.path("text").isTextual()) {
            return post.get("text").asText().getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder form = new StringBuilder();
        for (JsonNode p : post.path("params")) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(p.path("name").asText(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.path("value").asText(""), StandardCharsets.UTF_8));
        }
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String requestKey(JsonNode e) {
        JsonNode req = e.get("request");
        return req.get("method").asText() + " " + req.get("url").asText() + "\n"
                + new String(requestBody(req), StandardCharsets.UTF_8);
    }

    static String header(JsonNode message, String name) {
        for (JsonNode h : message.path("headers")) {
            if (h.path("name").asText("").equalsIgnoreCase(name)) {
                return h.path("value").asText("");
            }
        }
        return "";
    }

    private static boolean isBinaryMime(String mime) {
        String m = mime.toLowerCase(Locale.ROOT);
        return m.startsWith("image/") || m.startsWith("audio/") || m.startsWith("video/") || m.startsWith("font/")
                || m.startsWith("application/octet-stream");
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static JsonNode readJson(Path file) {
        byte[] bytes = readAll(file);
        int skip = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        try {
            return JSON.readTree(new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 60), StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r");
        return "\"" + s + (b.length > 60 ? "...\"" : "\"");
    }
}
