package dev.harp.proxy;

import dev.harp.flow.Flow;
import dev.harp.flow.HttpHeader;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.List;

/**
 * One exchange forwarded by {@link Forwarder}: every step runs on the client connection's I/O thread, driven by
 * Undertow's callbacks (upstream connected, request body readable, response head arrived, sink writable, timers).
 * HTTP/1.x and HTTP/2 clients go through the same steps.
 *
 * <p>The relay coordinates the steps and their timers; its parts each have one job: {@link ForwardedRequest} is what
 * is sent, {@link UpstreamAttempts} makes the attempts (connection, request head, the one retry, the explanation of a
 * failed TLS handshake), {@link RequestRelay} and {@link ResponseRelay} pump the bodies ({@link BodyPump}), and
 * {@link Settlement} ends the flow, exactly once: completed, client aborted or upstream failed. Whatever ends it also
 * ends the other side: a client that goes away closes the upstream connection (which is how an upstream learns that
 * a request was cancelled), an upstream that fails closes or answers the client.
 */
final class Relay {
    private final Forwarder owner;
    private final ForwardedRequest request;
    private final Flow flow;
    private final ClientWatch watch;
    private final UpstreamAttempts attempts;
    private final RelayTimers timers;
    private final Settlement ending;
    private RequestRelay requestRelay;
    private BodyPump responsePump;
    private ResponseRelay responseRelay;
    private boolean requestSent;
    private long requestSentNanos;
    private boolean headArrived;
    private boolean closeClientAfterResponse;

    /**
     * @param flow         the flow, started when the request arrived
     * @param bufferedBody the request body when it has been read already (auto mode reads it to look the request up),
     *                     or null to stream it from the client
     */
    Relay(Forwarder owner, HttpServerExchange ex, Target target, Flow flow, Forwarder.BufferedBody bufferedBody) {
        this.owner = owner;
        this.flow = flow;
        this.request = ForwardedRequest.of(ex, target, bufferedBody);
        this.watch = ClientWatch.of(ex);
        this.timers = new RelayTimers(ex.getIoThread());
        this.ending = new Settlement(request, flow, owner, timers, this::stopAttempt);
        this.attempts = new UpstreamAttempts(this);
    }

    /** Starts on the I/O thread of the exchange, which must have been dispatched (so it stays open). */
    void start() {
        owner.sink().started(flow);
        request.exchange().addExchangeCompleteListener((exchange, next) -> {
            if (!ending.settled()) {
                ending.clientAborted("the client ended the exchange (connection closed or timed out)");
            }
            next.proceed();
        });
        attempts.start();
    }

    /** What is forwarded. */
    ForwardedRequest request() {
        return request;
    }

    /** How the flow ends. */
    Settlement ending() {
        return ending;
    }

    Forwarder owner() {
        return owner;
    }

    /** Attempt {@code mine} sent the request head: the body follows, unless the flow ended or the answer came. */
    void sendBody(int mine, ClientExchange exchange) {
        if (ending.settled() || headArrived) {
            return;
        }
        requestRelay = new RequestRelay(this, mine, exchange);
        requestRelay.start();
    }

    /** The upstream took the whole request (its body, if any, sent and flushed). */
    void requestSent() {
        if (requestSent) {
            return;
        }
        requestSent = true;
        requestSentNanos = System.nanoTime();
        if (!headArrived && !ending.settled()) {
            // the response timeout counts from here: an upload may take as long as it honestly takes
            timers.responseTimeout(this::responseTimedOut, owner.responseTimeout().toMillis());
            timers.poll(this::clientStillThere, ClientWatch.POLL.toMillis());
        }
    }

    /**
     * Until the whole response has arrived, checks every so often that the client is still there (see
     * {@link ClientWatch}): while the upstream thinks, and while it pauses mid-body, nothing else would notice a
     * client that left, because Undertow does not read an HTTP/1.x connection during an exchange, and only marks a
     * reset HTTP/2 stream. Most exchanges end before the first check. Answers whether to check again: not once the
     * flow has ended, or the client left.
     */
    private boolean clientStillThere() {
        if (ending.settled()) {
            return false;
        }
        String gone = watch.gone();
        if (gone == null) {
            return true;
        }
        if (responseRelay != null) {
            responseRelay.clientGone(gone + " while the upstream paused the response");
        } else {
            ending.clientAborted(gone + " while the upstream was thinking");
        }
        return false;
    }

    private void responseTimedOut() {
        if (!ending.settled() && !headArrived) {
            failedBeforeHead(attempts.current(), new HttpTimeoutException("upstream response timed out"));
        }
    }

    void responseHead(ClientExchange result) {
        if (ending.settled() || headArrived) {
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
            request.exchange().setPersistent(false);
            closeClientAfterResponse = true;
        }
        ending.requestSent(requestSent ? requestSentNanos : System.nanoTime());
        flow.responseHeadReceived();
        ClientResponse response = result.getResponse();
        if (response.getResponseCode() == 101 && WebSocketUpgrade.requested(request.headers())) {
            switchToWebSocket(response);
            return;
        }
        if (response.getResponseCode() < 200) {
            // an interim response that InterimResponses did not take out (a connection made without it, a head
            // longer than it reads): Undertow's HTTP/1.1 client takes it for the final one and would drop the real
            // answer that follows, so refuse clearly rather than relay a wrong answer or hang
            stopAttempt();
            ending.upstreamFailed(502, "upstream " + request.target().authority() + " sent an interim response ("
                    + response.getResponseCode() + ") before its answer, which Harp cannot forward yet");
            return;
        }
        responseRelay = new ResponseRelay(this, result, response);
        responseRelay.start();
    }

    /** Attempt {@code mine} got an interim response (HTTP/1.1 upstream) before its answer: on to the client. */
    void interimResponse(int mine, int status, String reason, List<HttpHeader> headers) {
        if (ending.settled() || headArrived || mine != attempts.current()) {
            return;
        }
        InterimRelay.relay(request.exchange(), request.target().url(), status, reason, headers);
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
            ending.upstreamFailed(502, "upstream " + request.target().authority() + " agreed to the WebSocket upgrade,"
                    + " but its connection could not be taken over: " + e);
            return;
        }
        attempts.released();
        Runnable release = ending.handOver();
        new WebSocketRelay(owner, request.exchange(), request.target(), flow, response, connection, upgraded, release)
                .start();
    }

    void responsePump(BodyPump pump) {
        this.responsePump = pump;
    }

    /**
     * The response has gone out whole. When the upstream answered before taking the whole request body, the rest of
     * that body is still on its way from the client and nobody will read it: Undertow would wait for it before ending
     * the exchange (and, reads being suspended, would never notice the client leave), so Harp closes the connection,
     * as it does after its own early answers ({@link Exchanges#sendPlain}).
     */
    void responseSent() {
        if (closeClientAfterResponse) {
            IoUtils.safeClose(request.exchange().getConnection());
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

    /** The upstream connection failed after the whole response: closed, never back to the pool. */
    void upstreamBroken() {
        attempts.closeConnection();
    }

    /** Attempt {@code from} failed before any answer: {@link UpstreamAttempts} decides what follows. */
    void failedBeforeHead(int from, IOException error) {
        if (ending.settled() || headArrived || from != attempts.current()) {
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
        ending.restartRequestBody();
    }

    /**
     * Stops the current attempt: its callbacks become stale (closing its connection calls them again), its timers
     * and pumps stop, and its upstream connection is closed at once, which is how an upstream learns that a request
     * is cancelled.
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
}
