package dev.harp.proxy;

import dev.harp.flow.HttpHeader;
import io.undertow.client.ClientRequest;
import io.undertow.server.HttpServerExchange;

import java.util.List;
import java.util.Set;

/**
 * What one forwarded exchange asks of its upstream, fixed when it starts: the client's exchange, where it goes, and
 * the request line, headers and body length as the upstream will get them. Shared by the parts of a {@link Relay}.
 *
 * @param exchange      the client's exchange; everything about it runs on its I/O thread
 * @param target        where the request goes
 * @param method        the request method
 * @param version       the client's protocol, as the HAR records it ({@code HTTP/1.1}, {@code HTTP/2.0})
 * @param headers       the client's headers (a WebSocket upgrade's made forwardable)
 * @param contentLength the body's length, -1 when unknown (chunked, h2 without Content-Length), 0 when none
 * @param bufferedBody  the body when it has been read already (auto mode reads it to look the request up), or null
 *                      when it streams from the client
 */
record ForwardedRequest(HttpServerExchange exchange, Target target, String method, String version,
                        List<HttpHeader> headers, long contentLength, Forwarder.BufferedBody bufferedBody) {
    /** Methods that may be sent again after their upstream connection broke before an answer. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    static ForwardedRequest of(HttpServerExchange ex, Target target, Forwarder.BufferedBody bufferedBody) {
        return new ForwardedRequest(ex, target, ex.getRequestMethod().toString(), ex.getProtocol().toString(),
                WebSocketUpgrade.forUpstream(Exchanges.requestHeaders(ex)),
                bufferedBody != null ? bufferedBody.length() : Exchanges.requestBodyLength(ex), bufferedBody);
    }

    /** The request for Undertow's client (see {@link RequestRelay#toUpstream}). */
    ClientRequest toUpstream() {
        return RequestRelay.toUpstream(exchange, target, headers, contentLength);
    }

    /** Whether it may be sent again after its connection broke before an answer without its body being at hand. */
    boolean safeWithoutBody() {
        return contentLength == 0 && SAFE_METHODS.contains(method);
    }
}
