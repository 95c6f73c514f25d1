package dev.harp.record;

import dev.harp.flow.Flow;
import dev.harp.flow.FlowSink;
import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarAppender;
import dev.harp.har.HarWriter;
import dev.harp.redaction.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Turns ended flows into HAR entries and keeps the HAR file current: converted entries are appended to the file by a
 * {@link HarAppender} as soon as about 256 KiB of them wait, and at least once per flush interval while flows arrive
 * (that flush also forces the file to disk), and once more on {@link #close()}; what is on disk is never rewritten,
 * and an entry leaves memory once it is written. {@code kill -9} loses at most the last interval; an append it cuts
 * short is repaired the next time Harp opens the file. Order: within one append, entries by request start time;
 * appends follow each other.
 *
 * <p>Threads: flows handed over with {@link #accept(Flow, Runnable)} (the proxy's I/O threads) are converted to
 * entries (decoding, redaction, base64) on a {@link ConversionQueue}'s own thread, bounded by count and by body bytes;
 * a flow that does not fit is converted by the caller itself, which slows that connection instead of growing the
 * heap. Converted entries wait for the writer thread ({@code harp-har-writer}) in {@link PendingEntries}: past 8 MiB
 * the writer is woken at once and converting waits for it (at most 10 s), so a disk slower than the traffic slows the
 * traffic down to the disk's pace. While the file cannot be written (disk full) or a write does not return (disk hung),
 * nobody waits: entries stay in memory, up to 64 MiB, and past that new ones are dropped and counted; the file stays
 * valid HAR throughout, and {@link #close()} gives up its last write after 8 s. In auto mode ({@code onRecorded}
 * given) the new entry is made replayable on the converter thread too; a miss that comes while flows are still being
 * converted waits for them first ({@link #afterAccepted}), so the next identical request is still a hit.
 *
 * <p>Recording policy: completed exchanges are recorded; an exchange whose client went away is recorded (marked
 * {@code _aborted}) only when its whole response had arrived; an upstream that broke off mid-body is recorded with
 * {@code _error}; an exchange that never got a response is not recorded.
 */
public final class Recorder implements FlowSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final Path file;
    private final HarAppender appender;
    private final HarEntries converter;
    /** Entries not yet on disk. */
    private final PendingEntries pending;
    private final ScheduledExecutorService flusher;
    private final Consumer<HarEntry> onRecorded;
    private final boolean fresh;
    /** Whether appends since the last forced one are only in the operating system's cache (the writer's). */
    private boolean unforced;
    private boolean closed;
    private int inFlight;
    private final java.util.Set<String> warnedNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ConversionQueue conversions = new ConversionQueue(256, 8L * 1024 * 1024);

    /**
     * @param file          the HAR file
     * @param base          what the file starts with: an empty recording, or (auto mode) the entries already there
     * @param redactor      secrets to remove
     * @param flushInterval how often, at most, new entries are appended to the file
     * @param onRecorded    told of each new entry (auto mode makes it replayable at once); may be null
     */
    public Recorder(Path file, Har base, Redactor redactor, Duration flushInterval, Consumer<HarEntry> onRecorded) {
        this(file, base, redactor, flushInterval, onRecorded, PendingEntries.Limits.DEFAULT);
    }

    /**
     * When this process started, for telling leftovers of a killed earlier recording from files of this one. From the
     * OS (Linux reckons it from a boot time in whole seconds, so it may come up to a second early: a leftover that
     * young stays for the next start); the runtime MXBean only where the OS does not tell, as JMX costs a fresh JVM a
     * tenth of a second to start.
     */
    private static java.time.Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElseGet(() -> java.time.Instant.ofEpochMilli(
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    /** As above, with other bounds on the entries not yet written (tests). */
    Recorder(Path file, Har base, Redactor redactor, Duration flushInterval, Consumer<HarEntry> onRecorded,
             PendingEntries.Limits limits) {
        this.file = file;
        int leftovers = HarWriter.removeLeftovers(file, processStart());
        if (leftovers > 0) {
            LOG.info("Harp removed {} temporary file(s) left beside {} by a recording that was killed", leftovers, file);
        }
        this.fresh = base.entries().isEmpty();
        this.appender = fresh ? HarAppender.replacing(file, base) : HarAppender.continuing(file, base);
        this.pending = new PendingEntries(file, limits, base.entries().size(), this::wakeWriter);
        this.converter = new HarEntries(redactor, 64L * 1024 * 1024, this::responseRedacted);
        this.onRecorded = onRecorded;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "harp-har-writer");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(50, flushInterval.toMillis());
        flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * A response value replaced (by its name or its shape) under a name: replay will serve {@code REDACTED} where the server sent a value, which
     * breaks a test that reads it back. Said once per name and recording, with the option that keeps it.
     */
    private void responseRedacted(String location, String rule, String name) {
        if (Redaction.RULE_COOKIE.equals(rule) || name == null
                || !warnedNames.add(name.toLowerCase(java.util.Locale.ROOT))) {
            return;
        }
        LOG.warn("Harp recorded the response value \"{}\" ({}) as REDACTED: replay answers \"REDACTED\" there, so a "
                + "test that reads it passes while recording and fails on replay. If it is no real secret, keep it "
                + "with keepValues \"{}\" (CLI --keep-value {})", Redactor.forLogText(name), Redactor.forLogText(location),
                Redactor.forLogText(name), Redactor.forLogText(name));
    }

    /** Converts the flow on the calling thread; its bodies are read during the call only. */
    @Override
    public void accept(Flow flow) {
        if (shouldRecord(flow)) {
            convert(flow);
        }
    }

    /**
     * Converts the flow on the converter thread, or on the calling thread when the queue is full (back-pressure), and
     * runs {@code release} once its bodies are read.
     */
    @Override
    public void accept(Flow flow, Runnable release) {
        Runnable task = () -> {
            try {
                accept(flow);
            } catch (RuntimeException e) { // on the converter thread nobody else would say it
                LOG.error("Harp could not record {}: {}", Redactor.forLog(flow.request().url()), e.toString(), e);
            } finally {
                release.run();
            }
        };
        if (!shouldRecord(flow) || !conversions.offer(task, heldBytes(flow))) {
            task.run();
        }
    }

    /** Runs {@code then} once every flow handed over before is converted (recorded, and replayable in auto mode). */
    @Override
    public void afterAccepted(Runnable then) {
        conversions.afterQueued(then);
    }

    /** Body bytes a flow keeps on the heap until it is converted (captures spill to disk past 1 MiB). */
    private static long heldBytes(Flow flow) {
        long bytes = 512;
        if (flow.request().body() != null) {
            bytes += Math.min(flow.request().body().size(), 1L << 20);
        }
        if (flow.response().body() != null) {
            bytes += Math.min(flow.response().body().size(), 1L << 20);
        }
        return bytes;
    }

    private void convert(Flow flow) {
        HarEntry entry;
        try {
            entry = converter.toEntry(flow);
        } catch (IOException e) {
            LOG.warn("Harp could not record {} {}: {}", flow.request().method(), Redactor.forLog(flow.request().url()),
                    e.toString());
            return;
        }
        if (!add(entry)) {
            return;
        }
        if (onRecorded != null) {
            onRecorded.accept(entry);
        }
    }

    /** @return false when the entry is not recorded: dropped (the disk does not take entries) or the recorder closed */
    private boolean add(HarEntry entry) {
        return pending.add(entry) == PendingEntries.Admission.ADDED;
    }

    /**
     * Asks the writer for an append now, not forced to disk (enough entries gathered, or entries wait for room): entries
     * spend little time on the heap (each young collection would copy them) and a batch renders into a small buffer.
     * The periodic flush forces what such appends wrote.
     */
    private void wakeWriter() {
        try {
            flusher.execute(this::appendQuietly);
        } catch (RejectedExecutionException closing) {
            // close() writes what is left
        }
    }

    /** For tests: approximate bytes of the entries held in memory, not yet on disk. */
    long heldBytes() {
        return pending.held();
    }

    /** For tests: entries dropped since the recording started because the disk did not take them. */
    long dropped() {
        return pending.droppedTotal();
    }

    /** For tests: the lock every append holds; holding it stands for a disk that does not keep up. */
    Object appendLock() {
        return appender;
    }

    @Override
    public synchronized void started(Flow flow) {
        inFlight++;
    }

    @Override
    public synchronized void finished(Flow flow) {
        inFlight--;
        notifyAll();
    }

    /**
     * Waits, at most {@code limitMillis}, for forwarded exchanges in progress to deliver their flows.
     *
     * @return whether none is left
     */
    public synchronized boolean awaitInFlight(long limitMillis) {
        long deadline = System.currentTimeMillis() + limitMillis;
        long left;
        while (inFlight > 0 && (left = deadline - System.currentTimeMillis()) > 0) {
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight <= 0;
    }

    static boolean shouldRecord(Flow flow) {
        if (flow.request() == null || flow.response() == null) {
            return false;
        }
        return switch (flow.outcome()) {
            case COMPLETE, UPSTREAM_FAILED -> true;
            case CLIENT_ABORTED -> flow.isResponseComplete();
            case OPEN -> false;
        };
    }

    /**
     * Number of entries the file holds (or will hold at the next flush), counting every flow handed over so far: it
     * waits (at most 30 s) for the conversions queued before the call, so that a caller that has its responses (a
     * test about to switch fixtures) finds them counted.
     */
    public int size() {
        conversions.await(30_000);
        return pending.size();
    }

    /**
     * Appends the entries that ended since the last flush, if any. On failure they stay in memory, ahead of newer
     * ones, for the next flush; the file keeps what it held. Waits for the writer thread at most as long as
     * {@link #close()} does, so a hung disk fails the call instead of hanging it.
     */
    public void flush() throws IOException {
        if (!conversions.await(30_000)) {
            LOG.warn("Harp writes {} without the flows still being converted after 30 s", file);
        }
        Future<?> write;
        try {
            write = flusher.submit(() -> {
                writePending(true);
                return null;
            });
        } catch (RejectedExecutionException closed) {
            return; // closed: close() wrote what there was
        }
        awaitWrite(write);
    }

    /**
     * Appends what is converted now, without waiting for queued conversions; forced to disk, with whatever earlier
     * unforced appends wrote, when {@code force} (the periodic flush, {@link #flush()}, stop).
     */
    private void writePending(boolean force) throws IOException {
        synchronized (appender) { // the periodic flush and close() take turns
            List<HarEntry> batch = pending.take();
            if (batch == null) {
                if (force && unforced) {
                    appender.force();
                    unforced = false;
                }
                return;
            }
            try {
                appender.append(batch, force);
                unforced = !force;
            } catch (IOException | RuntimeException e) {
                pending.failed(batch, e);
                throw e;
            }
            pending.written();
        }
    }

    private void flushQuietly() {
        writeQuietly(true);
    }

    private void appendQuietly() {
        writeQuietly(false);
    }

    private void writeQuietly(boolean force) {
        if (!pending.retryDue()) {
            return; // backing off after failures
        }
        try {
            writePending(force);
        } catch (IOException | RuntimeException e) {
            // said by PendingEntries.failed; the entries wait for the next try
        }
    }

    /** Waits, boundedly, for a write on the writer thread. */
    private void awaitWrite(Future<?> write) throws IOException {
        long limit = pending.limits().closeMillis();
        try {
            write.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            write.cancel(false);
            throw new IOException("cannot write HAR file " + file + ": a write has not finished for "
                    + limit / 1000 + " s (the disk hangs or is far too slow)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing HAR file " + file, e);
        }
    }

    /**
     * Stops the periodic writer and appends the last entries. A fresh recording is always written (a run with no
     * traffic leaves a valid empty HAR); a file that already had entries is written to only when entries were added,
     * so replaying another tool's HAR in auto mode never reformats it. The last write is given up after 8 s (a hung
     * disk) or at its first failure (a full disk): the file then keeps what it held, and the exception says how many
     * entries were not written.
     */
    @Override
    public void close() throws IOException {
        pending.stopWaiting(); // the last conversions must not wait 10 s for a hung disk: SIGTERM has 15 s in all
        if (!awaitInFlight(5_000)) {
            LOG.info("Harp writes {} without the exchanges still in progress", file);
        }
        if (!conversions.close(30_000)) {
            LOG.warn("Harp writes {} without the flows still being converted after 30 s", file);
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pending.close();
        Future<?> last = flusher.submit(() -> {
            writePending(true);
            if (fresh) {
                synchronized (appender) {
                    appender.ensureWritten();
                }
            }
            return null;
        });
        flusher.shutdown(); // the periodic flush stops; the last write runs
        try {
            awaitWrite(last);
        } catch (IOException | RuntimeException e) {
            long dropped = pending.droppedTotal();
            throw new IOException(e.getMessage() + "; " + pending.abandon() + " entries recorded were not written"
                    + (dropped > 0 ? " and " + dropped + " were dropped earlier" : "") + " (the file keeps "
                    + (appender.entries() > 0 ? "the " + appender.entries() + " entries it holds)" : "what it held)"), e);
        }
        long dropped = pending.droppedTotal();
        if (dropped > 0) {
            LOG.warn("Harp wrote {}, without the {} entries dropped while the disk did not take them", file, dropped);
        }
    }
}
