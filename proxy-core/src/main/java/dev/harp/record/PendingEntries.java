package dev.harp.record;

import dev.harp.har.HarEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorder's entries that are converted but not yet on disk, and the rule for one more when the disk does not take
 * them. Three cases:
 * <ul>
 *   <li>A disk slower than the traffic: past {@link Limits#waitAboveBytes} an entry wakes the writer and waits for it
 *   (at most {@link Limits#waitMillis}), which slows the traffic down to the disk's pace.</li>
 *   <li>A disk that hangs (a write that does not return): the first wait that times out marks the writer stalled, and
 *   from then on nobody waits until a write completes; traffic flows at full speed.</li>
 *   <li>A disk that fails (full): nobody waits; the entries stay in memory, in order, for the writer's next try.</li>
 * </ul>
 * In every case the entries held (those waiting and the batch the writer is writing) are bounded by
 * {@link Limits#maxBytes}: past it new entries are dropped and counted until a write succeeds again (so the entries
 * lost are one run), one WARN line says that dropping started (file, reason), and one INFO line says how many were
 * lost once a write succeeds again. Thread-safe.
 */
final class PendingEntries {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    /**
     * @param waitAboveBytes held bytes past which a new entry waits for the writer (back-pressure)
     * @param maxBytes       held bytes past which a new entry is dropped
     * @param waitMillis     longest an entry waits for the writer before the writer counts as stalled
     * @param closeMillis    longest {@code close()} waits for its last write
     * @param appendAboveBytes bytes waiting at which the writer is woken to append them before the flush interval ends
     */
    record Limits(long waitAboveBytes, long maxBytes, long waitMillis, long closeMillis, long appendAboveBytes) {
        /** 8 MiB before waiting, 64 MiB before dropping, 10 s of waiting, 8 s for the last write, appends of 256 KiB. */
        static final Limits DEFAULT = new Limits(8L << 20, 64L << 20, 10_000, 8_000, 256L << 10);

        /** Appends of 256 KiB, or of {@code waitAboveBytes} when that is smaller. */
        Limits(long waitAboveBytes, long maxBytes, long waitMillis, long closeMillis) {
            this(waitAboveBytes, maxBytes, waitMillis, closeMillis, Math.min(256L << 10, waitAboveBytes));
        }
    }

    /** What became of an entry offered with {@link #add}. */
    enum Admission { ADDED, DROPPED, CLOSED }

    private final Path file;
    private final Limits limits;
    private final Runnable wakeWriter;
    private List<HarEntry> waiting = new ArrayList<>();
    private long waitingBytes;
    /** Bytes and entries of the batch the writer took and is writing. */
    private long writingBytes;
    private int writingCount;
    /** Entries the file holds or will hold once the waiting ones are written. */
    private int size;
    private boolean closed;
    /** Stopping: entries are still taken, but nobody waits (the stop writes them all, within its own bound). */
    private boolean stopping;
    /** {@code close()} gave up its last write: a writer the disk releases later writes nothing. */
    private boolean abandoned;
    private boolean wakeRequested;
    /** A wait for the writer timed out, and no write completed since: nobody waits. */
    private boolean stalled;
    /** Message of the last write's failure, or null when the last write succeeded. */
    private String failure;
    private int failuresInARow;
    private long nextRetryMillis;
    /** Entries dropped since the writer last succeeded. */
    private long dropped;
    private long droppedTotal;

    PendingEntries(Path file, Limits limits, int size, Runnable wakeWriter) {
        this.file = file;
        this.limits = limits;
        this.size = size;
        this.wakeWriter = wakeWriter;
    }

    /**
     * Adds an entry for the next write: past {@link Limits#waitAboveBytes} it first waits, boundedly, for the writer
     * (unless it fails or is stalled); past {@link Limits#maxBytes} the entry is dropped.
     */
    synchronized Admission add(HarEntry entry) {
        long deadline = System.currentTimeMillis() + limits.waitMillis();
        while (!closed && !stopping && waitingBytes >= limits.waitAboveBytes() && failure == null && !stalled) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                stalled = true; // the disk does not answer: nobody else waits for it until a write completes
                notifyAll();
                break;
            }
            if (!wakeRequested) {
                wakeRequested = true;
                wakeWriter.run();
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (closed) {
            return Admission.CLOSED;
        }
        long bytes = entry.approximateBytes();
        // once dropping started it goes on until a write succeeds: the entries lost are one run, not scattered
        if (dropped > 0 || held() > 0 && held() + bytes > limits.maxBytes()) {
            dropped++;
            droppedTotal++;
            if (dropped == 1) {
                LOG.warn("Harp drops new entries for {}: {}; it keeps the {} entries not yet written in memory ({}, its "
                        + "bound) and writes them once it can, and counts the entries it drops", file, reason(),
                        waiting.size(), size(limits.maxBytes()));
            }
            return Admission.DROPPED;
        }
        waiting.add(entry);
        waitingBytes += bytes;
        size++;
        if (waitingBytes >= limits.appendAboveBytes() && !wakeRequested && failure == null && !stalled && !closed) {
            wakeRequested = true; // enough for an append: no need to keep them on the heap until the interval ends
            wakeWriter.run();
        }
        return Admission.ADDED;
    }

    private String reason() {
        return failure != null ? "writing it fails (" + failure + ")"
                : "the disk has not finished a write for " + limits.waitMillis() / 1000 + " s (hung, or far slower "
                + "than the traffic)";
    }

    /** The entries to write now, in order, or null when there are none; they count as held until written or failed. */
    synchronized List<HarEntry> take() {
        wakeRequested = false;
        if (waiting.isEmpty() || abandoned) {
            return null;
        }
        List<HarEntry> batch = waiting;
        waiting = new ArrayList<>();
        writingBytes = waitingBytes;
        writingCount = batch.size();
        waitingBytes = 0;
        notifyAll(); // entries waiting for room may go on: the batch is the writer's
        return batch;
    }

    /** The batch taken is on disk. */
    synchronized void written() {
        writingBytes = 0;
        writingCount = 0;
        if (dropped > 0) {
            LOG.info("Harp writes {} again: {} entries recorded while it could not were lost (dropped past the {} "
                    + "held in memory)", file, dropped, size(limits.maxBytes()));
        } else if (failure != null) {
            LOG.info("Harp writes {} again; no entry was lost", file);
        }
        dropped = 0;
        failure = null;
        failuresInARow = 0;
        stalled = false;
        notifyAll();
    }

    /** The batch taken could not be written: it goes back ahead of the newer entries, for the next try. */
    synchronized void failed(List<HarEntry> batch, Exception e) {
        batch.addAll(waiting);
        waiting = batch;
        waitingBytes += writingBytes;
        writingBytes = 0;
        writingCount = 0;
        String message = String.valueOf(e.getMessage()).replace("cannot write HAR file " + file + ": ", "")
                .replace("java.io.IOException: ", "");
        if (!message.equals(failure)) {
            LOG.error("Harp cannot write the HAR file {}: {} (the file keeps what it held; Harp keeps new entries in "
                    + "memory, up to {}, and retries)", file, message, size(limits.maxBytes()));
        }
        failure = message;
        failuresInARow++;
        nextRetryMillis = System.currentTimeMillis() + Math.min(5_000L, 100L << Math.min(failuresInARow, 6));
        notifyAll(); // nobody waits for a disk that fails
    }

    /** Whether the periodic writer should try now: always, except shortly after failures (backing off up to 5 s). */
    synchronized boolean retryDue() {
        return failure == null || System.currentTimeMillis() >= nextRetryMillis;
    }

    /** Entries still come (the last conversions) but no longer wait for the writer: stop has its own time bound. */
    synchronized void stopWaiting() {
        stopping = true;
        notifyAll();
    }

    /** Takes no more entries; entries waiting for room stop waiting. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Gives up the entries not written (after {@link #close()}): counted as lost, they leave memory. */
    synchronized int abandon() {
        int lost = unwritten();
        abandoned = true;
        waiting = new ArrayList<>();
        waitingBytes = 0;
        return lost;
    }

    synchronized int size() {
        return size;
    }

    /** Entries not written yet (waiting, or in the batch being written). */
    private synchronized int unwritten() {
        return waiting.size() + writingCount;
    }

    /** Approximate bytes held: entries waiting plus the batch being written. */
    synchronized long held() {
        return waitingBytes + writingBytes;
    }

    /** Entries dropped past the bound since the recording started. */
    synchronized long droppedTotal() {
        return droppedTotal;
    }

    Limits limits() {
        return limits;
    }

    private static String size(long bytes) {
        return bytes >= 1L << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
