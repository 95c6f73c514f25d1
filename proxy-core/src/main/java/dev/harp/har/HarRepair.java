package dev.harp.har;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs a HAR file that Harp was appending to when it was cut short: {@code kill -9} or a full disk in the middle
 * of an append leaves the last entry incomplete and the closing brackets missing or mangled. The file is truncated
 * back to the end of its last complete entry and closed again, and one INFO line says so (file, entries kept, bytes
 * dropped). A complete entry is never dropped.
 *
 * <p>Only a file in Harp's layout whose damage is a cut tail is repaired: everything up to its last complete entry
 * parses, and what follows is what an interrupted append leaves (the start of an entry cut at the end of the file, or
 * a few bytes of separator and of the old closing). Any other malformed file is left untouched and keeps its error
 * ({@code file:line:column}). Members of the log written after its entries (a {@code comment}, extensions; Harp
 * writes none itself) cannot be told from a cut and are not restored.
 *
 * <p>Appends and repairs hold an exclusive lock on the file while they write, so a repair never cuts an append under
 * way in another process.
 */
public final class HarRepair {
    private static final Logger LOG = LoggerFactory.getLogger(HarRepair.class);
    private static final long LOCK_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private HarRepair() {
    }

    /**
     * Reads a HAR file like {@link HarReader#read(Path)}, first repairing it if it is a Harp recording cut short.
     *
     * @throws HarFormatException as {@link HarReader#read(Path)} does, for a file that could not be repaired
     */
    public static Har read(Path file) throws HarFormatException {
        try {
            return HarReader.read(file);
        } catch (HarFormatException malformed) {
            if (!Files.isRegularFile(file)) {
                throw malformed;
            }
            boolean repaired;
            try {
                repaired = repair(file);
            } catch (IOException e) {
                malformed.addSuppressed(e);
                throw malformed;
            }
            if (!repaired) {
                throw malformed;
            }
            return HarReader.read(file);
        }
    }

    /**
     * Repairs {@code file} if it is a Harp recording cut short.
     *
     * @return whether the file is now whole: it was repaired, or had been completed meanwhile by the append that
     *     was writing it
     * @throws IOException when the file cannot be read or written, naming it
     */
    public static boolean repair(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = lock(channel, file)) {
            HarLayout.Scan scan = HarLayout.scan(file);
            if (scan.intact()) {
                return true;
            }
            HarLayout.Layout layout = null;
            if (scan.complete() > 0 && scan.previousEnd() > 0) {
                // a few bytes of an append over the old closing can read as one more tiny "entry" ({\n\n}): it is
                // dropped only when what follows the entry before it is exactly such a remnant
                layout = cutLayout(file, scan.withoutLast(), true);
                scan = layout == null ? scan : scan.withoutLast();
            }
            if (layout == null) {
                layout = cutLayout(file, scan, false);
            }
            if (layout == null) {
                return false;
            }
            byte[] closing = HarLayout.concat(scan.complete() > 0 ? HarLayout.ARRAY_END : new byte[] {']'},
                    HarLayout.PLAIN_REST);
            ByteBuffer buffer = ByteBuffer.wrap(closing);
            long at = scan.lastEnd();
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            channel.truncate(at);
            channel.force(true);
            long dropped = scan.size() - scan.lastEnd();
            LOG.info("Harp repaired {}, cut short while it was being written (kill -9 or a full disk): kept its {} "
                    + "complete entries, dropped the {} bytes after them", file, scan.complete(), dropped);
            return true;
        } catch (IOException e) {
            throw new IOException("cannot repair HAR file " + file + ": " + e, e);
        }
    }

    /** The layout of a file whose damage is a cut append, or null when it is damaged otherwise or not Harp's. */
    static HarLayout.Layout cutLayout(Path file, HarLayout.Scan scan, boolean remnantOnly) throws IOException {
        if (!scan.reachedEntries()) {
            return null;
        }
        boolean some = scan.complete() > 0;
        byte[] separator = some ? HarLayout.SEPARATOR : HarLayout.FIRST_SEPARATOR;
        byte[] plainClosing = HarLayout.concat(some ? HarLayout.ARRAY_END : new byte[] {']'}, HarLayout.PLAIN_REST);
        long droppedLength = scan.size() - scan.lastEnd();
        int window = separator.length + plainClosing.length;
        byte[] dropped = HarLayout.read(file, scan.lastEnd(), (int) Math.min(droppedLength, window));
        boolean insideClosing = droppedLength < plainClosing.length && HarLayout.startsWith(plainClosing, dropped);
        // an entry cut at the end of the file, or an append cut before it wrote over the whole old closing: its
        // first bytes followed by what is left of the closing
        boolean cutEntry = scan.cutShort() && startsLike(dropped, separator, dropped.length);
        boolean remnant = overwrittenClosing(dropped, separator, plainClosing);
        if (remnantOnly ? !remnant : !insideClosing && !cutEntry && !remnant) {
            return null;
        }
        byte[] head = HarLayout.read(file, 0, (int) scan.entriesOpen());
        return HarLayout.skeleton(head, HarLayout.PLAIN_REST, scan);
    }

    /** Whether the first {@code length} bytes (at most those of {@code separator}) are those of the separator. */
    private static boolean startsLike(byte[] bytes, byte[] separator, int length) {
        int n = Math.min(Math.min(length, bytes.length), separator.length);
        return java.util.Arrays.equals(bytes, 0, n, separator, 0, n);
    }

    /** Whether {@code dropped} is the start of an append written over the first bytes of the old closing. */
    private static boolean overwrittenClosing(byte[] dropped, byte[] separator, byte[] closing) {
        if (dropped.length != closing.length) {
            return false;
        }
        for (int k = 0; k <= closing.length; k++) {
            if (startsLike(dropped, separator, k)
                    && java.util.Arrays.equals(dropped, k, closing.length, closing, k, closing.length)) {
                return true;
            }
        }
        return false;
    }

    /** Locks the whole file, waiting (boundedly) for an append under way here or in another process. */
    static FileLock lock(FileChannel channel, Path file) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException heldHere) {
                // an append of this JVM holds it: wait as for another process
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the file stayed locked by another writer for "
                        + TimeUnit.NANOSECONDS.toSeconds(LOCK_WAIT_NANOS) + " s: " + file);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
