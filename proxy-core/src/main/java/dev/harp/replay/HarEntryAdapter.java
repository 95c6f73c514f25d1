package dev.harp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.flow.ContentDecoding;
import dev.harp.flow.Headers;
import dev.harp.flow.HttpHeader;
import dev.harp.har.HarContent;
import dev.harp.har.HarEntry;
import dev.harp.har.HarHeader;
import dev.harp.har.HarParam;
import dev.harp.har.HarPostData;
import dev.harp.har.HarResponse;
import dev.harp.har.HarWebSocketMessage;
import dev.harp.har.JsonTrees;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads one HAR entry, from Harp or from another tool, into what replay needs: the request to match and the
 * response to serve. Knows the other tools' quirks: HTTP/2 pseudo-headers, Playwright's {@code _file} side
 * files, Polly.js hex bodies, bodies stored decoded while {@code Content-Encoding} stays in the headers, and raw
 * gzip kept as sent.
 */
final class HarEntryAdapter {
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private final SideFiles sideFiles;
    private final long bodyLimit;

    /**
     * @param baseDir   the HAR's folder, where side files are; null when unknown
     * @param bodyLimit the largest body read from a side file or decoded from a compressed one (the capture limit)
     */
    HarEntryAdapter(Path baseDir, long bodyLimit) {
        this.sideFiles = new SideFiles(baseDir, bodyLimit);
        this.bodyLimit = bodyLimit;
    }

