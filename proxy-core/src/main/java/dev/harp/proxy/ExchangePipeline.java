package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;

/** What happens to a request once its target is known: forward, replay, or replay-else-forward. */
interface ExchangePipeline {
    /** Handles the exchange; called on an I/O thread, may dispatch. */
    void handle(HttpServerExchange exchange, Target target) throws Exception;
}
