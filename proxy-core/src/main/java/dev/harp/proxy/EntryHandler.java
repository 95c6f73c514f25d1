package dev.harp.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

/** The root handler of every listener: CONNECT goes to the tunnel, everything else to the pipeline. */
final class EntryHandler implements HttpHandler {
    private final Targets targets;
    private final ExchangePipeline pipeline;
    private final HttpHandler connect;

    EntryHandler(Targets targets, ExchangePipeline pipeline, HttpHandler connect) {
        this.targets = targets;
        this.pipeline = pipeline;
        this.connect = connect;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        String badFraming = RequestFraming.contentLengthProblem(ex);
        if (badFraming != null) {
            Exchanges.sendPlain(ex, 400, badFraming);
            return;
        }
        StrictChunks.install(ex);
        if (Methods.CONNECT.equals(ex.getRequestMethod())) {
            if (connect == null) {
                Exchanges.sendPlain(ex, 405, "Harp: CONNECT is not supported by this listener");
            } else {
                connect.handleRequest(ex);
            }
            return;
        }
        Target target = targets.resolve(ex);
        if (target == null) {
            Exchanges.sendPlain(ex, 400, "Harp is a proxy: configure your client to use it as its HTTP(S) proxy"
                    + " (requests must carry an absolute URL), or start Harp with --upstream URL to use it as a"
                    + " reverse proxy in front of one server.");
            return;
        }
        pipeline.handle(ex, target);
    }
}
