package dev.harp.flow;

/** A stage that receives every flow once it has ended (completed, aborted or failed). */
@FunctionalInterface
public interface FlowSink {
    /** Receives an ended flow; called on the thread that ended it, must not block for long. */
    void accept(Flow flow);

    /** A sink that drops everything (passthrough mode). */
    FlowSink NONE = flow -> { };
}
