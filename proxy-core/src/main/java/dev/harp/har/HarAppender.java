package dev.harp.har;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grows a HAR file by appending entries: each {@link #append(List)} writes the new entries over the file's closing
 * brackets, then the closing again, and forces the file to disk. What is already on disk is never rewritten, so an
 * append costs what it adds; between appends the file is a complete HAR that any tool can read. The bytes are those
 * {@link HarWriter} writes: a file appended to in several steps differs from one written at once only in the order
 * of entries (sorted by start time within each append, appends following each other).
 *
 * <p>An append cut short ({@code kill -9}) leaves an incomplete entry that {@link HarRepair} removes the next time
 * the file is opened. An append that fails (a full disk) puts the closing back where it was, so the file stays
 * whole, and throws; the caller keeps the entries and tries again later. If even that fails, the file is left cut
 * (repairable) and the next append first cuts it back to where the failed one started, so entries that failed
 * part-way are never in the file twice.
 *
 * <p>The file is opened, locked and checked at each append: if it changed meanwhile (removed, replaced, edited), it
 * is taken as it now is, repaired or rewritten once in Harp's layout (or created anew, with a warning) before the
 * entries are appended. Not thread-safe: one thread appends.
 */
public final class HarAppender {
    private static final Logger LOG = LoggerFactory.getLogger(HarAppender.class);

    /** Writes bytes at a position of a file; tests put one that fails part-way, as a full disk does. */
    interface Writes {
        void writeAt(FileChannel channel, byte[] bytes, long at) throws IOException;
    }

    private final Path file;
    private Writes writes = HarAppender::writeAt;
    private Har skeleton;
    private boolean replace;
    private HarLayout.Layout layout;
    /** Where the closing starts: just after the last entry, or at the {@code ]} of an empty array. */
    private long tailOffset = -1;
    /** Entries in the file. */
    private int onDisk;
    /** A failed append could not put the closing back: the file ends in part of it, after {@link #tailOffset}. */
    private boolean cut;

    private HarAppender(Path file, Har skeleton, boolean replace) {
        this.file = file;
        this.skeleton = skeleton.withEntries(List.of());
        this.replace = replace;
    }

    /** An appender whose first write replaces {@code file} (record mode) with {@code base}, entries and all. */
    public static HarAppender replacing(Path file, Har base) {
        if (!base.entries().isEmpty()) {
            throw new IllegalArgumentException("a new recording starts without entries");
        }
        return new HarAppender(file, base, true);
    }

    /**
     * An appender that adds to {@code file} as it is (auto mode): a file in Harp's layout is appended to untouched,
     * another (a browser's HAR, a hand-edited one) is rewritten once in Harp's layout at the first append; a missing
     * file is created from {@code base}'s skeleton. Nothing is written before the first entry.
     */
    public static HarAppender continuing(Path file, Har base) {
        return new HarAppender(file, base, false);
    }

    /** For tests: how appends write their bytes. */
    void writeWith(Writes replacement) {
        writes = replacement;
    }

    /** Entries the file holds, as far as this appender knows (0 before its first write). */
    public int entries() {
        return onDisk;
    }

    /** Makes sure the file exists: a replacing appender that appended nothing writes its empty recording. */
    public void ensureWritten() throws IOException {
        if (replace) {
            prepare();
        }
    }

    /**
     * Appends {@code entries} (in start order) and forces them to disk.
     *
     * @throws IOException naming the file when they could not be written; the file then holds what it held before
     *                     (unless restoring its closing failed too: the next append mends it)
     */
    public void append(List<HarEntry> entries) throws IOException {
        append(entries, true);
    }

    /** Forces to disk what earlier appends without {@code force} left in the operating system's cache. */
    public void force() throws IOException {
        if (tailOffset >= 0 && Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
    }

    /**
     * Appends {@code entries} (in start order); with {@code force}, forces the file to disk too. Without it they are
     * in the operating system's cache: a killed process loses nothing, a machine that loses power may.
     *
     * @throws IOException naming the file when they could not be written; the file then holds what it held before
     *                     (unless restoring its closing failed too: the next append mends it)
     */
    public void append(List<HarEntry> entries, boolean force) throws IOException {
        if (entries.isEmpty()) {
            if (force) {
                force();
            }
            return;
        }
        if (tailOffset < 0) {
            prepare();
        }
        try {
            if (cut) {
                cutBack();
            }
            if (!appendIfUnchanged(entries, force)) {
                LOG.warn("Harp found {} changed by something else during the recording; it appends to it as it is now",
                        file);
                prepare();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                     FileLock lock = HarRepair.lock(channel, file)) {
                    writeAll(channel, entries, force);
                }
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains(file.toString())) {
                throw e;
            }
            throw new IOException("cannot write HAR file " + file + ": " + e, e);
        }
    }

    private boolean appendIfUnchanged(List<HarEntry> entries, boolean force) throws IOException {
        if (Files.notExists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = HarRepair.lock(channel, file)) {
            if (!unchanged(channel)) {
                return false;
            }
            writeAll(channel, entries, force);
            return true;
        }
    }

    /** Entry size ({@link HarEntry#approximateBytes}) rendered at once, about: a batch is written in groups of this much. */
    private static final long GROUP_CHARS = 256 * 1024;

    /**
     * Writes the entries in groups of about {@link #GROUP_CHARS}, so that rendering needs a small buffer however large
     * the batch (a disk that fell behind, large bodies). All or nothing: when a group fails, the groups before it are
     * taken back too, since the caller keeps the whole batch for its next try.
     */
    private void writeAll(FileChannel channel, List<HarEntry> batch, boolean force) throws IOException {
        List<HarEntry> entries = HarEmitter.inStartOrder(batch); // the whole batch, not group by group
        long startTail = tailOffset;
        int startOnDisk = onDisk;
        try {
            for (int from = 0, to; from < entries.size(); from = to) {
                to = groupEnd(entries, from);
                write(channel, render(entries.subList(from, to)), to - from, force && to == entries.size());
            }
        } catch (IOException e) {
            // the first failed group or a later one: the file goes back to its closing before the batch
            tailOffset = startTail;
            onDisk = startOnDisk;
            cut = !restoreClosing(channel, e);
            throw e;
        }
    }

    private static int groupEnd(List<HarEntry> entries, int from) {
        long chars = 0;
        int i = from;
        while (i < entries.size() && (i == from || chars < GROUP_CHARS)) {
            chars += entries.get(i++).approximateBytes(); // the rendered JSON is about as long as the entry's texts
        }
        return i;
    }

    /**
     * @param middle the rendered entries, {@link Rendered#bytes()} ({@code ,} when entries are on disk already, the
     *               entries, the closing): one array, copied once from the render buffer
     */
    private void write(FileChannel channel, Rendered middle, int count, boolean force) throws IOException {
        byte[] bytes = middle.bytes(onDisk > 0, layout.rest());
        writes.writeAt(channel, bytes, tailOffset); // a failure is mended by writeAll, for the whole batch
        channel.truncate(tailOffset + bytes.length); // no-op unless the old closing was longer
        if (force) {
            channel.force(true);
        }
        tailOffset += bytes.length - HarLayout.ARRAY_END.length - layout.rest().length;
        onDisk += count;
    }

    /**
     * After a failed append (a full disk): the old closing back in place, so the file is whole again.
     *
     * @return whether it is; if not, the next append (or the next open, by {@link HarRepair}) mends it
     */
    private boolean restoreClosing(FileChannel channel, IOException failure) {
        try {
            byte[] closing = closing();
            writeAt(channel, closing, tailOffset);
            channel.truncate(tailOffset + closing.length);
            channel.force(true);
            return true;
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    /**
     * Cuts the file back to where the last failed append started and closes it again. A repair would keep the
     * entries that append wrote whole, which the caller appends again: they would be in the file twice.
     */
    private void cutBack() throws IOException {
        if (Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = HarRepair.lock(channel, file)) {
                if (channel.size() >= tailOffset) { // else changed by something else: taken as it is now
                    IOException failure = new IOException("cannot close HAR file " + file + " again");
                    if (!restoreClosing(channel, failure)) {
                        throw failure;
                    }
                }
            }
        }
        cut = false;
    }

    private static void writeAt(FileChannel channel, byte[] bytes, long at) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = at;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    private byte[] closing() {
        return HarLayout.concat(onDisk > 0 ? HarLayout.ARRAY_END : new byte[] {']'}, layout.rest());
    }

    /** Whether the file still is what the last append left: same length, same closing at the same place. */
    private boolean unchanged(FileChannel channel) throws IOException {
        byte[] expected = closing();
        if (channel.size() != tailOffset + expected.length) {
            return false;
        }
        ByteBuffer actual = ByteBuffer.allocate(expected.length);
        while (actual.hasRemaining() && channel.read(actual, tailOffset + actual.position()) >= 0) {
            // reads until full or the end of the file
        }
        return Arrays.equals(actual.array(), expected);
    }

    /** Finds (and if needs be makes) the place to append at: the file's closing, in Harp's layout. */
    private void prepare() throws IOException {
        if (replace) {
            HarWriter.write(file, skeleton);
            replace = false;
        } else if (Files.notExists(file)) {
            if (tailOffset >= 0) {
                LOG.warn("Harp found {} removed during the recording: it starts it anew, without the {} entries it "
                        + "held", file, onDisk);
            }
            HarWriter.write(file, skeleton);
        }
        HarLayout.Scan scan = HarLayout.scan(file);
        if (!scan.intact() && HarRepair.repair(file)) {
            scan = HarLayout.scan(file);
        }
        HarLayout.Layout found = HarLayout.of(file, scan);
        if (found == null) {
            Har whole = HarReader.read(file);
            LOG.info("Harp rewrites {} once in its own layout ({} entries) so that it can append to it", file,
                    whole.entries().size());
            HarWriter.write(file, whole);
            scan = HarLayout.scan(file);
            found = HarLayout.of(file, scan);
            if (found == null) {
                throw new IOException("cannot append to HAR file " + file + ": rewritten, it is still not in the "
                        + "layout Harp appends to");
            }
        }
        layout = found;
        skeleton = found.skeleton();
        tailOffset = scan.lastEnd();
        onDisk = scan.complete();
    }

    /** The entries as {@link HarWriter} writes them inside the array: {@code \n      {...},\n      {...}}. */
    private Rendered render(List<HarEntry> entries) throws IOException {
        RenderBuffer out = renderBuffer;
        out.reset();
        HarWriter.write(out, skeleton.withEntries(entries), true); // writeAll sorted the whole batch once
        if (out.capacity() > MAX_KEPT_BUFFER) { // one huge batch (a large body) does not stay on the heap
            renderBuffer = new RenderBuffer();
        }
        byte[] all = out.bytes();
        int length = out.size();
        byte[] head = layout.head();
        byte[] end = HarLayout.concat(HarLayout.ARRAY_END, layout.rest());
        int from = head.length;
        int to = length - end.length;
        if (to <= from || !Arrays.equals(all, 0, from, head, 0, from)
                || !Arrays.equals(all, to, length, end, 0, end.length)) {
            throw new IOException("cannot append to HAR file " + file + ": the entries do not fit its layout");
        }
        return new Rendered(all, from, to);
    }

    /** Entries rendered in the render buffer, {@code [from, to)}, valid until the next render. */
    private record Rendered(byte[] buffer, int from, int to) {
        /** What goes at the tail offset: a separator when entries precede, these entries, the closing. */
        byte[] bytes(boolean separated, byte[] rest) {
            int sep = separated ? 1 : 0;
            int middle = to - from;
            byte[] out = new byte[sep + middle + HarLayout.ARRAY_END.length + rest.length];
            if (separated) {
                out[0] = ',';
            }
            System.arraycopy(buffer, from, out, sep, middle);
            System.arraycopy(HarLayout.ARRAY_END, 0, out, sep + middle, HarLayout.ARRAY_END.length);
            System.arraycopy(rest, 0, out, sep + middle + HarLayout.ARRAY_END.length, rest.length);
            return out;
        }
    }

    /** Largest render buffer kept between appends. */
    private static final int MAX_KEPT_BUFFER = 4 << 20;
    /** Kept between appends: growing a fresh stream to a batch's size costs more than rendering it. */
    private RenderBuffer renderBuffer = new RenderBuffer();

    /** A byte stream whose array is reused and read in place. */
    private static final class RenderBuffer extends ByteArrayOutputStream {
        RenderBuffer() {
            super(64 * 1024);
        }

        int capacity() {
            return buf.length;
        }

        /** The array itself; valid up to {@link #size()}. */
        byte[] bytes() {
            return buf;
        }
    }
}
