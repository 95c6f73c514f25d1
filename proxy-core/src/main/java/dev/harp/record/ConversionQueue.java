package dev.harp.record;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the recorder's flow-to-entry conversions on one daemon thread ({@code harp-har-converter}), so that decoding,
 * redaction and base64 leave the proxy's I/O threads. The queue is bounded twice: by the number of flows waiting and
 * by the body bytes they hold on the heap. A flow that does not fit is not queued: {@link #offer} says no and the
 * caller converts it itself, which slows the connection that produced it (back-pressure) instead of growing the heap.
 *
 * <p>Batches: an I/O thread that queues a flow wakes the converter only when the queue was empty or is filling up;
 * once woken, the converter lets flows gather for {@link #GATHER_NANOS} before it converts them all. Under load that
 * is one wake-up per batch rather than one per exchange (each wake-up costs the I/O thread a system call and the
 * machine two context switches). {@link #await} and {@link #close} do not wait for a batch to gather.
 *
 * <p>One thread, first in first out: {@link #await} can wait for exactly the conversions queued before it was called.
 */
final class ConversionQueue {
    /** How long the converter lets flows gather once woken, unless the queue fills or someone waits. */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Thread thread;
    private final int maxFlows;
    private final long maxBytes;
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    private long queuedBytes;
    private long submitted;
    private long done;
    private int awaiting;
    private boolean closed;
    private long batches;

    private record Task(Runnable run, long heldBytes) {
    }

    /** Something to run once {@code done} reaches {@code target}. */
    private record Waiter(long target, Runnable then) {
    }

    /** In the order of their targets, which only grow. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /**
     * @param maxFlows most flows waiting at once
     * @param maxBytes most body bytes the waiting flows hold (a single flow larger than this is still taken when the
     *                 queue is empty)
     */
    ConversionQueue(int maxFlows, long maxBytes) {
        this.maxFlows = maxFlows;
        this.maxBytes = maxBytes;
        this.thread = new Thread(this::convertAll, "harp-har-converter");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a conversion, unless the queue is full or closed.
     *
     * @param heldBytes body bytes the flow keeps on the heap until it is converted
     * @return whether it was queued; when not, the caller runs {@code task} itself
     */
    synchronized boolean offer(Runnable task, long heldBytes) {
        int queued = tasks.size();
        if (closed || queued >= maxFlows || (queued > 0 && queuedBytes + heldBytes > maxBytes)) {
            return false;
        }
        tasks.add(new Task(task, heldBytes));
        queuedBytes += heldBytes;
        submitted++;
        if (queued == 0 || queued + 1 >= maxFlows / 2 || queuedBytes >= maxBytes / 2) {
            notifyAll();
        }
        return true;
    }

    /** The converter thread: waits for flows, lets a batch gather, converts it in order. */
    private void convertAll() {
        while (true) {
            Task next;
            synchronized (this) {
                while (tasks.isEmpty() && !closed) {
                    waitQuietly(0);
                }
                if (tasks.isEmpty()) {
                    notifyAll();
                    return;
                }
                long gatherUntil = System.nanoTime() + GATHER_NANOS;
                long left;
                while (!closed && awaiting == 0 && waiters.isEmpty() && tasks.size() < maxFlows / 2
                        && queuedBytes < maxBytes / 2
                        && (left = gatherUntil - System.nanoTime()) > 0) {
                    waitQuietly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                next = tasks.peek();
                batches++;
            }
            while (next != null) {
                try {
                    next.run().run();
                } catch (RuntimeException e) {
                    // the recorder's task reports its own failures; a thread that dies would stall every await
                } catch (Error e) {
                    // nobody else will report it: the thread goes on, so that waits for queued conversions end
                    org.slf4j.LoggerFactory.getLogger(ConversionQueue.class).error("Harp's HAR converter failed: {}",
                            e.toString(), e);
                } finally {
                    List<Runnable> due;
                    synchronized (this) {
                        tasks.poll();
                        queuedBytes -= next.heldBytes();
                        done++;
                        notifyAll();
                        next = tasks.peek();
                        due = dueWaiters();
                    }
                    due.forEach(ConversionQueue::runQuietly);
                }
            }
        }
    }

    /** Waiters whose conversions have all ended, taken from the list (under the lock). */
    private List<Runnable> dueWaiters() {
        if (waiters.isEmpty() || waiters.peek().target() > done) {
            return List.of();
        }
        List<Runnable> due = new ArrayList<>();
        while (!waiters.isEmpty() && waiters.peek().target() <= done) {
            due.add(waiters.poll().then());
        }
        return due;
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // the waiter's own affair: the converter goes on
        }
    }

    /**
     * Runs {@code then} once the conversions queued before this call have ended: at once on the calling thread when
     * none is queued, else on the converter thread right after the last of them.
     */
    void afterQueued(Runnable then) {
        synchronized (this) {
            if (done < submitted) {
                waiters.add(new Waiter(submitted, then));
                notifyAll(); // no gathering while someone waits
                return;
            }
        }
        then.run();
    }

    /** The converter's own wait: an interrupt (nobody has reason to send one) is dropped, or every wait would spin. */
    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException ignored) {
            // the flag stays clear: the thread goes on converting until close()
        }
    }

    /**
     * Waits, at most {@code limitMillis}, for the conversions queued before this call to end.
     *
     * @return whether they all ended
     */
    synchronized boolean await(long limitMillis) {
        long target = submitted;
        if (done >= target) {
            return true;
        }
        long deadline = System.currentTimeMillis() + limitMillis;
        long left;
        awaiting++;
        notifyAll(); // no gathering while someone waits
        try {
            while (done < target && (left = deadline - System.currentTimeMillis()) > 0) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            awaiting--;
        }
        return done >= target;
    }

    /** Takes no more flows, waits (at most {@code limitMillis}) for the queued ones and stops the thread. */
    boolean close(long limitMillis) {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        return await(limitMillis);
    }

    /** Batches converted so far (for tests). */
    synchronized long batches() {
        return batches;
    }

    /** Flows waiting now (for tests and diagnostics). */
    synchronized int queued() {
        return tasks.size();
    }
}
