package dev.harp.proxy;

import dev.harp.flow.Flow;
import dev.harp.flow.HttpHeader;
import dev.harp.replay.HarReplay;
import dev.harp.replay.Latency;
import dev.harp.replay.Lookup;
import dev.harp.replay.MatchRequest;
import dev.harp.replay.Miss;
import dev.harp.replay.NameValue;
import dev.harp.replay.ReplayResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replay and auto: the request body is read without blocking, the request is looked up in the index built at
 * load time, and a hit is answered on the I/O thread from bytes prepared at load time. A miss is a 502 with a
 * {@code Harp-Miss} header and a body that explains it, or, in auto mode, a forward that records the missing entry.
 */
final class ReplayPipeline implements ExchangePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayPipeline.class);
    private static final HttpString MISS_HEADER = HttpString.tryFromString("Harp-Miss");

    private final HarReplay replay;
    private final Forwarder fallback;
    private final Latency latency;

    /** @param fallback the forwarder for misses in auto mode, or null in replay mode */
    ReplayPipeline(HarReplay replay, Forwarder fallback, Latency latency) {
        this.replay = replay;
        this.fallback = fallback;
        this.latency = latency;
    }

    @Override
    public void handle(HttpServerExchange ex, Target target) {
        Flow flow = new Flow();
        if (Exchanges.requestBodyLength(ex) == 0) {
            answer(ex, flow, target, new byte[0]);
            return;
        }
        ex.getRequestReceiver().receiveFullBytes((e, body) -> answer(e, flow, target, body),
                (e, error) -> {
                    ClientAborts.log(target.url(), "went away while sending the request body: " + error);
                    IoUtils.safeClose(e.getConnection());
                });
    }

    private void answer(HttpServerExchange ex, Flow flow, Target target, byte[] body) {
        List<HttpHeader> headers = Exchanges.requestHeaders(ex);
        List<NameValue> pairs = new ArrayList<>(headers.size());
        for (HttpHeader h : headers) {
            pairs.add(NameValue.of(h.name(), h.value()));
        }
        String method = ex.getRequestMethod().toString();
        MatchRequest live;
        try {
            live = MatchRequest.of(method, target.url(), pairs, body);
        } catch (IllegalArgumentException bad) {
            Exchanges.sendPlain(ex, 400, "Harp: cannot read the request target " + target.url() + ": " + bad.getMessage());
            return;
        }
        Lookup<ReplayResponse> found = replay.find(live);
        if (found.isHit()) {
            ReplayResponse response = found.payload();
            long delay = latency.delayMillis(response);
            if (delay > 0) {
                // dispatched, so Undertow does not end the exchange (with an empty 200) when the handler returns
                ex.dispatch(SameThreadExecutor.INSTANCE,
                        () -> ex.getIoThread().executeAfter(() -> serve(ex, response), delay, TimeUnit.MILLISECONDS));
            } else {
                serve(ex, response);
            }
            return;
        }
        if (fallback != null) {
            ex.dispatch(() -> {
                ex.startBlocking();
                fallback.forward(ex, flow, target, headers, new ByteArrayInputStream(body), body.length);
            });
            return;
        }
        Miss miss = found.miss();
        LOG.info("Harp replay miss: {} {}", method, target.url());
        Exchanges.sendPlain(ex, 502, "Harp replay miss: no recorded response in " + replay.file() + " for this request.\n\n"
                + miss.describe(), new HttpHeader(MISS_HEADER.toString(), method + " " + target.url()));
    }

    private static void serve(HttpServerExchange ex, ReplayResponse response) {
        ex.setStatusCode(response.status());
        if (!response.reason().isEmpty()) {
            ex.setReasonPhrase(response.reason());
        }
        HeaderMap out = ex.getResponseHeaders();
        for (HttpHeader h : response.headers()) {
            HttpString name = HttpString.tryFromString(h.name());
            if (name != null) { // the adapter keeps only valid names; never fail the exchange half-written
                out.add(name, h.value());
            }
        }
        if (response.bodyLength() == 0) {
            ex.endExchange();
        } else {
            ex.getResponseSender().send(response.bodyView());
        }
    }

}
