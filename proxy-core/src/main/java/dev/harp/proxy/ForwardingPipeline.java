package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;

/** Record and passthrough: every request goes upstream, streaming, on the I/O threads ({@link Forwarder}). */
final class ForwardingPipeline implements ExchangePipeline {
    private final Forwarder forwarder;

    ForwardingPipeline(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public void handle(HttpServerExchange ex, Target target) {
        forwarder.forward(ex, target);
    }
}
