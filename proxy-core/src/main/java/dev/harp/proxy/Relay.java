package dev.harp.proxy;

import dev.harp.record.Redactor;
import dev.harp.flow.BodyCapture;
import dev.harp.flow.Flow;
import dev.harp.flow.FlowRequest;
import dev.harp.flow.FlowResponse;
import dev.harp.flow.HttpHeader;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.List;

/**
 * One exchange forwarded by {@link Forwarder}: every step runs on the client connection's I/O thread, driven by
 * Undertow's callbacks (upstream connected, request body readable, response head arrived, sink writable, timers).
 *
 * <p>The flow ends exactly once ({@link #settle}): completed, client aborted or upstream failed. Whatever ends it
 * also ends the other side: a client that goes away closes the upstream connection (which is how an HTTP/1.1
 * upstream learns that a request was cancelled), an upstream that fails closes or answers the client.
 *
 * <p>The relay coordinates and settles; {@link UpstreamAttempts} makes the attempts (connection, request head, the
 * one retry, the explanation of a failed TLS handshake), {@link RequestRelay} and {@link ResponseRelay} move the
 * bodies.
 */
final class Relay {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final Forwarder owner;
    private final HttpServerExchange ex;
    private final Target target;
    private final Flow flow;
    private final String method;
    private final String version;
    private final List<HttpHeader> headers;
    private final long contentLength;
    private final Forwarder.BufferedBody bufferedBody;
    private BodyCapture requestBody;
    private final BodyCapture responseBody;
    private final ClientWatch watch;
    private final UpstreamAttempts attempts;
    private RequestRelay requestRelay;
    private BodyPump responsePump;
    private ResponseRelay responseRelay;
    private boolean requestSent;
    private long requestSentNanos;
    private final RelayTimers timers;
    private boolean headArrived;
    private boolean closeClientAfterResponse;
    private boolean delivered;
    private boolean settled;

    /**
     * @param flow         the flow, started when the request arrived
     * @param bufferedBody the request body when it has been read already (auto mode reads it to look the request up),
     *                     or null to stream it from the client
     */
    Relay(Forwarder owner, HttpServerExchange ex, Target target, Flow flow, Forwarder.BufferedBody bufferedBody) {
        this.owner = owner;
        this.flow = flow;
        this.ex = ex;
        this.target = target;
        this.method = ex.getRequestMethod().toString();
        this.version = ex.getProtocol().toString();
        this.headers = WebSocketUpgrade.forUpstream(Exchanges.requestHeaders(ex));
        this.bufferedBody = bufferedBody;
        this.contentLength = bufferedBody != null ? bufferedBody.length() : Exchanges.requestBodyLength(ex);
        this.requestBody = owner.limits().newCapture();
        this.responseBody = owner.limits().newCapture();
        this.watch = ClientWatch.of(ex);
        this.attempts = new UpstreamAttempts(this);
        this.timers = new RelayTimers(ex.getIoThread());
    }

    /** Starts on the I/O thread of the exchange, which must have been dispatched (so it stays open). */
    void start() {
        owner.sink().started(flow);
        ex.addExchangeCompleteListener((exchange, next) -> {
            if (!settled) {
                clientAborted("the client ended the exchange (connection closed or timed out)");
            }
            next.proceed();
        });
        attempts.start();
    }

    /** The upstream request for this exchange's, for {@link UpstreamAttempts} to send. */
    ClientRequest upstreamRequest() {
        return RequestRelay.toUpstream(ex, target, headers, contentLength);
    }

    /** Attempt {@code mine} sent the request head: the body follows, unless the flow ended or the answer came. */
    void sendBody(int mine, ClientExchange exchange) {
        if (settled || headArrived) {
            return;
        }
        requestRelay = new RequestRelay(this, mine, exchange);
        requestRelay.start();
    }

    /** The pieces {@link RequestRelay} needs. */
    long contentLength() {
        return contentLength;
    }

    BodyCapture requestBody() {
        return requestBody;
    }

    /** The request body read already, or null when it streams from the client. */
    Forwarder.BufferedBody bufferedBody() {
        return bufferedBody;
    }

    /** The upstream took the whole request (its body, if any, sent and flushed). */
    void requestSent() {
        if (requestSent) {
            return;
        }
        requestSent = true;
        requestSentNanos = System.nanoTime();
        if (!headArrived && !settled) {
            // the response timeout counts from here: an upload may take as long as it honestly takes
            timers.responseTimeout(this::responseTimedOut, owner.responseTimeout().toMillis());
            timers.poll(this::clientStillThere, ClientWatch.POLL.toMillis());
        }
    }

