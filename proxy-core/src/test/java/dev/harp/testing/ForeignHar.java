package dev.harp.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Builds one HAR file shaped the way another tool writes it (see {@link ForeignHars}), together with what a client
 * must get when each entry is replayed: the expectations are kept from the bytes the generator started from, never
 * read back from the JSON.
 */
public final class ForeignHar {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode log;
    private final ArrayNode entries;
    private final List<Expect> expectations = new ArrayList<>();
    private final Map<String, byte[]> sideFiles = new HashMap<>();
    private Set<String> normalised = Set.of();
    private boolean bom;

    ForeignHar(String name, String version, String creator, String creatorVersion) {
        this.name = name;
        log = root.putObject("log");
        log.put("version", version);
        log.putObject("creator").put("name", creator).put("version", creatorVersion);
        entries = JSON.createArrayNode();
    }

    /**
     * One request a client sends to the replaying proxy and what it must get back.
     *
     * @param requestBody bytes the client sends (null: none)
     * @param requestType the request's Content-Type (null: none)
     * @param body the exact response body
     * @param headers response headers to check: a value, or null for "must be absent"
     */
    public record Expect(String method, String url, byte[] requestBody, String requestType, int status, byte[] body,
                         Map<String, String> headers) {
    }

    /**
     * A generated file.
     *
     * @param entries the number of entries written
     * @param normalised what Harp's writer is expected to change on a read-write-read, in the form of
     *     {@code JsonDiff} lines with indices folded to {@code []}
     */
    public record Generated(String name, Path file, int entries, List<Expect> expectations, Set<String> normalised) {
        @Override
        public String toString() {
            return name;
        }
    }

    ObjectNode log() {
        return log;
    }

    ForeignHar bom() {
        bom = true;
        return this;
    }

    ForeignHar normalised(String... lines) {
        normalised = Set.of(lines);
        return this;
    }

    /** Adds a {@code pages} member (call before any entry so it precedes them); returns the array. */
    ArrayNode pages() {
        return log.putArray("pages");
    }

    static ObjectNode page(ArrayNode pages, String started, String id, String title) {
        ObjectNode p = pages.addObject().put("startedDateTime", started).put("id", id).put("title", title);
        p.putObject("pageTimings").put("onContentLoad", 120.5).put("onLoad", 180.25);
        return p;
    }

    /** An entry with every required member, a response without body text; tools change it after. */
    ObjectNode entry(String started, String method, String url, String httpVersion, int status, String statusText) {
        ObjectNode e = entries.addObject();
        e.put("startedDateTime", started).put("time", 21.5);
        ObjectNode req = e.putObject("request");
        req.put("method", method).put("url", url).put("httpVersion", httpVersion);
        req.putArray("cookies");
        req.putArray("headers");
        req.putArray("queryString");
        req.put("headersSize", -1).put("bodySize", 0);
        ObjectNode res = e.putObject("response");
        res.put("status", status).put("statusText", statusText).put("httpVersion", httpVersion);
        res.putArray("cookies");
        res.putArray("headers");
        res.putObject("content").put("size", 0).put("mimeType", "");
        res.put("redirectURL", "").put("headersSize", -1).put("bodySize", -1);
        e.putObject("cache");
        e.putObject("timings").put("send", 0.5).put("wait", 20).put("receive", 1);
        return e;
    }

    static ObjectNode request(ObjectNode entry) {
        return (ObjectNode) entry.get("request");
    }

    static ObjectNode response(ObjectNode entry) {
        return (ObjectNode) entry.get("response");
    }

    static ObjectNode content(ObjectNode entry) {
        return (ObjectNode) entry.get("response").get("content");
    }

    static ObjectNode header(ObjectNode message, String name, String value) {
        return ((ArrayNode) message.get("headers")).addObject().put("name", name).put("value", value);
    }

    /** Text body as the tool stored it, with its Content-Type header and mime type. */
    static void text(ObjectNode entry, String mimeType, String text) {
        header(response(entry), "Content-Type", mimeType);
        content(entry).put("size", utf8(text).length).put("mimeType", mimeType).put("text", text);
    }

    /** Binary body in standard base64 with {@code encoding: "base64"}. */
    static void base64(ObjectNode entry, String mimeType, byte[] body) {
        header(response(entry), "Content-Type", mimeType);
        content(entry).put("size", body.length).put("mimeType", mimeType)
                .put("text", java.util.Base64.getEncoder().encodeToString(body)).put("encoding", "base64");
    }

    void sideFile(String fileName, byte[] bytes) {
        sideFiles.put(fileName, bytes);
    }

    /** What the client sending {@code method url} must get. */
    Expect expect(String method, String url, int status, byte[] body, String... headerPairs) {
        return expectSending(method, url, null, null, status, body, headerPairs);
    }

    Expect expectSending(String method, String url, byte[] requestBody, String requestType, int status, byte[] body,
                         String... headerPairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        Expect x = new Expect(method, url, requestBody, requestType, status, body, headers);
        expectations.add(x);
        return x;
    }

    Generated write(Path dir) throws IOException {
        log.set("entries", entries);
        Path file = dir.resolve(name + ".har");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (bom) {
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        out.writeBytes(JSON.writeValueAsBytes(root));
        Files.write(file, out.toByteArray());
        for (Map.Entry<String, byte[]> side : sideFiles.entrySet()) {
            Files.write(dir.resolve(side.getKey()), side.getValue());
        }
        return new Generated(name, file, entries.size(), List.copyOf(expectations), normalised);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Bytes that look like a PNG (signature, then a fixed pattern), for the binary bodies. */
    static byte[] png(int length, int seed) {
        byte[] b = new byte[length];
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(signature, 0, b, 0, Math.min(signature.length, length));
        for (int i = signature.length; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
