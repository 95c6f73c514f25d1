package dev.harp.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A build's usage folder: each {@link FixtureUse} is one JSON file under {@code <folder>/uses/}, written to a
 * temporary file and moved into place in one step under a name no other thread, fork or module can pick, so
 * parallel tests and forked JVMs never lose or corrupt each other's data, and a reader never sees half a file.
 *
 * <pre>{@code
 * UsageLog log = UsageLog.at(Path.of("target/harp"));
 * log.write(use);
 * UsageLog.Contents contents = log.read();
 * }</pre>
 */
public final class UsageLog {
    /** The sub-folder holding one file per use. */
    public static final String USES = "uses";
    /** A usage file larger than this is refused as not ours. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** At most this many usage files are read from one folder. */
    public static final int MAX_FILES = 200_000;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path folder;

    private UsageLog(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** @param folder the usage folder, e.g. {@code target/harp} @return its log */
    public static UsageLog at(Path folder) {
        return new UsageLog(Objects.requireNonNull(folder, "folder"));
    }

    /**
     * @param value a configured usage folder ({@code harp.usageDir}, {@code --usage-dir}, {@code <usageDir>})
     * @return whether it turns usage data off: {@code off}, {@code none} or {@code false}, in any case
     */
    public static boolean isOff(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        return v.equals("off") || v.equals("none") || v.equals("false");
    }

    /** @return the usage folder */
    public Path folder() {
        return folder;
    }

    /**
     * Writes one use.
     *
     * @param use the use
     * @return the file written
     * @throws IOException when the folder cannot be made or written
     */
    public Path write(FixtureUse use) throws IOException {
        Path uses = Files.createDirectories(folder.resolve(USES));
        // unique without SecureRandom (a UUID's, or createTempFile's, costs a fresh test JVM about 10 ms): the pid and
        // a counter within a machine, a random part across containers that share the folder with the same pid
        String name = STAMP.format(use.finished()) + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet()
                + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".json";
        Path temporary = uses.resolve(".writing-" + name + ".tmp");
        OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try { // from here the temporary file is this writer's own, to delete whatever happens
            try (out) {
                UsageJson.write(use, out);
            }
            Path target = uses.resolve(name);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads every use in the folder; files that cannot be read are named in {@link Contents#problems()}, never
     * dropped silently. A missing folder reads as empty.
     *
     * @return the uses, oldest first, and the problems
     * @throws IOException when the folder exists but cannot be listed
     */
    public Contents read() throws IOException {
        Path uses = folder.resolve(USES);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(uses, "*.json")) {
            for (Path file : stream) {
                if (files.size() >= MAX_FILES) {
                    throw new IOException(uses + " holds more than " + MAX_FILES + " usage files");
                }
                files.add(file);
            }
        } catch (NoSuchFileException e) {
            return new Contents(folder, List.of(), List.of());
        }
        files.sort(Comparator.comparing(Path::getFileName));
        List<FixtureUse> read = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    problems.add(file + ": not a regular file (a link or a folder), not read");
                    continue;
                }
                if (Files.size(file) > MAX_FILE_BYTES) {
                    problems.add(file + ": larger than " + MAX_FILE_BYTES + " bytes, not a usage file");
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    read.add(UsageJson.read(in));
                }
            } catch (IOException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        read.sort(Comparator.comparing(FixtureUse::started));
        return new Contents(folder, read, problems);
    }

    /**
     * Deletes every usage file, so the next build starts from nothing (a build that only adds would otherwise mix
     * runs); the rest of the folder (reports) is left.
     *
     * @return how many files were deleted
     * @throws IOException when a file cannot be deleted
     */
    public int clear() throws IOException {
        Path uses = folder.resolve(USES);
        int deleted = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(uses)) {
            for (Path file : stream) {
                if (Files.isRegularFile(file) && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return deleted;
    }

    /**
     * @param file a fixture file
     * @return its SHA-256 as lower-case hex, or empty when it does not exist
     * @throws IOException when it exists but cannot be read
     */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            return "";
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * What a usage folder holds.
     *
     * @param folder   the usage folder
     * @param uses     the uses read, oldest first
     * @param problems one line per file that could not be read: the file and what is wrong
     */
    public record Contents(Path folder, List<FixtureUse> uses, List<String> problems) {
        /** Copies the lists. */
        public Contents {
            Objects.requireNonNull(folder, "folder");
            uses = List.copyOf(uses);
            problems = List.copyOf(problems);
        }

        /** @return whether every file could be read (pruning refuses to act on partial data) */
        public boolean complete() {
            return problems.isEmpty();
        }

        /** @return the time of the earliest use, if any */
        public java.util.Optional<Instant> firstStarted() {
            return uses.stream().map(FixtureUse::started).min(Comparator.naturalOrder());
        }
    }
}
