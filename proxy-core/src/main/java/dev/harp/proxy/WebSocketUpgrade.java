package dev.harp.proxy;

import dev.harp.flow.HttpHeader;
import io.undertow.util.HeaderMap;

import java.util.List;
import java.util.Locale;

/**
 * The WebSocket opening handshake (RFC 6455 section 4) as Harp relays it. {@code Upgrade} and {@code Connection} are
 * hop-by-hop, so both legs strip them like any other; for a WebSocket upgrade they are put back on the upstream
 * request and on the 101 that goes to the client.
 *
 * <p>{@code Sec-WebSocket-Extensions} is removed from the client's request: an extension changes how messages are
 * framed (permessage-deflate compresses them), and Harp records messages from the frames it relays, so the two sides
 * agree on plain frames instead. Everything else ({@code Sec-WebSocket-Key}, {@code -Version}, {@code -Protocol},
 * cookies, origin) passes unchanged, and so does the server's answer ({@code Sec-WebSocket-Accept}, the chosen
 * subprotocol).
 */
final class WebSocketUpgrade {
    static final String EXTENSIONS = "Sec-WebSocket-Extensions";

    private WebSocketUpgrade() {
    }

    /** Whether these request headers ask for a WebSocket upgrade. */
    static boolean requested(List<HttpHeader> headers) {
        return hasToken(headers, "upgrade", "websocket") && hasToken(headers, "connection", "upgrade");
    }

    /** The client's request headers as they go upstream: without extension offers when this is a WebSocket upgrade. */
    static List<HttpHeader> forUpstream(List<HttpHeader> headers) {
        if (!requested(headers) || headers.stream().noneMatch(h -> h.is(EXTENSIONS))) {
            return headers;
        }
        return headers.stream().filter(h -> !h.is(EXTENSIONS)).toList();
    }

    /** Puts back the hop-by-hop headers of the handshake on the upstream request. */
    static void restoreUpgrade(List<HttpHeader> headers, HeaderMap out) {
        if (requested(headers)) {
            out.put(io.undertow.util.Headers.UPGRADE, dev.harp.flow.Headers.first(headers, "upgrade"));
            out.put(io.undertow.util.Headers.CONNECTION, "Upgrade");
        }
    }

    private static boolean hasToken(List<HttpHeader> headers, String name, String token) {
        for (HttpHeader h : headers) {
            if (h.is(name)) {
                for (String part : h.value().split(",")) {
                    if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
