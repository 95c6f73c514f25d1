package dev.harp.proxy;

import dev.harp.flow.BodyCapture;
import dev.harp.flow.Flow;
import dev.harp.flow.FlowRequest;
import dev.harp.flow.FlowResponse;
import dev.harp.record.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.io.IOException;

/**
 * How one forwarded exchange ends, and the one place where it does: completed, failed by the upstream (answered with
 * Harp's own explanation), or ended by the client (gone, too slow, a broken body). The flow is delivered to the sink
 * exactly once, with the release of both body captures, and whatever ends the flow also ends the other side: the
 * current upstream attempt is stopped ({@code stopAttempt}), the client is answered or its connection (on HTTP/2, its
 * stream) closed. Runs on the exchange's I/O thread, like the rest of the {@link Relay}.
 */
final class Settlement {
    /** Log lines keep the logger they have always been written to. */
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final ForwardedRequest request;
    private final Flow flow;
    private final Forwarder owner;
    private final RelayTimers timers;
    private final Runnable stopAttempt;
    private BodyCapture requestBody;
    private final BodyCapture responseBody;
    private boolean delivered;
    private boolean settled;

    /** @param stopAttempt stops the current upstream attempt at once (its connection closed, its pumps and timers) */
    Settlement(ForwardedRequest request, Flow flow, Forwarder owner, RelayTimers timers, Runnable stopAttempt) {
        this.request = request;
        this.flow = flow;
        this.owner = owner;
        this.timers = timers;
        this.stopAttempt = stopAttempt;
        this.requestBody = owner.limits().newCapture();
        this.responseBody = owner.limits().newCapture();
    }

    /** The capture of the request body the current attempt sends. */
    BodyCapture requestBody() {
        return requestBody;
    }

    BodyCapture responseBody() {
        return responseBody;
    }

    /** Before a retry: the request body is captured afresh as it is sent again. */
    void restartRequestBody() {
        requestBody.close();
        requestBody = owner.limits().newCapture();
    }

    /** Whether the flow has ended (or been handed over to a WebSocket relay). */
    boolean settled() {
        return settled;
    }

    /** Whether the flow was delivered complete (the whole response recorded), whatever happens to its last bytes. */
    boolean delivered() {
        return delivered;
    }

    /** The flow's request as it went upstream, with the body captured so far and when it was sent whole. */
    void requestSent(long sentNanos) {
        flow.request(new FlowRequest(request.method(), request.target().url(), request.version(), request.headers(),
                requestBody.finishOrRelease()), sentNanos);
    }

    /** The response is whole: record it (before its last bytes reach the client) and end the flow. */
    void complete(FlowResponse response) {
        if (settled) {
            return;
        }
        flow.response(response);
        flow.responseComplete();
        flow.complete();
        delivered = true;
        settle();
    }

    /** The upstream broke off the response body. */
    void upstreamBrokeOff(FlowResponse partial, IOException error) {
        if (settled) {
            return;
        }
        flow.response(partial);
        flow.fail(Flow.Outcome.UPSTREAM_FAILED, "upstream " + request.target().authority()
                + " broke off the response body: " + error.getMessage());
        LOG.info("Harp: {} {}", Redactor.forLog(request.target().url()), flow.error());
        stopAttempt.run();
        settle(); // before closing the client's connection, whose exchange-complete listener would call again
        IoUtils.safeClose(request.exchange().getConnection());
    }

    /** The client went away while the response was on its way ({@code partial}: what had arrived). */
    void clientLeftDuringResponse(FlowResponse partial, IOException error) {
        if (settled) {
            ClientAborts.log(request.target().url(), "the client closed with the whole response, before its end: " + error);
            stopAttempt.run();
            IoUtils.safeClose(request.exchange().getConnection());
            return;
        }
        flow.response(partial);
        clientAborted("client went away while receiving the response: " + error);
    }

    /** Ends the flow as failed by the upstream, with an answer of Harp's own that says why. */
    void upstreamFailed(int status, String why) {
        if (settled) {
            return;
        }
        recordRequest();
        flow.fail(Flow.Outcome.UPSTREAM_FAILED, why);
        LOG.info("Harp: {} {} -> {} {}", request.method(), Redactor.forLog(request.target().url()), status, why);
        settle();
        Exchanges.sendPlain(request.exchange(), status, "Harp: " + why);
    }

    /** The client sends its request body too slowly ({@link SlowBodyGuard}): 408, and the connection closed. */
    void clientTooSlow(String progress) {
        long grace = owner.requestTimeout().toSeconds();
        String reason = "sent its request body too slowly (" + progress + ", under "
                + SlowBodyGuard.MIN_BYTES_PER_SECOND + " bytes/s after " + grace + " s)";
        endedByClient(reason, () -> Exchanges.sendPlain(request.exchange(), 408, "Harp: the request body arrived too"
                + " slowly: " + progress + "; Harp expects at least " + SlowBodyGuard.MIN_BYTES_PER_SECOND
                + " bytes/s once the request timeout (" + grace + " s) has passed"));
    }

    /** The request body's framing broke mid-way ({@link RequestFraming#bodyProblem}): 400, and the connection closed. */
    void badRequestBody(String problem) {
        endedByClient(problem, () -> Exchanges.sendPlain(request.exchange(), 400, problem));
    }

    /** The client went away: its connection (on HTTP/2, its stream) is closed. */
    void clientAborted(String reason) {
        endedByClient(reason, () -> IoUtils.safeClose(request.exchange().getConnection()));
    }

    /**
     * The exchange leaves for a {@link WebSocketRelay}, which delivers the flow and tells the sink when the
     * conversation ends: from now on nothing here ends it. Returns the release of both captures.
     */
    Runnable handOver() {
        settled = true;
        timers.cancel();
        BodyCapture body = requestBody;
        return () -> {
            body.close();
            responseBody.close();
        };
    }

    /**
     * Ends the flow as aborted by the client, then {@code answer}s it (Harp's own answer, or a closed connection): after
     * settling, because closing the client's connection calls its exchange-complete listener, which would call again.
     */
    private void endedByClient(String reason, Runnable answer) {
        if (settled) {
            return;
        }
        stopAttempt.run();
        recordRequest();
        flow.fail(Flow.Outcome.CLIENT_ABORTED, reason);
        ClientAborts.log(request.target().url(), reason);
        settle();
        answer.run();
    }

    /** Sets the flow's request, with the body captured so far, unless the response head set it already. */
    private void recordRequest() {
        if (flow.request() == null) {
            flow.request(new FlowRequest(request.method(), request.target().url(), request.version(), request.headers(),
                    requestBody.finishOrRelease()));
        }
    }

    /** Delivers the ended flow once, handing the sink the release of both captures; tells the sink it is over. */
    private void settle() {
        if (settled) {
            return;
        }
        settled = true;
        timers.cancel();
        BodyCapture body = requestBody;
        try {
            // the sink releases both captures once it has read them: the recorder converts off this I/O thread
            owner.sink().accept(flow, () -> {
                body.close();
                responseBody.close();
            });
        } catch (RuntimeException e) {
            LOG.error("Harp could not record {}: {}", Redactor.forLog(request.target().url()), e.toString(), e);
        } finally {
            owner.sink().finished(flow);
        }
    }
}
