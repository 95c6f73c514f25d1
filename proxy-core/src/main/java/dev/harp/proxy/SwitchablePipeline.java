package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;

/**
 * The pipeline in force, swapped atomically when a running proxy moves to another HAR or mode (the JUnit
 * extension switches fixtures per test without restarting the proxy). A request uses the pipeline that was
 * current when it arrived.
 */
final class SwitchablePipeline implements ExchangePipeline {
    private record Current(ExchangePipeline pipeline, boolean networkAllowed) {
    }

    private volatile Current current;

    void use(ExchangePipeline pipeline, boolean networkAllowed) {
        current = new Current(pipeline, networkAllowed);
    }

    boolean networkAllowed() {
        Current c = current;
        return c != null && c.networkAllowed();
    }

    @Override
    public void handle(HttpServerExchange exchange, Target target) throws Exception {
        Current c = current;
        if (c == null) {
            Exchanges.sendPlain(exchange, 503, "Harp is starting");
            return;
        }
        c.pipeline().handle(exchange, target);
    }
}
