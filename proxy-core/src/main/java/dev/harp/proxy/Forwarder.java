package dev.harp.proxy;

import dev.harp.flow.Flow;
import dev.harp.flow.FlowSink;
import dev.harp.upstream.Http1Upstream;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Forwards every exchange of the forwarding modes (and auto mode's misses) to its upstream without taking a worker
 * thread: the request and the response stream through the proxy's I/O threads ({@link Relay}), with pooled
 * keep-alive upstream connections ({@link Http1Upstream}). This is what keeps forwarding modes within a few times the
 * cost of a direct request.
 *
 * <p>HTTP/1.x and HTTP/2 clients alike are forwarded over HTTP/1.1 (WebSocket upgrades included): the HAR records
 * the client's protocol, the upstream answers over HTTP/1.1, which every origin speaks.
 */
final class Forwarder {
    /** Methods that may be sent again after their upstream connection broke before an answer. */
    static final java.util.Set<String> SAFE_METHODS = java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Http1Upstream upstream;
    private final CaptureLimits limits;
    private final FlowSink sink;
    private final Duration responseTimeout;
    private final Duration requestTimeout;

    /**
     * @param responseTimeout how long the upstream may take to start answering once it has the whole request
     * @param requestTimeout  the grace period of {@link SlowBodyGuard} for request bodies streamed upstream
     */
    Forwarder(Http1Upstream upstream, CaptureLimits limits, FlowSink sink, Duration responseTimeout,
                Duration requestTimeout) {
        this.upstream = upstream;
        this.limits = limits;
        this.sink = sink;
        this.responseTimeout = responseTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** Starts relaying; the exchange is dispatched so that it stays open after the handler returns. */
    void forward(HttpServerExchange ex, Target target) {
        Relay relay = new Relay(this, ex, target, new Flow(), null);
        ex.dispatch(onIoThread(ex), () -> BodyStart.then(ex, target.url(), requestTimeout, relay::start));
    }

    /** The relay runs on the exchange's I/O thread, however the handler was called. */
    private static java.util.concurrent.Executor onIoThread(HttpServerExchange ex) {
        return ex.isInIoThread() ? SameThreadExecutor.INSTANCE : ex.getIoThread();
    }

    /** Starts relaying a request whose body has been read already (an auto-mode miss). */
    void forward(HttpServerExchange ex, Target target, Flow flow, BufferedBody body) {
        Relay relay = new Relay(this, ex, target, flow, body);
        ex.dispatch(onIoThread(ex), relay::start);
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
