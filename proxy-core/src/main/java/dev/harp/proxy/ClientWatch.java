package dev.harp.proxy;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.framed.AbstractFramedStreamSinkChannel;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.Future;

/**
 * Notices a client that goes away while the upstream is still thinking (request sent, no response head yet), so
 * the upstream call can be cancelled at once instead of holding a worker thread until the upstream answers or the
 * response timeout fires.
 *
 * <p>Two mechanisms, because the protocols differ:
 * <ul>
 * <li>A connection Undertow itself sees closing (an h2 connection closed after GOAWAY, a timeout): the connection
 *     is no longer open; and an exchange Undertow ends cancels the pending upstream call from its completion
 *     listener right away.</li>
 * <li>An HTTP/2 stream reset (RST_STREAM) while the handler neither reads nor writes: Undertow 2.3 only marks the
 *     stream's response channel broken and tells nobody until the next write. Undertow has no public way to reach
 *     that channel, so {@link #gone()} reads its {@code isBroken()} through the connection's private
 *     {@code responseChannel} field, looked up once; should a later Undertow rename it, this check turns itself off
 *     and a reset stream waits for the upstream's answer or the response timeout, as before.</li>
 * <li>HTTP/1.x: while a request runs, Undertow suspends reads on the connection, so nobody would see the client's
 *     FIN or RST. {@link #gone()} therefore probes the socket with one non-blocking read once the request body has
 *     been read completely: -1 or an error means the client went away (a half-close counts as going away, as in
 *     nginx); bytes mean the client pipelines its next request, and they are pushed back
 *     ({@link HttpServerConnection#ungetRequestBytes}) for Undertow to parse after this exchange, and probing
 *     stops (pushed-back bytes must stay in front of anything read later).</li>
 * </ul>
 * The forwarder calls {@link #gone()} from its worker thread between bounded waits for the response head.
 */
final class ClientWatch {
    private static final Field H2_RESPONSE_CHANNEL = h2ResponseChannel();
    private final HttpServerExchange ex;
    private volatile boolean ended;
    private volatile Future<?> pending;
    private boolean probing = true;
    private String reason;

    private ClientWatch(HttpServerExchange ex) {
        this.ex = ex;
    }

    /** Watches {@code ex}; when Undertow ends it early, the {@linkplain #track tracked} upstream call is cancelled. */
    static ClientWatch of(HttpServerExchange ex) {
        ClientWatch watch = new ClientWatch(ex);
        ex.addExchangeCompleteListener((exchange, next) -> {
            watch.ended = true;
            Future<?> call = watch.pending;
            if (call != null) {
                call.cancel(true); // no effect once the head has arrived
            }
            next.proceed();
        });
        return watch;
    }

    /** The upstream call to cancel should Undertow end the exchange. */
    void track(Future<?> call) {
        pending = call;
        if (ended) {
            call.cancel(true);
        }
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
            LoggerFactory.getLogger(ClientWatch.class).debug("HTTP/2 stream resets are not watched while an upstream "
                    + "thinks (this Undertow has no Http2ServerConnection.responseChannel): {}", e.toString());
            return null;
        }
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
                return "the client closed the connection";
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
