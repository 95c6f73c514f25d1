package dev.harp.proxy;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.framed.AbstractFramedStreamSinkChannel;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Notices a client that goes away while the upstream is still thinking (request sent, no response head yet) or
 * pauses mid-body, so the upstream call can be cancelled at once instead of running until the upstream answers or
 * the response timeout fires.
 *
 * <p>Several mechanisms, because the protocols differ:
 * <ul>
 * <li>A connection Undertow itself sees closing (an h2 connection closed after GOAWAY, a timeout): the connection
 *     is no longer open; and an exchange Undertow ends is noted from its completion listener (the relay's own
 *     listener ends the flow then).</li>
 * <li>An HTTP/2 stream reset (RST_STREAM) while the handler neither reads nor writes: Undertow 2.3 only marks the
 *     stream's response channel broken and tells nobody until the next write. Undertow has no public way to reach
 *     that channel, so {@link #gone()} reads its {@code isBroken()} through the connection's private
 *     {@code responseChannel} field, looked up once; should a later Undertow rename it, this check turns itself off
 *     and a reset stream waits for the upstream's answer or the response timeout, as before.</li>
 * <li>HTTP/1.x: while a request runs, Undertow suspends reads on the connection, so nobody would see the client's
 *     FIN or RST. {@link #gone()} therefore probes the socket with one non-blocking read once the request body has
 *     been read completely: an error (an RST) means the client went away; bytes mean the client pipelines its next
 *     request, and they are pushed back ({@link HttpServerConnection#ungetRequestBytes}) for Undertow to parse after
 *     this exchange, and probing stops (pushed-back bytes must stay in front of anything read later).</li>
 * <li>End of stream (-1) after a complete request is a <em>half-close</em>, not an abort: HTTP/1.1 lets a client
 *     shut down its sending side once its request is out and still read the response (busybox wget, netcat
 *     scripts, {@code Socket.shutdownOutput()}), and a FIN alone cannot tell that from a client that closed both
 *     sides. So the exchange goes on (as in HAProxy without {@code abortonclose}, or Undertow's own server): the
 *     response is sent with {@code Connection: close}, and Undertow closes the connection after it; a client that
 *     had really closed answers that write with an RST, which ends the exchange as an abort then. Until then the
 *     upstream call is bounded by the response timeout, as for any client. Inside a TLS tunnel the end of stream
 *     still counts as leaving: there it is a close_notify, which closes both directions before TLS 1.3 (RFC 5246
 *     §7.2.1), and which the JDK sends on every close (TLS 1.3 half-closes are rare, and Undertow does not show the
 *     user_canceled alert that tells a JDK client's full close apart).</li>
 * </ul>
 * The relay calls {@link #gone()} on the exchange's I/O thread every {@link #POLL} until the whole response has
 * arrived.
 */
final class ClientWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ClientWatch.class);
    /** How often a relay waiting on its upstream checks that its client is still there. */
    static final java.time.Duration POLL = java.time.Duration.ofMillis(200);
    private static final Field H2_RESPONSE_CHANNEL = h2ResponseChannel();
    private final HttpServerExchange ex;
    private volatile boolean ended;
    private boolean probing = true;
    private String reason;

    private ClientWatch(HttpServerExchange ex) {
        this.ex = ex;
    }

    /** Watches {@code ex}, noting when Undertow ends it. */
    static ClientWatch of(HttpServerExchange ex) {
        ClientWatch watch = new ClientWatch(ex);
        ex.addExchangeCompleteListener((exchange, next) -> {
            watch.ended = true;
            next.proceed();
        });
        return watch;
    }

    /** Checks now: why the client is gone, or null while it is still there (as far as can be told without consuming data). */
    String gone() {
        if (reason == null) {
            reason = check();
        }
        return reason;
    }

    /** What the last check found, without checking again: why the client is gone, or null. */
    String verdict() {
        if (reason == null && ended) {
            reason = check();
        }
        return reason;
    }

    private String check() {
        if (ended) {
            return "the client ended the exchange (stream reset or connection closed)";
        }
        if (!ex.getConnection().isOpen()) {
            return "the client connection closed";
        }
        if (ex.getConnection() instanceof Http2ServerConnection h2 && streamReset(h2)) {
            return "the client reset the HTTP/2 stream";
        }
        if (probing && ex.isRequestComplete() && ex.getConnection() instanceof HttpServerConnection http1) {
            return probe(http1);
        }
        return null;
    }

    private static boolean streamReset(Http2ServerConnection connection) {
        if (H2_RESPONSE_CHANNEL == null) {
            return false;
        }
        try {
            return H2_RESPONSE_CHANNEL.get(connection) instanceof AbstractFramedStreamSinkChannel<?, ?, ?> stream
                    && (stream.isBroken() || !stream.isOpen());
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private static Field h2ResponseChannel() {
        try {
            Field f = Http2ServerConnection.class.getDeclaredField("responseChannel");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("HTTP/2 stream resets are not watched while an upstream "
                    + "thinks (this Undertow has no Http2ServerConnection.responseChannel): {}", e.toString());
            return null;
        }
    }

    /**
     * The client shut down its sending side after a complete request: nothing more will come, so probing stops, and
     * the response says {@code Connection: close} (Undertow closes the connection once it is sent).
     */
    private void halfClosed() {
        probing = false;
        if (!ex.isResponseStarted()) {
            ex.setPersistent(false);
        }
        LOG.debug("Harp: the client of {} {} half-closed its connection after the request; the response still goes to it",
                ex.getRequestMethod(), dev.harp.record.Redactor.forLog(ex.getRequestURL()));
    }

    /** Whether an end of stream means the client left, not a half-close: inside TLS (see the type's comment). */
    private static boolean endsBothWays(HttpServerConnection connection) {
        return connection.getSslSessionInfo() != null;
    }

    private String probe(HttpServerConnection connection) {
        if (connection.getExtraBytes() != null) {
            probing = false; // already pipelining: bytes read now would land in front of those
            return null;
        }
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        boolean kept = false;
        try {
            ByteBuffer buffer = pooled.getBuffer();
            buffer.clear();
            int n = connection.getOriginalSourceConduit().read(buffer);
            if (n < 0) {
                if (endsBothWays(connection)) {
                    return "the client closed the connection";
                }
                halfClosed();
                return null;
            }
            if (n > 0) {
                buffer.flip();
                connection.ungetRequestBytes(pooled);
                kept = true;
                probing = false;
            }
            return null;
        } catch (IOException e) {
            return "the client connection failed: " + e;
        } finally {
            if (!kept) {
                pooled.close();
            }
        }
    }
}
