package dev.harp.lint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/** Small HAR documents written by hand for the lint tests, one entry at a time. */
public final class LintHars {
    /** A JWT-shaped value (three base64url parts, the first two starting with {@code eyJ}); not a real token. */
    public static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkLXVzZXIifQ.c2lnbmF0dXJlLXBsYW50ZWQ";
    public static final String TEXT_OK = """
            {"size":2,"mimeType":"text/plain","text":"ok"}""";

    private LintHars() {
    }

    public static String har(String... entries) {
        return "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"Harp\",\"version\":\"1\"},\"entries\":[\n"
                + String.join(",\n", entries) + "\n]}}\n";
    }

    /**
     * @param requestHeaders JSON header objects, comma-separated, or empty
     * @param postData       a {@code "postData":{...},} member, or empty
     * @param content        the response's {@code content} object
     */
    public static String entry(String method, String url, String requestHeaders, String postData, int status,
            String responseHeaders, String content) {
        return """
                {"startedDateTime":"2026-01-01T00:00:00Z","time":1,
                 "request":{"method":"%s","url":"%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[%s],
                   "queryString":[],%s"headersSize":-1,"bodySize":-1},
                 "response":{"status":%d,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[%s],
                   "content":%s,"redirectURL":"","headersSize":-1,"bodySize":-1},
                 "cache":{},"timings":{"send":0,"wait":0,"receive":0}}"""
                .formatted(method, url, requestHeaders, postData, status, responseHeaders, content);
    }

    public static String get(String url) {
        return entry("GET", url, "", "", 200, "", TEXT_OK);
    }

    public static String header(String name, String value) {
        return "{\"name\":\"" + name + "\",\"value\":\"" + value + "\"}";
    }

    public static String gzipBase64(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
