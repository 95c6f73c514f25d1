package dev.harp.har;

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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} at random moments of a heavy recording in a child JVM: every file repairs to a valid HAR that
 * holds every entry flushed before the kill, in order, and nothing else.
 */
class KilledAppendTest {
    private static final int KILLS = 24;

    @TempDir
    Path dir;

    /** The count a {@code flushed N} line gives; a line the kill cut may give less, never more. */
    private static int flushedIn(String line) {
        try {
            return Integer.parseInt(line.substring("flushed ".length()));
        } catch (RuntimeException cut) {
            return 0;
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyKilledRecordingRepairsToEveryFlushedEntry() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int repaired = 0;
        long started = System.nanoTime();
        for (int kill = 0; kill < KILLS; kill++) {
            Path file = dir.resolve("killed-" + kill + ".har");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    AppendingChild.class.getName(), file.toString(), Long.toString(random.nextLong()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int flushed = 0;
            int flushesBeforeKill = 1 + random.nextInt(25);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                // even kills land just as an append starts writing, odd ones at a random moment of the append cycle
                boolean whileWriting = kill % 2 == 0;
                long previous = System.nanoTime();
                long interval = 1_000_000;
                for (int seen = 0; seen < flushesBeforeKill; ) {
                    String line = out.readLine();
                    assertThat(line).as("child %d (seed %d) is alive", kill, seed).isNotNull();
                    if (line.startsWith("flushed ")) {
                        flushed = flushedIn(line);
                        interval = System.nanoTime() - previous;
                        previous += interval;
                        seen += whileWriting ? 0 : 1;
                    } else {
                        seen += whileWriting ? 1 : 0;
                    }
                }
                LockSupport.parkNanos(whileWriting ? random.nextInt(500_000)
                        : (long) (random.nextDouble() * Math.min(interval, 50_000_000)));
                child.toHandle().destroyForcibly(); // SIGKILL, leaving its output readable
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                for (String line; (line = out.readLine()) != null; ) { // what it said before it died
                    flushed = line.startsWith("flushed ") ? Math.max(flushed, flushedIn(line)) : flushed;
                }
            }
            long before = Files.size(file);
            byte[] bytes = Files.readAllBytes(file); // a cut can split a UTF-8 sequence: compare the end as ASCII
            String text = new String(bytes, Math.max(0, bytes.length - 64), Math.min(64, bytes.length),
                    StandardCharsets.ISO_8859_1);
            boolean damaged = !text.endsWith("\n    ]\n  }\n}\n") && !text.endsWith("\"entries\": []\n  }\n}\n");
            List<HarEntry> entries = HarRepair.read(file).entries();
            if (damaged) {
                repaired++;
                assertThat(Files.size(file)).isLessThanOrEqualTo(before);
            }
            assertThat(entries.size()).as("kill %d (seed %d): every flushed entry is kept", kill, seed)
                    .isGreaterThanOrEqualTo(flushed);
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                urls.add("https://api.test/items/" + i);
            }
            assertThat(entries).extracting(e -> e.request().url()).as("kill %d (seed %d)", kill, seed)
                    .containsExactlyElementsOf(urls);
            assertThat(HarReader.read(file).entries()).hasSize(entries.size());
        }
        assertThat(repaired).as("kills that cut an append (seed %d): the repair was exercised", seed).isPositive();
        System.out.printf("kill -9 %d times (seed %d) in %d ms: %d files cut mid-append and repaired%n", KILLS, seed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), repaired);
    }
}
