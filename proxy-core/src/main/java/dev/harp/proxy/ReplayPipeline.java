package dev.harp.proxy;

import dev.harp.record.Redactor;
import dev.harp.flow.BodyCapture;
import dev.harp.flow.CapturedBody;
import dev.harp.flow.Flow;
import dev.harp.flow.FlowSink;
import dev.harp.flow.HttpHeader;
import dev.harp.replay.HarReplay;
import dev.harp.replay.Latency;
import dev.harp.replay.Lookup;
import dev.harp.replay.MatchRequest;
import dev.harp.replay.Miss;
import dev.harp.replay.NameValue;
import dev.harp.replay.ReplayResponse;
import dev.harp.replay.WebSocketConversation;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Replay and auto: the request body is read without blocking, the request is looked up in the index built at
 * load time, and a hit is answered on the I/O thread from bytes prepared at load time. A miss is a 502 with a
 * {@code Harp-Miss} header and a body that explains it, or, in auto mode, a forward that records the missing entry.
 * A hit on a recorded WebSocket upgrade plays its conversation ({@link WebSocketReplayer}).
 */
final class ReplayPipeline implements ExchangePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayPipeline.class);
    private static final HttpString MISS_HEADER = HttpString.tryFromString("Harp-Miss");

    private final HarReplay replay;
    private final FlowSink recorder;
    private final Forwarder forwarder;
    private final Latency latency;
    private final CaptureLimits limits;
    private final Duration requestTimeout;
    private final WebSocketReplayer webSockets;

    /**
     * @param forwarder      the forwarder for misses in auto mode, or null in replay mode
     * @param limits         request bodies up to {@code limits.limit()} bytes are compared; larger ones are not held
     *                       in memory
     * @param requestTimeout the grace period of {@link SlowBodyGuard} for request bodies
     * @param recorder       auto mode: the recorder whose conversions a miss waits for; null in replay mode
     */
    ReplayPipeline(HarReplay replay, Forwarder forwarder, FlowSink recorder, Latency latency,
                   CaptureLimits limits, Duration requestTimeout) {
        this.replay = replay;
        this.recorder = recorder;
        this.forwarder = forwarder;
        this.latency = latency;
        this.limits = limits;
        this.requestTimeout = requestTimeout;
        this.webSockets = new WebSocketReplayer(Math.min(Integer.MAX_VALUE, Math.max(limits.limit(), 1024 * 1024)));
    }

    @Override
    public void handle(HttpServerExchange ex, Target target) {
        Flow flow = new Flow();
        long length = Exchanges.requestBodyLength(ex);
        if (length == 0) {
            answer(ex, flow, target, new byte[0], null);
            return;
        }
        if (length > Integer.MAX_VALUE) {
            // Undertow's receiver refuses such a body by closing the connection without a word
            Exchanges.sendPlain(ex, 413, "Harp: a request body of " + length + " bytes is larger than replay reads (at most "
                    + Integer.MAX_VALUE + " bytes)");
            return;
        }
        if (length < 0 && ex.isInIoThread()) {
            // a chunked body: its first chunk is read first, so that broken framing gets a 400 with its reason
            ex.dispatch(SameThreadExecutor.INSTANCE,
                    () -> BodyStart.then(ex, target.url(), requestTimeout, () -> receiveBody(ex, flow, target)));
            return;
        }
        receiveBody(ex, flow, target);
    }

    /**
     * Reads the request body chunk by chunk into a {@link BodyCapture}, which keeps 1 MiB on the heap and spills the
     * rest to a temporary file (Undertow's {@code receiveFullBytes} would allocate the announced length at once: a
     * 1 GiB upload or a lying Content-Length would exhaust the heap): up to the capture limit in replay mode, all of
     * it in auto mode (a miss forwards the whole body from the file). A body beyond the capture limit is not
     * compared: the lookup sees no body, just as a recording keeps none of it. The file is deleted when the exchange
     * ends. A client too slow to send its body is cut off ({@link SlowBodyGuard}).
     */
    private void receiveBody(HttpServerExchange ex, Flow flow, Target target) {
        BodyCapture body = new BodyCapture(limits.memoryThreshold(), forwarder == null ? limits.limit() : Long.MAX_VALUE);
        SlowBodyGuard guard = ex.isInIoThread() ? SlowBodyGuard.start(ex, target.url(), requestTimeout) : null;
        ex.addExchangeCompleteListener((e, next) -> {
            body.close();
            if (guard != null) {
                guard.done();
            }
            next.proceed();
        });
        ex.getRequestReceiver().receivePartialBytes((e, chunk, last) -> {
            try {
                body.write(chunk, 0, chunk.length); // on the I/O thread: memory, or an append to the spill file
                if (guard != null) {
                    guard.received(chunk.length);
                }
                if (last) {
                    if (guard != null) {
                        guard.done();
                    }
                    CapturedBody whole = body.finish();
                    answer(e, flow, target, whole.size() <= limits.limit() ? whole.bytes() : new byte[0], whole);
                }
            } catch (IOException io) {
                LOG.warn("Harp could not buffer the request body of {}: {}", Redactor.forLog(target.url()), io.toString());
                IoUtils.safeClose(e.getConnection());
            }
        }, (e, error) -> clientGone(e, target, error));
    }

    private static void clientGone(HttpServerExchange ex, Target target, IOException error) {
        String malformed = RequestFraming.bodyProblem(error);
        if (malformed != null) {
            ClientAborts.log(target.url(), malformed);
            Exchanges.sendPlain(ex, 400, malformed);
            return;
        }
        ClientAborts.log(target.url(), "went away while sending the request body: " + error);
        IoUtils.safeClose(ex.getConnection());
    }

    /**
     * @param body  what the lookup compares
     * @param whole the whole body when it was spilled ({@link #receiveBody}), else null and {@code body} is all
     */
    private void answer(HttpServerExchange ex, Flow flow, Target target, byte[] body, CapturedBody whole) {
        answer(ex, flow, target, body, whole, false);
    }

    /** @param afterRecorded whether the flows recorded before this request are all replayable (a second look) */
    private void answer(HttpServerExchange ex, Flow flow, Target target, byte[] body, CapturedBody whole,
                        boolean afterRecorded) {
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
            Optional<WebSocketConversation> conversation = replay.webSocket(response, live, latency);
            if (conversation.isPresent()) {
                serveWebSocket(ex, conversation.get(), response, method + " " + target.url());
                return;
            }
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
        if (forwarder != null) {
            if (!afterRecorded) {
                // flows still being converted may hold this very request (a client that repeats a request as soon as
                // it has the answer): look again once they are replayable, without holding the I/O thread meanwhile
                Executor whenRecorded = task -> recorder.afterAccepted(() -> ex.getIoThread().execute(task));
                ex.dispatch(whenRecorded, () -> answer(ex, flow, target, body, whole, true));
                return;
            }
            forwardMiss(ex, flow, target, body, whole);
            return;
        }
        Miss miss = found.miss();
        LOG.info("Harp replay miss: {} {}", method, Redactor.forLog(target.url()));
        Exchanges.sendPlain(ex, 502, "Harp replay miss: no recorded response in " + replay.file() + " for this request.\n\n"
                + miss.describe(), new HttpHeader(MISS_HEADER.toString(), method + " " + Redactor.forLog(target.url())));
    }

    /** Auto mode: forwards a miss with the body read for the lookup, on the I/O thread, as in record mode. */
    private void forwardMiss(HttpServerExchange ex, Flow flow, Target target, byte[] body, CapturedBody whole) {
        long length = whole == null ? body.length : whole.size();
        forwarder.forward(ex, target, flow, new Forwarder.BufferedBody() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open() throws IOException {
                return whole == null ? new ByteArrayInputStream(body) : whole.openStream();
            }
        });
    }

    /**
     * A hit on a recorded WebSocket conversation: only an HTTP/1.1 upgrade can be answered with it (matching already
     * keeps plain requests away from it, but an HTTP/2 client could still ask).
     */
    private void serveWebSocket(HttpServerExchange ex, WebSocketConversation conversation, ReplayResponse response,
                                String label) {
        if (!WebSocketReplayer.isUpgrade(ex)) {
            Exchanges.sendPlain(ex, 502, "Harp: recorded entry #" + conversation.entryIndex() + " of " + replay.file()
                    + " is a WebSocket conversation, and " + Redactor.forLog(label) + " is not a WebSocket upgrade over"
                    + " HTTP/1.1 that Harp can answer with it");
            return;
        }
        webSockets.serve(ex, conversation, response.headers(), label);
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