    /**
     * Until the whole response has arrived, checks every so often that the client is still there (see
     * {@link ClientWatch}): while the upstream thinks, and while it pauses mid-body, nothing else would notice a
     * client that left, because Undertow does not read an HTTP/1.x connection during an exchange. Most exchanges
     * end before the first check. Answers whether to check again: not once the flow has ended, or the client left.
     */
    private boolean clientStillThere() {
        if (settled) {
            return false;
        }
        String gone = watch.gone();
        if (gone == null) {
            return true;
        }
        if (responseRelay != null) {
            responseRelay.clientGone(gone + " while the upstream paused the response");
        } else {
            clientAborted(gone + " while the upstream was thinking");
        }
        return false;
    }

    private void responseTimedOut() {
        if (!settled && !headArrived) {
            failedBeforeHead(attempts.current(), new HttpTimeoutException("upstream response timed out"));
        }
    }

    void responseHead(ClientExchange result) {
        if (settled || headArrived) {
            return;
        }
        headArrived = true;
        timers.responseArrived();
        if (!requestSent) {
            // the upstream answered before taking the whole body (a 413, a 401): stop sending; the client's
            // connection cannot be reused, its unread body is still on the wire
            if (requestRelay != null) {
                requestRelay.cancel();
            }
            ex.setPersistent(false);
            closeClientAfterResponse = true;
        }
        long sent = requestSent ? requestSentNanos : System.nanoTime();
        flow.request(new FlowRequest(method, target.url(), version, headers, requestBody.finishOrRelease()), sent);
        flow.responseHeadReceived();
        ClientResponse response = result.getResponse();
        if (response.getResponseCode() == 101 && WebSocketUpgrade.requested(headers)) {
            switchToWebSocket(response);
            return;
        }
        if (response.getResponseCode() < 200) {
            // an interim response (102 Processing, 103 Early Hints; a 100 Continue never gets here): Undertow's
            // HTTP/1.1 client takes it for the final one and would drop the real answer that follows, so refuse
            // clearly rather than relay a wrong answer or hang
            stopAttempt();
            upstreamFailed(502, "upstream " + target.authority() + " sent an interim response ("
                    + response.getResponseCode() + ") before its answer, which Harp cannot forward yet");
            return;
        }
        responseRelay = new ResponseRelay(this, result, response);
        responseRelay.start();
    }

    /**
     * The upstream agreed to a WebSocket upgrade: the connection leaves this relay (and its pool) for a
     * {@link WebSocketRelay}, which answers the client with the 101 and delivers the flow when the conversation ends.
     */
    private void switchToWebSocket(ClientResponse response) {
        ClientConnection connection = attempts.connection();
        org.xnio.StreamConnection upgraded;
        try {
            upgraded = connection.performUpgrade();
        } catch (IOException | RuntimeException e) {
            stopAttempt();
            upstreamFailed(502, "upstream " + target.authority() + " agreed to the WebSocket upgrade, but its connection"
                    + " could not be taken over: " + e);
            return;
        }
        attempts.released();
        settled = true; // the WebSocket relay delivers the flow and tells the sink when it is over
        timers.cancel();
        new WebSocketRelay(owner, ex, target, flow, response, connection, upgraded, () -> {
            requestBody.close();
            responseBody.close();
        }).start();
    }

    /** The pieces {@link ResponseRelay} needs. */
    HttpServerExchange exchange() {
        return ex;
    }

    Target target() {
        return target;
    }

    Flow flow() {
        return flow;
    }

    BodyCapture responseBody() {
        return responseBody;
    }

    Forwarder owner() {
        return owner;
    }

    String method() {
        return method;
    }

    void responsePump(BodyPump pump) {
        this.responsePump = pump;
    }

    /** The response is whole: record it (before its last bytes reach the client) and end the flow. */
    void complete(FlowResponse response) {
        flow.response(response);
        flow.responseComplete();
        flow.complete();
        delivered = true;
        settle();
    }

    boolean delivered() {
        return delivered;
    }

    /**
     * The response has gone out whole. When the upstream answered before taking the whole request body, the rest of
     * that body is still on its way from the client and nobody will read it: Undertow would wait for it before ending
     * the exchange (and, reads being suspended, would never notice the client leave), so Harp closes the connection,
     * as it does after its own early answers ({@link Exchanges#sendPlain}).
     */
    void responseSent() {
        if (closeClientAfterResponse) {
            IoUtils.safeClose(ex.getConnection());
        }
    }

    /** The response body ended cleanly: the upstream connection can serve the next request. */
    void upstreamDone() {
        if (requestSent) {
            attempts.release();
        } else {
            attempts.closeConnection();
        }
    }

    /** The upstream broke off the response body. */
    void upstreamBrokeOff(FlowResponse partial, IOException error) {
        if (settled) {
            return;
        }
        flow.response(partial);
        flow.fail(Flow.Outcome.UPSTREAM_FAILED, "upstream " + target.authority() + " broke off the response body: "
                + error.getMessage());
        LOG.info("Harp: {} {}", Redactor.forLog(target.url()), flow.error());
        stopAttempt();
        settle(); // before closing the client's connection, whose exchange-complete listener would call again
        IoUtils.safeClose(ex.getConnection());
    }

