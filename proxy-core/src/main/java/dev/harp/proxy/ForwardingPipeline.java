package dev.harp.proxy;

import dev.harp.flow.Flow;
import io.undertow.server.HttpServerExchange;

/**
 * Record and passthrough: every request goes upstream, streaming: HTTP/1.x clients on the I/O thread
 * ({@link IoForwarder}), HTTP/2 clients on a worker thread ({@link Forwarder}).
 */
final class ForwardingPipeline implements ExchangePipeline {
    private final Forwarder forwarder;
    private final IoForwarder relay;

    ForwardingPipeline(Forwarder forwarder, IoForwarder relay) {
        this.forwarder = forwarder;
        this.relay = relay;
    }

    @Override
    public void handle(HttpServerExchange ex, Target target) {
        if (IoForwarder.handles(ex)) {
            relay.forward(ex, target);
            return;
        }
        Flow flow = new Flow();
        if (ex.isInIoThread()) {
            ex.dispatch(() -> run(ex, flow, target));
        } else {
            run(ex, flow, target);
        }
    }

    private void run(HttpServerExchange ex, Flow flow, Target target) {
        ex.startBlocking();
        forwarder.forward(ex, flow, target, Exchanges.requestHeaders(ex), ex.getInputStream(),
                Exchanges.requestBodyLength(ex));
    }
}
