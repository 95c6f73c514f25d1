package dev.harp.proxy;

import dev.harp.flow.HttpHeader;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import org.xnio.IoUtils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The listener edge: the only place that turns Undertow exchanges into flow values and back. */
final class Exchanges {
    private Exchanges() {
    }

    static List<HttpHeader> requestHeaders(HttpServerExchange ex) {
        return toList(ex.getRequestHeaders());
    }

    static List<HttpHeader> toList(HeaderMap map) {
        List<HttpHeader> out = new ArrayList<>(map.size());
        for (HeaderValues values : map) {
            String name = values.getHeaderName().toString();
            for (String v : values) {
                out.add(new HttpHeader(name, v));
            }
        }
        return out;
    }

    /** The request body length: the Content-Length, -1 when chunked, 0 when there is none. */
    static long requestBodyLength(HttpServerExchange ex) {
        HeaderMap h = ex.getRequestHeaders();
        if (h.contains(Headers.TRANSFER_ENCODING)) {
            return -1;
        }
        String cl = h.getFirst(Headers.CONTENT_LENGTH);
        if (cl == null) {
            return ex.getProtocol().toString().startsWith("HTTP/2") && !ex.isRequestComplete() ? -1 : 0;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Writes status and headers (hop-by-hop and pseudo-headers dropped, order of values kept). */
    static void writeHead(HttpServerExchange ex, int status, String reason, List<HttpHeader> headers) {
        ex.setStatusCode(status);
        if (reason != null && !reason.isEmpty()) {
            ex.setReasonPhrase(reason);
        }
        HeaderMap out = ex.getResponseHeaders();
        for (HttpHeader h : dev.harp.flow.Headers.withoutHopByHop(headers)) {
            out.add(new HttpString(h.name()), h.value());
        }
    }

    /** The standard reason phrase of a status code, or empty when there is none. */
    static String reasonOf(int status) {
        String r = StatusCodes.getReason(status);
        return r == null || r.startsWith("Unknown") ? "" : r;
    }

    /**
     * Answers with a short plain-text body, for errors Harp produces itself (upstream failures, bad requests).
     * Only possible while the response has not started.
     */
    static void sendPlain(HttpServerExchange ex, int status, String text, HttpHeader... extra) {
        if (ex.isResponseStarted() || ex.isComplete() || !ex.getConnection().isOpen()) {
            IoUtils.safeClose(ex.getConnection());
            return;
        }
        try {
            send(ex, status, text, extra);
        } catch (IllegalStateException endedMeanwhile) {
            // the exchange ended under us (the client left, or the proxy is stopping): nobody is there to answer
            IoUtils.safeClose(ex.getConnection());
        }
    }

    private static void send(HttpServerExchange ex, int status, String text, HttpHeader... extra) {
        byte[] body = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.setStatusCode(status);
        HeaderMap h = ex.getResponseHeaders();
        h.clear();
        h.put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        h.put(Headers.CONTENT_LENGTH, body.length);
        for (HttpHeader e : extra) {
            h.add(new HttpString(e.name()), e.value());
        }
        if (!ex.isRequestComplete()) {
            // The client is still sending a body nobody will read (the upstream failed or timed out first). Ending
            // the exchange would drain the rest of it on this thread for as long as the client takes, and keep the
            // thread that fed it upstream blocked too: answer, then close the connection instead.
            ex.setPersistent(false);
            ex.getResponseSender().send(java.nio.ByteBuffer.wrap(body), new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange exchange, Sender sender) {
                    IoUtils.safeClose(exchange.getConnection());
                }

                @Override
                public void onException(HttpServerExchange exchange, Sender sender, java.io.IOException exception) {
                    IoUtils.safeClose(exchange.getConnection());
                }
            });
            return;
        }
        ex.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
    }

    static boolean isHeadersOnly(String method, int status) {
        return "HEAD".equalsIgnoreCase(method) || status == 204 || status == 304 || (status >= 100 && status < 200);
    }


}
