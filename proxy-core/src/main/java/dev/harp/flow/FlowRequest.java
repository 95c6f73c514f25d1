package dev.harp.flow;

import java.util.List;
import java.util.Objects;

/**
 * The request half of a {@link Flow}, as the client sent it (hop-by-hop headers included, so the HAR shows
 * what was on the wire; the upstream leg strips them).
 *
 * @param method      the HTTP method
 * @param url         the absolute target URL ({@code http://} or {@code https://}), without fragment
 * @param httpVersion the protocol, e.g. {@code HTTP/1.1} or {@code HTTP/2.0}
 * @param headers     headers in arrival order
 * @param body        the captured body, or null when the request had none
 */
public record FlowRequest(String method, String url, String httpVersion, List<HttpHeader> headers, CapturedBody body) {
    /** Copies the header list. */
    public FlowRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = List.copyOf(headers);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return Headers.first(headers, name);
    }
}
