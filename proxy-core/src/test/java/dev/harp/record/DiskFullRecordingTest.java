package dev.harp.record;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.testing.HarSchema;
import dev.harp.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recording onto a disk that fills up, and onto one that hangs: traffic never breaks or crawls, memory stays bounded,
 * what is lost is said and counted, and the HAR is valid throughout and afterwards, every kept entry once and in order.
 * The full disk is real: a 4 MiB tmpfs mounted for this class (skipped where mounting is refused), filled by a file.
 */
class DiskFullRecordingTest {
    private static Path mount;

    ProxiedRecorder rig;
    Path filler;

    @BeforeAll
    static void mountSmallTmpfs() throws Exception {
        Path dir = Files.createTempDirectory("harp-full-disk");
        String refused = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir.toString());
        if (refused != null) {
            Files.deleteIfExists(dir);
            Assumptions.abort("a real full disk needs a small tmpfs, and mounting one is refused here: " + refused);
        }
        mount = dir;
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mount != null) {
            String failed = run("umount", mount.toString());
            if (failed != null) {
                run("umount", "-l", mount.toString()); // lazily, so no mount outlives the test run
            }
            Files.deleteIfExists(mount);
            mount = null;
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (rig != null) {
            rig.close();
        }
        if (filler != null) {
            Files.deleteIfExists(filler);
        }
        try (Stream<Path> files = Files.list(mount)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aFullDiskNeitherBreaksTrafficNorLosesEntriesThatFitInMemoryAndTheFileStaysValid() throws Exception {
        Path har = mount.resolve("full.har");
        try (LogCapture logs = LogCapture.start(); ReplyUpstream upstream = ReplyUpstream.start();
             HarpServer harp = HarpServer.builder().mode(Mode.RECORD).har(har).port(0).flushInterval(Duration.ofMillis(100))
                     .environment(Map.of()).systemProperties(Map.of()).start()) {
            HttpClient client = ProxiedRecorder.client(harp.address());
            ProxiedRecorder.sendAll(client, upstream, "/before/", 20);
            awaitEntries(har, 20);

            fillTheDisk();
            // every one answered in full: a recording that cannot write never breaks traffic
            ProxiedRecorder.sendAll(client, upstream, "/full/", 30);
            awaitTrue(() -> logs.stderr().contains("No space left on device"), "an append failed for want of space");
            assertThat(readLocked(har).entries()).as("valid while the disk is full, with what it held").hasSize(20);

            Files.delete(filler); // space is back
            awaitEntries(har, 50);
            ProxiedRecorder.sendAll(client, upstream, "/after/", 10);
            harp.close();

            assertThat(logs.problems()).noneMatch(line -> line.contains("drops new entries"));
            assertThat(logs.stderr()).contains("Harp writes " + har + " again; no entry was lost");
        }
        HarSchema.assertValid(Files.readString(har));
        assertThat(paths(HarReader.read(har))).containsExactlyElementsOf(concat(
                sent("/before/", 20), sent("/full/", 30), sent("/after/", 10)));
    }

    @Test
    void pastTheBoundEntriesAreDroppedCountedAndSaidOnceAndTheFileKeepsEveryOtherInOrder() throws Exception {
        PendingEntries.Limits tiny = new PendingEntries.Limits(16 * 1024, 64 * 1024, 2_000, 3_000);
        rig = new ProxiedRecorder(mount.resolve("bounded.har"), tiny);
        try (LogCapture logs = LogCapture.start()) {
            rig.sendAll("/before/", 5);
            awaitEntries(rig.har, 5);

            fillTheDisk();
            for (int i = 0; i < 40; i++) {
                rig.send("/full/" + i);
                assertThat(rig.recorder.heldBytes()).as("held in memory").isLessThanOrEqualTo(tiny.maxBytes());
            }
            int size = rig.recorder.size(); // waits for every conversion
            long dropped = rig.recorder.dropped();
            assertThat(size + dropped).as("every flow recorded or dropped").isEqualTo(45);
            assertThat(dropped).as("40 entries of 9 KiB do not fit in 64 KiB").isBetween(20L, 39L);
            List<String> warnings = logs.problems().stream().filter(l -> l.contains("drops new entries")).toList();
            assertThat(warnings).as("said once").hasSize(1);
            assertThat(warnings.get(0)).contains(rig.har.toString(), "writing it fails", "No space left on device",
                    "64 KiB");
            assertThat(readLocked(rig.har).entries()).hasSize(5);

            Files.delete(filler);
            int kept = 40 - (int) dropped;
            awaitEntries(rig.har, 5 + kept);
            awaitTrue(() -> logs.stderr().contains("Harp writes " + rig.har + " again: " + dropped
                    + " entries recorded while it could not were lost"), "the loss said once writing recovers");
            rig.sendAll("/after/", 5);
            rig.close();

            HarSchema.assertValid(Files.readString(rig.har));
            assertThat(paths(HarReader.read(rig.har))).as("the entries dropped are the last ones of the full period")
                    .containsExactlyElementsOf(concat(sent("/before/", 5), sent("/full/", kept), sent("/after/", 5)));
            assertThat(logs.stderr()).contains("without the " + dropped + " entries dropped");
        }
    }

    @Test
    void aHungDiskDelaysTheRecordingOnceNotPerEntryAndMemoryStaysBounded() throws Exception {
        PendingEntries.Limits limits = new PendingEntries.Limits(32 * 1024, 256 * 1024, 2_000, 3_000);
        rig = new ProxiedRecorder(mount.resolve("hung.har"), limits);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        Thread disk = new Thread(() -> { // a write that does not return until released
            synchronized (rig.recorder.appendLock()) {
                holding.countDown();
                awaitQuietly(diskBack, 120);
            }
        }, "hung-disk");
        disk.setDaemon(true);
        try (LogCapture logs = LogCapture.start()) {
            disk.start();
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                rig.send("/hung/" + i);
                assertThat(rig.recorder.heldBytes()).isLessThanOrEqualTo(limits.maxBytes());
            }
            long answered = System.nanoTime();
            int size = rig.recorder.size(); // waits for every conversion
            long lag = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - answered);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            long dropped = rig.recorder.dropped();
            assertThat(size + dropped).as("every flow converted or dropped").isEqualTo(200);
            // waiting 2 s per entry past the first 32 KiB would take over 5 minutes
            assertThat(seconds).as("one wait of 2 s for the hung writer, not one per entry").isLessThan(90);
            assertThat(lag).as("conversions do not lag behind the traffic").isLessThan(10);
            assertThat(rig.recorder.heldBytes()).isLessThanOrEqualTo(limits.maxBytes());
            assertThat(dropped).as("200 entries of 9 KiB exceed 256 KiB").isPositive();
            List<String> warnings = logs.problems().stream().filter(l -> l.contains("drops new entries")).toList();
            assertThat(warnings).as("said once").hasSize(1);
            assertThat(warnings.get(0)).contains(rig.har.toString(), "has not finished a write");

            diskBack.countDown();
            awaitEntries(rig.har, size);
            awaitTrue(() -> logs.stderr().contains(dropped + " entries recorded while it could not were lost"),
                    "the loss said once writing recovers");
            rig.close();
            assertThat(paths(HarReader.read(rig.har))).containsExactlyElementsOf(sent("/hung/", size));
        } finally {
            diskBack.countDown();
            disk.join(10_000);
        }
    }

    @Test
    void closeOnAFullDiskEndsSaysWhatWasNotWrittenAndKeepsTheFile() throws Exception {
        PendingEntries.Limits limits = new PendingEntries.Limits(8L << 20, 64L << 20, 10_000, 3_000);
        rig = new ProxiedRecorder(mount.resolve("close.har"), limits);
        rig.sendAll("/before/", 5);
        awaitEntries(rig.har, 5);
        fillTheDisk();
        rig.sendAll("/full/", 7);
        rig.closeProxy();
        long start = System.nanoTime();
        assertThatThrownBy(rig.recorder::close).isInstanceOf(IOException.class)
                .hasMessageContaining(rig.har.toString()).hasMessageContaining("No space left on device")
                .hasMessageContaining("7 entries recorded were not written")
                .hasMessageContaining("keeps the 5 entries");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        assertThat(paths(HarReader.read(rig.har))).containsExactlyElementsOf(sent("/before/", 5));
    }

    @Test
    void closeOnAHungDiskEndsInBoundedTime() throws Exception {
        // past 16 KiB a conversion would wait 30 s for the writer, but not once stopping: the stop has its own bound
        PendingEntries.Limits limits = new PendingEntries.Limits(16 * 1024, 64L << 20, 30_000, 2_000);
        rig = new ProxiedRecorder(mount.resolve("close-hung.har"), limits);
        rig.sendAll("/before/", 3);
        awaitEntries(rig.har, 3);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        Thread disk = new Thread(() -> {
            synchronized (rig.recorder.appendLock()) {
                holding.countDown();
                awaitQuietly(diskBack, 60);
            }
        }, "hung-disk");
        disk.setDaemon(true);
        disk.start();
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            rig.sendAll("/late/", 4);
            rig.closeProxy();
            long start = System.nanoTime();
            assertThatThrownBy(rig.recorder::close).isInstanceOf(IOException.class)
                    .hasMessageContaining("has not finished").hasMessageContaining("4 entries recorded were not written");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
            assertThat(paths(readLocked(rig.har))).containsExactlyElementsOf(sent("/before/", 3));
        } finally {
            diskBack.countDown();
            disk.join(10_000);
        }
        assertThat(rig.recorder.heldBytes()).as("given up: nothing kept, nothing written late").isZero();
    }

    /** Fills the tmpfs to the last byte, so that the next append fails part-way with ENOSPC. */
    private void fillTheDisk() throws IOException {
        filler = mount.resolve("filler");
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) { // at most 64 MiB: more than the 4 MiB there are
                out.write(chunk);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
            assertThat(Files.getFileStore(mount).getUsableSpace()).isLessThan(4096);
            return;
        }
        throw new AssertionError("the tmpfs took 64 MiB: not the 4 MiB one this test mounted");
    }

    private static List<String> sent(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static List<String> paths(Har har) {
        return har.entries().stream().map(HarEntry::request).map(r -> URI.create(r.url()).getPath())
                .collect(Collectors.toList());
    }

    /**
     * Reads the HAR as any tool would while Harp records into it, holding a shared lock so as not to read an append
     * half-way (an append holds an exclusive lock while it writes): what is there must always be valid HAR.
     */
    private static Har readLocked(Path har) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (FileChannel channel = FileChannel.open(har, StandardOpenOption.READ)) {
            while (true) {
                try (FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true)) {
                    if (lock != null) {
                        ByteBuffer bytes = ByteBuffer.allocate((int) channel.size());
                        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
                            // until full
                        }
                        return HarReader.fromJson(new String(bytes.array(), StandardCharsets.UTF_8));
                    }
                } catch (OverlappingFileLockException appending) {
                    // the recorder of this JVM is appending: wait as another process would
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the HAR stayed locked for 10 s: " + har);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    private static void awaitEntries(Path har, int count) throws Exception {
        awaitTrue(() -> {
            try {
                return readLocked(har).entries().size() == count;
            } catch (java.nio.file.NoSuchFileException notYet) { // a recording writes its file at its first flush
                return false;
            } catch (IOException e) { // HarFormatException included
                throw new AssertionError("not valid HAR while recording: " + e, e);
            }
        }, har + " holding " + count + " entries");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a command for at most 10 s; null when it succeeded, else why not. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not end in 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
