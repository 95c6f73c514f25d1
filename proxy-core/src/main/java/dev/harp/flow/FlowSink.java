package dev.harp.flow;

/**
 * A stage that receives every flow once it has ended (completed, aborted or failed).
 *
 * <p>The forwarder announces each exchange with {@link #started} and always ends it with {@link #finished}, after
 * {@link #accept} when the flow is delivered; a sink that must not lose late flows (the recorder, when a running
 * proxy switches to another HAR) waits for the exchanges in between.
 */
public interface FlowSink {
    /** Receives an ended flow; called on the thread that ended it, must not block for long. Bodies are valid only during the call. */
    void accept(Flow flow);

    /**
     * Receives an ended flow together with the duty to release its bodies: {@code release} runs exactly once, when
     * the sink is done with them, possibly later and on another thread (the recorder converts flows off the I/O
     * threads). By default the flow is handled during the call and released at its end.
     */
    default void accept(Flow flow, Runnable release) {
        try {
            accept(flow);
        } finally {
            release.run();
        }
    }

    /** An exchange that may deliver a flow has begun. */
    default void started(Flow flow) {
    }

    /** The exchange announced by {@link #started} is over, delivered or not. */
    default void finished(Flow flow) {
    }

    /**
     * Runs {@code then} once the flows accepted before this call are handled (recorded and, in auto mode, replayable):
     * at once on the calling thread when nothing is pending, else later on the sink's own thread, which {@code then}
     * must leave quickly. By default flows are handled during {@link #accept}, so it runs at once.
     */
    default void afterAccepted(Runnable then) {
        then.run();
    }

    /** A sink that drops everything (passthrough mode). */
    FlowSink NONE = flow -> { };
}