    /** The client went away while the response was on its way. */
    void clientLeftDuringResponse(FlowResponse partial, IOException error) {
        if (settled) {
            ClientAborts.log(target.url(), "the client closed with the whole response, before its end: " + error);
            attempts.closeConnection();
            IoUtils.safeClose(ex.getConnection());
            return;
        }
        flow.response(partial);
        clientAborted("client went away while receiving the response: " + error);
    }

    /** Attempt {@code from} failed before any answer: {@link UpstreamAttempts} decides what follows. */
    void failedBeforeHead(int from, IOException error) {
        if (settled || headArrived || from != attempts.current()) {
            return;
        }
        stopAttempt();
        attempts.failed(error);
    }

    /** Why the client is gone, or null while it is there (see {@link ClientWatch#verdict}). */
    String clientGone() {
        return watch.verdict();
    }

    /** Before a retry: the request is to be sent again, its body captured afresh. */
    void resetRequest() {
        requestSent = false;
        requestBody.close();
        requestBody = owner.limits().newCapture();
    }

    boolean settled() {
        return settled;
    }

    /** Ends the flow as failed by the upstream, with an answer of Harp's own that says why. */
    void upstreamFailed(int status, String why) {
        recordRequest();
        flow.fail(Flow.Outcome.UPSTREAM_FAILED, why);
        LOG.info("Harp: {} {} -> {} {}", method, Redactor.forLog(target.url()), status, why);
        settle();
        Exchanges.sendPlain(ex, status, "Harp: " + why);
    }

    /** Sets the flow's request, with the body captured so far, unless the response head set it already. */
    private void recordRequest() {
        if (flow.request() == null) {
            flow.request(new FlowRequest(method, target.url(), version, headers, requestBody.finishOrRelease()));
        }
    }

    /**
     * Stops the current attempt: its callbacks become stale (closing its connection calls them again), its timers
     * and pumps stop, and its upstream connection is closed at once, which is how an HTTP/1.1 upstream learns that a
     * request is cancelled.
     */
    private void stopAttempt() {
        attempts.abandon();
        timers.cancel();
        if (requestRelay != null) {
            requestRelay.cancel();
        }
        if (responsePump != null) {
            responsePump.cancel();
        }
        attempts.closeConnection();
    }

    /** The client sends its request body too slowly ({@link SlowBodyGuard}): 408, and the connection closed. */
    void clientTooSlow(String progress) {
        String reason = "sent its request body too slowly (" + progress + ", under "
                + SlowBodyGuard.MIN_BYTES_PER_SECOND + " bytes/s after " + owner.requestTimeout().toSeconds() + " s)";
        endedByClient(reason, () -> Exchanges.sendPlain(ex, 408, "Harp: the request body arrived too slowly: " + progress
                + "; Harp expects at least " + SlowBodyGuard.MIN_BYTES_PER_SECOND + " bytes/s once the request timeout ("
                + owner.requestTimeout().toSeconds() + " s) has passed"));
    }

    /** The request body's framing broke mid-way ({@link RequestFraming#bodyProblem}): 400, and the connection closed. */
    void badRequestBody(String problem) {
        endedByClient(problem, () -> Exchanges.sendPlain(ex, 400, problem));
    }

    void clientAborted(String reason) {
        endedByClient(reason, () -> IoUtils.safeClose(ex.getConnection()));
    }

    /**
     * Ends the flow as aborted by the client, then {@code answer}s it (Harp's own answer, or a closed connection): after
     * settling, because closing the client's connection calls its exchange-complete listener, which would call again.
     */
    private void endedByClient(String reason, Runnable answer) {
        if (settled) {
            return;
        }
        stopAttempt();
        recordRequest();
        flow.fail(Flow.Outcome.CLIENT_ABORTED, reason);
        ClientAborts.log(target.url(), reason);
        settle();
        answer.run();
    }

    /**
     * Delivers the ended flow once, handing the sink the release of both captures, and tells the sink the exchange
     * is over.
     */
    private void settle() {
        if (settled) {
            return;
        }
        settled = true;
        timers.cancel();
        BodyCapture request = requestBody;
        try {
            // the sink releases both captures once it has read them: the recorder converts off this I/O thread
            owner.sink().accept(flow, () -> {
                request.close();
                responseBody.close();
            });
        } catch (RuntimeException e) {
            LOG.error("Harp could not record {}: {}", Redactor.forLog(target.url()), e.toString(), e);
        } finally {
            owner.sink().finished(flow);
        }
    }
}
