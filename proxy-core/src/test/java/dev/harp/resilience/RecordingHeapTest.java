package dev.harp.resilience;

import dev.harp.replay.HarReplay;
import dev.harp.replay.MatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long recording keeps a flat heap: {@value #ENTRIES} exchanges of 1 KiB recorded through Harp in a child JVM
 * with {@code -Xmx128m} (upstream and clients in the same heap), heap after GC sampled at {@value #FIRST_SAMPLE} and
 * at the end, and the file replays with every entry.
 */
class RecordingHeapTest {
    private static final int ENTRIES = 200_000;
    private static final int FIRST_SAMPLE = 10_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoHundredThousandEntriesRecordInAFlatHeapAndReplay() throws Exception {
        Path har = dir.resolve("long.har");
        long started = System.nanoTime();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dir,
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                RecordingHeapChild.class.getName(), har.toString(), Integer.toString(ENTRIES), Integer.toString(FIRST_SAMPLE))
                .redirectErrorStream(true).start();
        List<long[]> samples = new ArrayList<>();
        long[] done = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                String[] parts = line.split(" ");
                if (line.startsWith("heap ") && parts.length == 3) {
                    samples.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
                } else if (line.startsWith("done ") && parts.length == 3) {
                    done = new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
                } else if (!line.contains(" INFO ")) {
                    tail.add(line);
                    if (tail.size() > 40) {
                        tail.remove(0);
                    }
                }
            }
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertThat(child.exitValue()).as("child output: %s", tail).isZero();
        assertThat(done).as("child output: %s", tail).isNotNull();
        assertThat(samples).hasSize(2);
        long early = samples.get(0)[1];
        long late = samples.get(1)[1];
        System.out.printf("recording %d entries of 1 KiB through -Xmx128m: heap after GC %.1f MiB at %d entries, "
                        + "%.1f MiB at %d; recorded in %d ms (%.0f entries/s), HAR %d MiB%n", ENTRIES,
                early / 1048576.0, samples.get(0)[0], late / 1048576.0, samples.get(1)[0], done[1],
                ENTRIES * 1000.0 / done[1], Files.size(har) >> 20);
        assertThat(samples.get(1)[0]).isEqualTo(ENTRIES);
        assertThat(late).as("heap at %d entries against %d at %d", ENTRIES, early, samples.get(0)[0])
                .isLessThan((long) (early * 1.5) + 8L * 1024 * 1024)
                .isLessThan(64L * 1024 * 1024); // the first sample is taken under traffic: bound both absolutely too

        HarReplay replay = HarReplay.load(har, MatchOptions.defaults());
        assertThat(replay.summary().entries()).isEqualTo(ENTRIES);
        System.out.printf("whole test %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
