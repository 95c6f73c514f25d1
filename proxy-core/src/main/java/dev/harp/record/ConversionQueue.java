package dev.harp.record;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the recorder's flow-to-entry conversions on one daemon thread ({@code harp-har-converter}), so that decoding,
 * redaction and base64 leave the proxy's I/O threads. The queue is bounded twice: by the number of flows waiting and
 * by the body bytes they hold on the heap. A flow that does not fit is not queued: {@link #offer} says no and the
 * caller converts it itself, which slows the connection that produced it (back-pressure) instead of growing the heap.
 *
 * <p>One thread, first in first out: {@link #await} can wait for exactly the conversions queued before it was called.
 */
final class ConversionQueue {
    private final ExecutorService thread;
    private final int maxFlows;
    private final long maxBytes;
    private int queued;
    private long queuedBytes;
    private long submitted;
    private long done;
    private boolean closed;

    /**
     * @param maxFlows most flows waiting at once
     * @param maxBytes most body bytes the waiting flows hold (a single flow larger than this is still taken when the
     *                 queue is empty)
     */
    ConversionQueue(int maxFlows, long maxBytes) {
        this.maxFlows = maxFlows;
        this.maxBytes = maxBytes;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "harp-har-converter");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues a conversion, unless the queue is full or closed.
     *
     * @param heldBytes body bytes the flow keeps on the heap until it is converted
     * @return whether it was queued; when not, the caller runs {@code task} itself
     */
    boolean offer(Runnable task, long heldBytes) {
        synchronized (this) {
            if (closed || queued >= maxFlows || (queued > 0 && queuedBytes + heldBytes > maxBytes)) {
                return false;
            }
            queued++;
            queuedBytes += heldBytes;
            submitted++;
        }
        thread.execute(() -> {
            try {
                task.run();
            } finally {
                synchronized (this) {
                    queued--;
                    queuedBytes -= heldBytes;
                    done++;
                    notifyAll();
                }
            }
        });
        return true;
    }

    /**
     * Waits, at most {@code limitMillis}, for the conversions queued before this call to end.
     *
     * @return whether they all ended
     */
    synchronized boolean await(long limitMillis) {
        long target = submitted;
        long deadline = System.currentTimeMillis() + limitMillis;
        long left;
        while (done < target && (left = deadline - System.currentTimeMillis()) > 0) {
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return done >= target;
    }

    /** Takes no more flows, waits (at most {@code limitMillis}) for the queued ones and stops the thread. */
    boolean close(long limitMillis) {
        synchronized (this) {
            closed = true;
        }
        boolean drained = await(limitMillis);
        thread.shutdown();
        return drained;
    }

    /** Flows waiting now (for tests and diagnostics). */
    synchronized int queued() {
        return queued;
    }
}
