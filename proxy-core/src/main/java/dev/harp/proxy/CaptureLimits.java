package dev.harp.proxy;

import dev.harp.flow.BodyCapture;

/**
 * How much of each body is kept for the HAR.
 *
 * @param memoryThreshold bytes kept on the heap before spilling to a temporary file
 * @param limit           bytes kept at most per body
 */
record CaptureLimits(int memoryThreshold, long limit) {
    /** Limits that keep nothing and only count, for a sink that records nothing (passthrough). */
    static final CaptureLimits NOTHING = new CaptureLimits(0, 0);

    BodyCapture newCapture() {
        return new BodyCapture(memoryThreshold, limit);
    }
}
