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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns ended flows into HAR entries and keeps the HAR file current: the entries that ended since the last flush
 * are appended to the file (and forced to disk) once per flush interval while flows arrive, and once more on
 * {@link #close()}, by a {@link HarAppender}; what is on disk is never rewritten, and an entry leaves memory once it
 * is written. {@code kill -9} loses at most the last interval; an append it cuts short is repaired the next time
 * Harp opens the file. Order: within one flush, entries by request start time; flushes follow each other.
 *
 * <p>Threads: flows handed over with {@link #accept(Flow, Runnable)} (the proxy's I/O threads) are converted to
 * entries (decoding, redaction, base64) on a {@link ConversionQueue}'s own thread, bounded by count and by body bytes;
 * a flow that does not fit is converted by the caller itself, which slows that connection instead of growing the
 * heap. Converted entries wait for the writer thread ({@code harp-har-writer}); past {@link #MAX_PENDING_BYTES} the
 * writer is woken at once and converting waits for it (at most {@link #PENDING_WAIT_MILLIS} per entry), so a disk
 * slower than the traffic slows the traffic down to the disk's pace. While the file cannot be written at all (disk
 * full), nobody waits: entries stay in memory until a write succeeds, as before. In auto mode ({@code onRecorded}
 * given) conversion stays on the calling thread, so that an entry is replayable before the response's last bytes
 * reach the client.
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
    private List<HarEntry> pending = new ArrayList<>();
    /** Entries the file holds or will hold at the next flush. */
    private int size;
    private final ScheduledExecutorService flusher;
    private final Consumer<HarEntry> onRecorded;
    private final boolean fresh;
    private boolean closed;
    private int inFlight;
    private Exception lastWriteFailure; // guarded by this
    private final java.util.Set<String> warnedNames = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Most (approximate) bytes of converted entries waiting for the writer before converting waits for it. */
    static final long MAX_PENDING_BYTES = 8L * 1024 * 1024;
    /**
     * Bytes of converted entries at which the writer appends them without waiting for the flush interval: entries
     * spend less time on the heap (each young collection would copy them), and a batch renders into a small buffer.
     * Such appends are not forced to disk; the periodic flush forces what they wrote.
     */
    static final long APPEND_BYTES = 256L * 1024;
    /** Longest a conversion waits for the writer to make room, per entry. */
    static final long PENDING_WAIT_MILLIS = 10_000;
    private final ConversionQueue conversions = new ConversionQueue(256, 8L * 1024 * 1024);
    private long pendingBytes;
    private boolean flushRequested;
    /** Whether appends since the last forced one are still only in the operating system's cache (writer's). */
    private boolean unforced;

    /**
     * @param file          the HAR file
     * @param base          what the file starts with: an empty recording, or (auto mode) the entries already there
     * @param redactor      secrets to remove
     * @param flushInterval how often, at most, new entries are appended to the file
     * @param onRecorded    told of each new entry (auto mode makes it replayable at once); may be null
     */
    public Recorder(Path file, Har base, Redactor redactor, Duration flushInterval, Consumer<HarEntry> onRecorded) {
        this.file = file;
        int leftovers = HarWriter.removeLeftovers(file,
                java.time.Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()));
        if (leftovers > 0) {
            LOG.info("Harp removed {} temporary file(s) left beside {} by a recording that was killed", leftovers, file);
        }
        this.fresh = base.entries().isEmpty();
        this.appender = fresh ? HarAppender.replacing(file, base) : HarAppender.continuing(file, base);
        this.size = base.entries().size();
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
     * Converts the flow on the converter thread, or on the calling thread when the queue is full (back-pressure) or in
     * auto mode, and runs {@code release} once its bodies are read.
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
        if (!shouldRecord(flow) || onRecorded != null || !conversions.offer(task, heldBytes(flow))) {
            task.run();
        }
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

    /**
     * Adds a converted entry for the next flush; past {@link #MAX_PENDING_BYTES} it first wakes the writer and waits,
     * boundedly, for room, unless the last write failed (then the entries wait in memory for the disk).
     *
     * @return false when the recorder is closed
     */
    private synchronized boolean add(HarEntry entry) {
        long deadline = System.currentTimeMillis() + PENDING_WAIT_MILLIS;
        long left;
        while (!closed && pendingBytes >= MAX_PENDING_BYTES && lastWriteFailure == null
                && (left = deadline - System.currentTimeMillis()) > 0) {
            if (!flushRequested) {
                flushRequested = true;
                flusher.execute(this::appendQuietly);
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (closed) {
            return false;
        }
        pending.add(entry);
        pendingBytes += bytes(entry);
        size++;
        if (pendingBytes >= APPEND_BYTES && !flushRequested) {
            flushRequested = true;
            flusher.execute(this::appendQuietly);
        }
        return true;
    }

    /**
     * Approximate heap bytes of an entry: its URL, headers and bodies' text (one byte a character, as compact strings
     * hold most of them) and object overheads; measured entries of 1 KiB bodies take about 3 KiB.
     */
    private static long bytes(HarEntry entry) {
        long bytes = 1024;
        if (entry.request() != null) {
            bytes += 2L * entry.request().url().length() + headerBytes(entry.request().headers());
            if (entry.request().postData() != null && entry.request().postData().text() != null) {
                bytes += entry.request().postData().text().length();
            }
        }
        if (entry.response() != null) {
            bytes += headerBytes(entry.response().headers());
            if (entry.response().content() != null && entry.response().content().text() != null) {
                bytes += entry.response().content().text().length();
            }
        }
        return bytes;
    }

    private static long headerBytes(List<dev.harp.har.HarHeader> headers) {
        long bytes = 0;
        if (headers != null) {
            for (dev.harp.har.HarHeader h : headers) {
                bytes += 96 + h.name().length() + (h.value() == null ? 0 : h.value().length());
            }
        }
        return bytes;
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
        synchronized (this) {
            return size;
        }
    }

    /**
     * Appends the entries that ended since the last flush, if any. On failure they stay in memory, ahead of newer
     * ones, for the next flush; the file keeps what it held.
     */
    public void flush() throws IOException {
        if (!conversions.await(30_000)) {
            LOG.warn("Harp writes {} without the flows still being converted after 30 s", file);
        }
        writePending(true);
    }

    /**
     * Appends what is converted now, without waiting for queued conversions; forced to disk, with whatever earlier
     * unforced appends wrote, when {@code force} (the periodic flush, stop).
     */
    private void writePending(boolean force) throws IOException {
        synchronized (appender) { // the periodic flush and close() take turns
            List<HarEntry> batch;
            synchronized (this) {
                flushRequested = false;
                if (pending.isEmpty()) {
                    if (force && unforced) {
                        appender.append(List.of(), true);
                        unforced = false;
                    }
                    return;
                }
                batch = pending;
                pending = new ArrayList<>();
                pendingBytes = 0;
                notifyAll(); // conversions waiting for room may go on; the batch is now the writer's
            }
            try {
                appender.append(batch, force);
                unforced = !force;
                synchronized (this) {
                    lastWriteFailure = null;
                }
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    batch.addAll(pending);
                    pending = batch;
                    pendingBytes = 0;
                    for (HarEntry e2 : batch) {
                        pendingBytes += bytes(e2);
                    }
                }
                throw e;
            }
        }
    }

    private void flushQuietly() {
        writeQuietly(true);
    }

    /** An append the converted entries asked for before the flush interval ended. */
    private void appendQuietly() {
        writeQuietly(false);
    }

    private void writeQuietly(boolean force) {
        try {
            writePending(force);
        } catch (IOException | RuntimeException e) {
            if (lastWriteFailure == null || !String.valueOf(lastWriteFailure.getMessage()).equals(e.getMessage())) {
                LOG.error("Harp cannot write the HAR file {}: {} (the file keeps what it held; retrying)", file, e.getMessage());
            }
            synchronized (this) {
                lastWriteFailure = e;
                notifyAll(); // nobody waits for a disk that fails
            }
        }
    }

    /**
     * Stops the periodic writer and appends the last entries. A fresh recording is always written (a run with no
     * traffic leaves a valid empty HAR); a file that already had entries is written to only when entries were added,
     * so replaying another tool's HAR in auto mode never reformats it.
     */
    @Override
    public void close() throws IOException {
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
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        if (fresh) {
            synchronized (appender) {
                appender.ensureWritten();
            }
        }
    }
}
