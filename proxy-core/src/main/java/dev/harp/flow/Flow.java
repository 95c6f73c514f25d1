package dev.harp.flow;

import java.time.Instant;

/**
 * One request/response exchange through Harp, with its timings and its outcome.
 *
 * <p>The listener edge creates a flow, the pipeline stages (upstream client or replayer, then the recorder)
 * read and enrich it. A flow is confined to the thread handling its exchange until it is completed, and is
 * not changed after {@link #complete} or {@link #fail}.
 */
public final class Flow {
    /** How an exchange ended. */
    public enum Outcome {
        /** Still in progress. */
        OPEN,
        /** The client received the whole response. */
        COMPLETE,
        /** The client went away (closed, reset, timed out) before the response was delivered. */
        CLIENT_ABORTED,
        /** The upstream refused, reset, timed out or failed the TLS handshake. */
        UPSTREAM_FAILED
    }

    private final Instant started;
    private final long startNanos;
    private FlowRequest request;
    private FlowResponse response;
    private long requestSentNanos;
    private long responseHeadNanos;
    private long endNanos;
    private Outcome outcome = Outcome.OPEN;
    private String error;
    private boolean responseComplete;
    private WebSocketLog webSocket;

    /** Starts a flow now. */
    public Flow() {
        this(Instant.now(), System.nanoTime());
    }

    /** Starts a flow at the given wall-clock and monotonic times. */
    public Flow(Instant started, long startNanos) {
        this.started = started;
        this.startNanos = startNanos;
    }

    /** Wall-clock time at which the request started. */
    public Instant started() {
        return started;
    }

    /** Monotonic start time, for ordering and timings. */
    public long startNanos() {
        return startNanos;
    }

    /** The request, once its body has been read. */
    public FlowRequest request() {
        return request;
    }

    /** Sets the request; marks now as the end of the send phase. */
    public void request(FlowRequest value) {
        request(value, System.nanoTime());
    }

    /** Sets the request, whose last byte was sent at the given monotonic time. */
    public void request(FlowRequest value, long sentNanos) {
        this.request = value;
        this.requestSentNanos = sentNanos;
    }

    /** The response, or null when none arrived. */
    public FlowResponse response() {
        return response;
    }

    /** Marks the arrival of the response head (the end of the wait phase). */
    public void responseHeadReceived() {
        this.responseHeadNanos = System.nanoTime();
    }

    /** Sets the response once its body is complete. */
    public void response(FlowResponse value) {
        this.response = value;
    }

    /** Marks that the whole response body arrived (even if the client then went away). */
    public void responseComplete() {
        this.responseComplete = true;
    }

    /** Whether the whole response body arrived from the upstream or the replayed entry. */
    public boolean isResponseComplete() {
        return responseComplete;
    }

    /** The WebSocket conversation that followed this exchange's 101 response, or null when there was none. */
    public WebSocketLog webSocket() {
        return webSocket;
    }

    /** Sets the WebSocket conversation that followed the 101 response. */
    public void webSocket(WebSocketLog conversation) {
        this.webSocket = conversation;
    }

    /** How the exchange ended. */
    public Outcome outcome() {
        return outcome;
    }

    /** Why the exchange did not complete, or null. */
    public String error() {
        return error;
    }

    /** Ends the flow successfully. */
    public void complete() {
        end(Outcome.COMPLETE, null);
    }

    /** Ends the flow with a failure outcome and a one-line reason. */
    public void fail(Outcome why, String reason) {
        end(why, reason);
    }

    private void end(Outcome o, String reason) {
        if (outcome == Outcome.OPEN) {
            outcome = o;
            error = reason;
            endNanos = System.nanoTime();
            if (responseHeadNanos == 0) {
                responseHeadNanos = endNanos;
            }
            if (requestSentNanos == 0) {
                requestSentNanos = responseHeadNanos;
            }
        }
    }

    /** Milliseconds spent receiving the request from the client (HAR {@code send}). */
    public double sendMillis() {
        return millis(startNanos, requestSentNanos);
    }

    /** Milliseconds waiting for the response head (HAR {@code wait}). */
    public double waitMillis() {
        return millis(requestSentNanos, responseHeadNanos);
    }

    /** Milliseconds receiving the response body (HAR {@code receive}). */
    public double receiveMillis() {
        return millis(responseHeadNanos, endNanos);
    }

    private static double millis(long from, long to) {
        if (from == 0 || to == 0 || to < from) {
            return 0;
        }
        return Math.round((to - from) / 1_000.0) / 1_000.0;
    }
}
