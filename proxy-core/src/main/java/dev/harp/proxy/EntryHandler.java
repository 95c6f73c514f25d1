package dev.harp.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import dev.harp.flow.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The root handler of every listener: CONNECT goes to the tunnel, everything else to the pipeline. */
final class EntryHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EntryHandler.class);
    private final Targets targets;
    private final ExchangePipeline pipeline;
    private final HttpHandler connect;
    private final ProxyAuthCheck auth;

    /** @param auth the credentials clients must present, or null for none */
    EntryHandler(Targets targets, ExchangePipeline pipeline, HttpHandler connect, ProxyAuthCheck auth) {
        this.targets = targets;
        this.pipeline = pipeline;
        this.connect = connect;
        this.auth = auth;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        // requests inside an intercepted tunnel were authorized with their CONNECT (the outer listener is plain HTTP)
        if (auth != null && ex.getConnection().getSslSession() == null && ex.getAttachment(Targets.PLAIN_TUNNEL) == null
                && !auth.allows(ex)) {
            LOG.debug("Harp: refused {} {} from {}: no valid proxy credentials", ex.getRequestMethod(),
                    ex.getRequestURI(), ex.getSourceAddress());
            Exchanges.sendPlain(ex, 407, "Harp: proxy authentication required",
                    new HttpHeader("Proxy-Authenticate", "Basic realm=\"Harp\""));
            return;
        }
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
