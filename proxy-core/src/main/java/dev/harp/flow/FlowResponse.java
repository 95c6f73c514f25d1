package dev.harp.flow;

import java.util.List;

/**
 * The response half of a {@link Flow}, as the upstream (or the replayed HAR entry) gave it.
 *
 * @param status      the status code
 * @param statusText  the reason phrase (may be empty, e.g. over HTTP/2)
 * @param httpVersion the protocol of the upstream leg
 * @param headers     headers as received
 * @param body        the captured body as sent on the wire (still content-encoded), or null when none
 */
public record FlowResponse(int status, String statusText, String httpVersion, List<HttpHeader> headers,
                           CapturedBody body) {
    /** Copies the header list. */
    public FlowResponse {
        headers = List.copyOf(headers);
        statusText = statusText == null ? "" : statusText;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return Headers.first(headers, name);
    }
}