    /** Why an entry cannot be replayed whatever its bodies hold, or null when it can. */
    static Unreplayable unreplayable(HarEntry e) {
        int status = e.response().status();
        if (status <= 0) {
            return new Unreplayable(Unreplayable.Reason.FAILED_REQUEST, "a failed request (status " + status + ")");
        }
        if ("CONNECT".equalsIgnoreCase(e.request().method())) {
            return new Unreplayable(Unreplayable.Reason.CONNECT, "a CONNECT record");
        }
        boolean webSocket = HarWebSocketMessage.isWebSocket(e);
        if (status == 101 && !webSocket) {
            return new Unreplayable(Unreplayable.Reason.UPGRADE,
                    "a protocol upgrade other than WebSocket, which replay does not serve");
        }
        String url = e.request().url();
        if (webSocket && WebSocketScript.isWebSocketUrl(url)) {
            return null; // Chrome writes ws:// and wss:// URLs
        }
        if (url == null || !(url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8))) {
            return new Unreplayable(Unreplayable.Reason.NOT_HTTP, "not an absolute http(s) URL");
        }
        return null;
    }

    /**
     * The entry as replay serves it, or why it cannot be served: the one decision that loading a HAR for replay and
     * checking it ({@link HarReplay#skippedEntries}) share.
     *
     * @param index the entry's index in the HAR
     * @throws Unreplayable when it is skipped, with the reason
     */
    Prepared prepare(HarEntry e, int index) throws Unreplayable {
        Unreplayable never = unreplayable(e);
        if (never != null) {
            throw never;
        }
        try {
            MatchRequest request = request(e);
            WebSocketScript script = HarWebSocketMessage.isWebSocket(e) ? WebSocketScript.of(e, index, request) : null;
            return new Prepared(Recorded.of(request, response(e, index)), script);
        } catch (Unreplayable u) {
            throw u;
        } catch (IOException | IllegalArgumentException | IllegalStateException bad) {
            throw new Unreplayable(Unreplayable.Reason.UNUSABLE, bad.getMessage(), bad);
        }
    }

    /**
     * An entry made ready to serve.
     *
     * @param recorded the request to match and the response
     * @param script   the WebSocket conversation, or null when the entry is not one
     */
    record Prepared(Recorded<ReplayResponse> recorded, WebSocketScript script) {
    }

    /**
     * The request as matched. A WebSocket entry's request always carries {@code Upgrade: websocket} (some tools leave
     * it out), and its {@code ws://}/{@code wss://} URL is read as {@code http://}/{@code https://}, as proxies see it.
     */
    MatchRequest request(HarEntry e) throws IOException {
        List<NameValue> headers = new ArrayList<>();
        boolean upgrade = false;
        for (HarHeader h : e.request().headers()) {
            if (!h.name().startsWith(":")) {
                headers.add(NameValue.of(h.name(), h.value()));
                upgrade |= h.name().equalsIgnoreCase("Upgrade") && h.value() != null
                        && h.value().toLowerCase(Locale.ROOT).contains("websocket");
            }
        }
        if (!upgrade && HarWebSocketMessage.isWebSocket(e)) {
            headers.add(NameValue.of("Upgrade", "websocket"));
        }
        return MatchRequest.of(e.request().method(), WebSocketScript.httpUrl(e.request().url()), headers,
                requestBody(e.request().postData()));
    }

    private byte[] requestBody(HarPostData post) throws IOException {
        if (post == null) {
            return new byte[0];
        }
        JsonNode file = post.extensions().get("_file");
        if (file != null && file.isTextual()) {
            return sideFiles.read(file.asText(), "request body");
        }
        if (post.text() != null) {
            JsonNode encoding = post.extensions().get("encoding");
            if (encoding != null && HarContent.BASE64.equalsIgnoreCase(encoding.asText())) {
                try {
                    return Base64.getMimeDecoder().decode(post.text());
                } catch (IllegalArgumentException e) {
                    throw new Unreplayable(Unreplayable.Reason.BAD_BASE64,
                            "the request body (postData.text) is not valid base64: " + e.getMessage());
                }
            }
            return post.text().getBytes(StandardCharsets.UTF_8);
        }
        if (post.params() != null && !post.params().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (HarParam p : post.params()) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(URLEncoder.encode(p.name(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(p.value() == null ? "" : p.value(), StandardCharsets.UTF_8));
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    ReplayResponse response(HarEntry e, int index) throws IOException {
        HarResponse r = e.response();
        String method = e.request().method();
        int status = r.status();
        boolean headOr304 = "HEAD".equalsIgnoreCase(method) || status == 304;
        boolean noBody = headOr304 || status == 204 || (status >= 100 && status < 200);
        List<HttpHeader> raw = new ArrayList<>();
        for (HarHeader h : r.headers()) {
            if (isToken(h.name())) { // also drops pseudo-headers and names no server could have sent
                raw.add(new HttpHeader(h.name(), wireText(h.value())));
            }
        }
        List<HttpHeader> headers = new ArrayList<>(Headers.withoutHopByHop(raw));
        String recordedLength = Headers.first(headers, "Content-Length");
        headers.removeIf(h -> h.is("Content-Length"));
        Stored stored = noBody ? Stored.NONE : responseBody(r.content());
        byte[] body = stored.bytes();
        String encoding = Headers.first(headers, "Content-Encoding");
        if (encoding != null && body.length > 0 && !stored.text()) {
            body = reconcileEncoding(body, encoding, headers);
        } else if (encoding != null && !headOr304) {
            // no body, or a plain-text body: HAR text is decoded, and compressed bytes cannot survive as text
            headers.removeIf(h -> h.is("Content-Encoding"));
        }
        if (headOr304) {
            if (recordedLength != null) {
                headers.add(new HttpHeader("Content-Length", recordedLength));
            }
        } else if (!noBody) {
            headers.add(new HttpHeader("Content-Length", Integer.toString(body.length)));
        }
        String reason = wireText(r.statusText()).strip();
        return new ReplayResponse(index, status, reason, headers, ByteBuffer.wrap(body),
                Math.max(0, e.timings().waitTime()), Math.max(0, e.timings().receive()));
    }

    /** Whether a header name is an RFC 9110 token, so it can be written as a header at all. */
    static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /**
     * A recorded header value or reason phrase as it can go on the wire: control characters (line breaks included)
     * become spaces, and text beyond Latin-1, which the HTTP/1.1 writer would cut to one byte per character, is sent
     * as its UTF-8 bytes, as the server must have sent it. Latin-1 text goes out byte for byte, as read.
     */
    static String wireText(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(value.length());
        boolean beyondLatin1 = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            sb.append((c < 0x20 && c != '\t') || c == 0x7f ? ' ' : c);
            beyondLatin1 |= c > 0xff;
        }
        String clean = sb.toString();
        return beyondLatin1 ? new String(clean.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1) : clean;
    }

    /**
     * A body stored as bytes (base64, a side file, Polly hex) beside a {@code Content-Encoding} header: HAR bodies are
     * decoded, but some tools store the compressed bytes (Polly's gzip chunks, mitmproxy's undecodable gzip). Serve
     * decoded bytes without the header whenever the body decodes; keep raw gzip that does not decode (stored as sent)
     * and zstd frames (which Harp cannot decode) with their header; otherwise the body is already decoded: drop the
     * header. Plain-text bodies never come here: trying to decode them only invites false positives.
     */
    private byte[] reconcileEncoding(byte[] body, String encoding, List<HttpHeader> headers) throws Unreplayable {
        try {
            byte[] decoded = ContentDecoding.decode(body, encoding, bodyLimit);
            headers.removeIf(h -> h.is("Content-Encoding"));
            return decoded;
        } catch (ContentDecoding.TooLargeException bomb) {
            throw new Unreplayable(Unreplayable.Reason.TOO_LARGE, "the " + body.length + "-byte response body ("
                    + encoding + ") decodes to more than " + bodyLimit + " bytes, the capture limit; raise the capture"
                    + " limit to replay it");
        } catch (ContentDecoding.UnsupportedEncodingException unknown) {
            boolean decodedAlready = encoding.toLowerCase(Locale.ROOT).contains("zstd") && !startsWith(body, ZSTD_MAGIC);
            if (decodedAlready) {
                headers.removeIf(h -> h.is("Content-Encoding"));
            }
            return body; // otherwise e.g. a zstd frame stored as sent: the client decodes it
        } catch (IOException notEncoded) {
            boolean rawGzip = startsWith(body, GZIP_MAGIC) && encoding.toLowerCase(Locale.ROOT).contains("gzip");
            if (!rawGzip) {
                headers.removeIf(h -> h.is("Content-Encoding"));
            }
            return body;
        }
    }

    private static boolean startsWith(byte[] body, byte[] magic) {
        if (body.length <= magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (body[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A response body as stored in the HAR.
     *
     * @param bytes the bytes
     * @param text  whether they came from plain {@code content.text} (decoded by definition), rather than from base64,
     *              a side file or Polly hex (which may hold the compressed bytes)
     */
    private record Stored(byte[] bytes, boolean text) {
        static final Stored NONE = new Stored(new byte[0], true);
    }

    private Stored responseBody(HarContent content) throws IOException {
        if (content == null) {
            return Stored.NONE;
        }
        JsonNode file = content.extensions().get("_file");
        if (file != null && file.isTextual()) {
            return new Stored(sideFiles.read(file.asText(), "response body"), false);
        }
        if (content.text() == null) {
            return Stored.NONE;
        }
        if (!content.isBase64()) {
            byte[] polly = pollyHex(content);
            if (polly != null) {
                return new Stored(polly, false);
            }
        }
        try {
            return new Stored(content.bodyBytes(), !content.isBase64());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new Unreplayable(Unreplayable.Reason.BAD_BASE64,
                    "the response body (content.text) is not valid base64: " + e.getMessage());
        }
    }

    /** Polly.js before v6: binary bodies as a hex string, or with {@code _isBinary} as a JSON array of hex chunks. */
    private static byte[] pollyHex(HarContent content) {
        String text = content.text();
        JsonNode isBinary = content.extensions().get("_isBinary");
        try {
            if (isBinary != null && isBinary.asBoolean() && text.startsWith("[")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (JsonNode chunk : JsonTrees.read(text, false, false)) {
                    byte[] b = hex(chunk.asText());
                    if (b == null) {
                        return null;
                    }
                    out.writeBytes(b);
                }
                return out.toByteArray();
            }
        } catch (IOException notJson) {
            return null;
        }
        String mime = content.mimeType() == null ? "" : content.mimeType().toLowerCase(Locale.ROOT);
        boolean binaryType = mime.startsWith("image/") || mime.startsWith("audio/") || mime.startsWith("video/")
                || mime.startsWith("application/octet-stream") || mime.startsWith("font/") || mime.contains("zip");
        return binaryType && text.length() >= 8 ? hex(text) : null;
    }

    private static byte[] hex(String s) {
        if (s.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
