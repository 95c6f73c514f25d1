package dev.harp.proxy;

import dev.harp.flow.Flow;
import dev.harp.flow.FlowSink;
import dev.harp.upstream.Http1Upstream;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.SameThreadExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Forwards HTTP/1.x exchanges to their upstream over HTTP/1.1 without taking a worker thread: the request and the
 * response stream through the proxy's I/O threads ({@link Relay}), with pooled keep-alive upstream connections
 * ({@link Http1Upstream}). This is what keeps forwarding modes within a few times the cost of a direct request.
 *
 * <p>HTTP/2 clients go through the blocking {@link Forwarder} and the JDK client instead, which speaks HTTP/2 to the
 * upstream too: Harp speaks to the upstream the protocol version its client chose.
 */
final class IoForwarder {
    private final Http1Upstream upstream;
    private final CaptureLimits limits;
    private final FlowSink sink;
    private final Duration responseTimeout;
    private final Duration requestTimeout;

    /**
     * @param responseTimeout how long the upstream may take to start answering once it has the whole request
     * @param requestTimeout  the grace period of {@link SlowBodyGuard} for request bodies streamed upstream
     */
    IoForwarder(Http1Upstream upstream, CaptureLimits limits, FlowSink sink, Duration responseTimeout,
                Duration requestTimeout) {
        this.upstream = upstream;
        this.limits = limits;
        this.sink = sink;
        this.responseTimeout = responseTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** Whether this exchange can be relayed here: an HTTP/1.x client, handled on its I/O thread. */
    static boolean handles(HttpServerExchange ex) {
        return ex.isInIoThread() && ex.getConnection() instanceof HttpServerConnection;
    }

    /** Starts relaying; the exchange is dispatched so that it stays open after the handler returns. */
    void forward(HttpServerExchange ex, Target target) {
        Relay relay = new Relay(this, ex, target, new Flow(), null);
        ex.dispatch(SameThreadExecutor.INSTANCE, () -> BodyStart.then(ex, target.url(), requestTimeout, relay::start));
    }

    /** Starts relaying a request whose body has been read already (an auto-mode miss). */
    void forward(HttpServerExchange ex, Target target, Flow flow, BufferedBody body) {
        Relay relay = new Relay(this, ex, target, flow, body);
        ex.dispatch(SameThreadExecutor.INSTANCE, relay::start);
    }

    /** A request body read already, in memory or in a temporary file, that can be read again from its start. */
    interface BufferedBody {
        /** Its length in bytes. */
        long length();

        /** A new stream over the whole body. */
        InputStream open() throws IOException;
    }

    Http1Upstream upstream() {
        return upstream;
    }

    CaptureLimits limits() {
        return limits;
    }

    FlowSink sink() {
        return sink;
    }

    Duration responseTimeout() {
        return responseTimeout;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    ByteBufferPool buffers() {
        return upstream.buffers();
    }
}
