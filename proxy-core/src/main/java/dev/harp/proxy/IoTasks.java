package dev.harp.proxy;

import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Tasks and timers on an I/O thread that may be terminating because the proxy is stopping: XNIO then refuses them
 * with a {@link RejectedExecutionException}, which, thrown from a channel listener, it would log at ERROR with a
 * stack trace. Here a refused task is dropped quietly: the exchange it served is being closed anyway.
 */
final class IoTasks {
    private IoTasks() {
    }

    /** Runs {@code task} on {@code thread} after {@code millis}; null when the thread refuses (it is terminating). */
    static XnioExecutor.Key later(XnioIoThread thread, Runnable task, long millis) {
        try {
            return thread.executeAfter(task, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException terminating) {
            return null;
        }
    }

    /** Queues {@code task} on {@code thread}; false when the thread refuses (it is terminating). */
    static boolean soon(XnioIoThread thread, Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException terminating) {
            return false;
        }
    }
}
