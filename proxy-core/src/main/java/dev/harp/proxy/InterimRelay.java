package dev.harp.proxy;

import dev.harp.flow.HttpHeader;
import dev.harp.record.Redactor;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Protocols;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Passes an upstream's interim response ({@code 103 Early Hints}, {@code 102 Processing}) on to the client, ahead of
 * the final response, where the client's protocol can carry it: an HTTP/1.1 client gets it as the upstream sent it
 * (status line with its reason phrase, headers but hop-by-hop ones); an HTTP/1.0 client cannot take a 1xx (RFC 9110 15.2) and an
 * HTTP/2 client's stream cannot be given one through Undertow's server (it ends a 1xx HEADERS frame's stream unless
 * the status is 100), so for them it is dropped. Called from within the upstream connection's read. Never recorded: the HAR holds the final response.
 *
 * <p>Undertow's server has no API for interim responses but {@code 100 Continue}; the head is written on the
 * client connection's sink ahead of the response, as Undertow writes its own 100. Runs on the exchange's I/O thread
 * before the response has started.
 */
final class InterimRelay {
    private static final Logger LOG = LoggerFactory.getLogger(InterimRelay.class);

    private InterimRelay() {
    }

    static void relay(HttpServerExchange ex, String url, int status, String reason, List<HttpHeader> headers) {
        if (!(ex.getConnection() instanceof HttpServerConnection connection) || !Protocols.HTTP_1_1.equals(ex.getProtocol())
                || ex.isResponseStarted()) {
            LOG.debug("Harp: dropped the upstream's interim response {} for {} (the client's {} cannot take it)", status,
                    Redactor.forLog(url), ex.getProtocol());
            return;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
                .append(reason.isEmpty() ? Exchanges.reasonOf(status) : reason).append("\r\n");
        for (HttpHeader h : dev.harp.flow.Headers.withoutHopByHop(headers)) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        ByteBuffer bytes = ByteBuffer.wrap(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        // what the response will be written through once it starts (the socket, TLS, or Undertow's pipelining buffer)
        StreamSinkConduit sink = connection.getChannel().getSinkChannel().getConduit();
        try {
            while (bytes.hasRemaining() && sink.write(bytes) > 0) {
                // a few hundred bytes on a connection that has nothing else to send: they go at once
            }
            sink.flush(); // what TLS could not send yet stays queued before the response, in order
        } catch (IOException e) {
            ClientAborts.log(url, "client went away while receiving an interim response: " + e);
            closeLater(ex);
            return;
        }
        if (bytes.hasRemaining()) {
            // the connection took only part of it: what follows cannot be told apart from it any more
            LOG.info("Harp: could not send the interim response {} for {} whole; closing the client connection", status,
                    Redactor.forLog(url));
            closeLater(ex);
        }
    }

    /**
     * Closes the client's connection once the upstream read that found the interim response has returned: closing
     * it ends the flow, which cancels the upstream exchange, and that must not happen under Undertow's read.
     */
    private static void closeLater(HttpServerExchange ex) {
        try {
            ex.getIoThread().execute(() -> IoUtils.safeClose(ex.getConnection()));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            IoUtils.safeClose(ex.getConnection());
        }
    }
}
