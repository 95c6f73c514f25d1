package dev.harp.proxy;

import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

import java.util.function.BooleanSupplier;

/**
 * The two timers of a {@link Relay}, on its I/O thread: the response timeout (from the whole request sent to the
 * response head) and the periodic check that the client is still there (see {@link ClientWatch}).
 */
final class RelayTimers {
    private final XnioIoThread thread;
    private XnioExecutor.Key response;
    private XnioExecutor.Key poll;

    RelayTimers(XnioIoThread thread) {
        this.thread = thread;
    }

    /** Runs {@code timedOut} after {@code millis}, unless {@link #responseArrived} or {@link #cancel} comes first. */
    void responseTimeout(Runnable timedOut, long millis) {
        response = IoTasks.later(thread, () -> {
            response = null;
            timedOut.run();
        }, millis);
    }

    /** The response head arrived: no more response timeout. */
    void responseArrived() {
        if (response != null) {
            response.remove();
            response = null;
        }
    }

    /** Asks {@code again} every {@code millis} for as long as it answers true, until {@link #cancel}. */
    void poll(BooleanSupplier again, long millis) {
        poll = IoTasks.later(thread, () -> {
            poll = null;
            if (again.getAsBoolean()) {
                poll(again, millis);
            }
        }, millis);
    }

    /** Stops both. */
    void cancel() {
        responseArrived();
        if (poll != null) {
            poll.remove();
            poll = null;
        }
    }
}
