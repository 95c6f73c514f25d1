package dev.harp.proxy;

import dev.harp.flow.Flow;
import io.undertow.server.HttpServerExchange;

/** Record and passthrough: every request goes upstream, on a worker thread, streaming. */
final class ForwardingPipeline implements ExchangePipeline {
    private final Forwarder forwarder;

    ForwardingPipeline(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public void handle(HttpServerExchange ex, Target target) {
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
