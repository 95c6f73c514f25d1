package dev.harp.proxy;

import dev.harp.flow.Flow;
import dev.harp.flow.FlowSink;
import dev.harp.upstream.UpstreamPool;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Forwards every exchange of the forwarding modes (and auto mode's misses) to its upstream without taking a worker
 * thread: the request and the response stream through the proxy's I/O threads ({@link Relay}), with pooled
 * keep-alive upstream connections ({@link UpstreamPool}). This is what keeps forwarding modes within a few times the
 * cost of a direct request.
 *
 * <p>HTTP/1.x and HTTP/2 clients alike are forwarded over HTTP/1.1 (WebSocket upgrades included; why not HTTP/2:
 * {@link UpstreamPool}); the HAR records the client's protocol for the request and the upstream's for the
 * response.
 */
final class Forwarder {
    private final UpstreamPool upstream;
    private final CaptureLimits limits;
    private final FlowSink sink;
    private final Duration responseTimeout;
    private final Duration requestTimeout;

    /**
     * @param responseTimeout how long the upstream may take to start answering once it has the whole request
     * @param requestTimeout  the grace period of {@link SlowBodyGuard} for request bodies streamed upstream
     */
    Forwarder(UpstreamPool upstream, CaptureLimits limits, FlowSink sink, Duration responseTimeout,
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

    UpstreamPool upstream() {
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
