package dev.harp.har;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes HAR files strictly, deterministically and atomically.
 *
 * <p>Output: UTF-8 without byte-order mark, non-ASCII characters as themselves (no backslash-u
 * escapes), two-space indentation, {@code "name": value}, one array element per line, {@code \n}
 * line endings and a trailing newline. Members follow the HAR 1.2 order with extensions after the
 * known members; every required member is present; numbers are never {@code null}, whole
 * milliseconds are written without a fraction and fractions are kept exactly. Entries are sorted by
 * start time (stable; entries with an unparsable start time keep their positions). The same
 * {@link Har} always gives the same bytes.
 *
 * <p>{@link #write(Path, Har)} writes a temporary file next to the target
 * ({@code .name.har.tmp-<random>}), forces it to disk and renames it over the target, so readers
 * see either the old file or the complete new one; on any failure the temporary file is deleted
 * and the old file is left as it was.
 *
 * <p>A recording is not rewritten at each flush: {@link HarAppender} grows it by appending entries in these same
 * bytes, and {@link HarRepair} closes a file an append left cut short.
 */
public final class HarWriter {
    private static final int BUFFER = 1 << 16;

    /** Runs after the temporary file is complete and forced, before it replaces the target. */
    interface BeforeReplace {
        void run(Path temporary) throws IOException;
    }

    private HarWriter() {
    }

    /**
     * Writes {@code har} to {@code file} atomically, replacing any previous file.
     *
     * @throws IOException naming the file when anything fails; the previous file is then intact
     */
    public static void write(Path file, Har har) throws IOException {
        write(file, har, temporary -> { });
    }

    /**
     * Deletes the temporary files that writes of {@code file} left behind when their process was killed (a
     * {@code kill -9} between creating the temporary file and renaming it), if they were last modified before
     * {@code before}. A write in progress elsewhere is newer than that and is left alone.
     *
     * @param before pass the start of this process: nothing of this process, or of one still running, is older
     * @return how many files were deleted
     */
    public static int removeLeftovers(Path file, java.time.Instant before) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".tmp-";
        int removed = 0;
        try (java.util.stream.Stream<Path> siblings = Files.list(dir)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                if (p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p)
                        && Files.getLastModifiedTime(p).toInstant().isBefore(before) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover costs disk space, never correctness
        }
        return removed;
    }

    /** {@link #write(Path, Har)} with a hook that tests use to inject a late failure. */
    static void write(Path file, Har har, BeforeReplace hook) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temporary = dir.resolve("." + target.getFileName() + ".tmp-"
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel),
                        BUFFER);
                write(out, har);
                out.flush();
                channel.force(true);
            }
            copyPermissions(target, temporary);
            hook.run(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot write HAR file " + file + ": " + reason(e), e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Writes {@code har} to a stream, which is flushed but not closed. */
    public static void write(OutputStream out, Har har) throws IOException {
        write(out, har, false);
    }

    /** As {@link #write(OutputStream, Har)}; {@code inStartOrder}: the entries are sorted already, skip sorting. */
    static void write(OutputStream out, Har har, boolean inStartOrder) throws IOException {
        try (JsonGenerator g = HarJson.FACTORY
                .createGenerator(out, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(HarJson.prettyPrinter());
            new HarEmitter(g, inStartOrder).writeDocument(har);
            g.writeRaw('\n');
            g.flush();
        }
    }

    /** The exact text {@link #write(Path, Har)} would put in a file. */
    public static String toJson(Har har) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes, har);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize HAR: " + e.getMessage(), e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
    }

    /** Keeps the mode of the file being replaced (best effort, POSIX only). */
    private static void copyPermissions(Path from, Path to) {
        PosixFileAttributeView source = Files.getFileAttributeView(from,
                PosixFileAttributeView.class);
        PosixFileAttributeView dest = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source == null || dest == null || !Files.exists(from)) {
            return;
        }
        try {
            dest.setPermissions(source.readAttributes().permissions());
        } catch (IOException | UnsupportedOperationException ignored) {
            // the default mode is acceptable
        }
    }

    /** Makes the rename itself durable where the platform allows it (not on Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the data itself was forced before the rename
        }
    }
}
