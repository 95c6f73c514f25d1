package dev.harp.resilience;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More simultaneous connections than the proxy has descriptors ({@code ulimit -n 256} for a child JVM running the
 * CLI in passthrough): the proxy stays alive, does not spin, and serves again within seconds once the connections
 * are released.
 *
 * <p>With the default {@code --max-connections} (derived from the descriptor limit: (256 - 64) / 3 = 64) Harp stops
 * accepting before descriptors run out: the extra connections wait in the kernel's accept queue, nothing is logged,
 * and accepting resumes as soon as connections close. With a {@code --max-connections} above the descriptor limit,
 * accept() fails with EMFILE: XNIO logs a WARN and backs off (250 ms, 1 s, 4 s, 16 s, 30 s at most) without
 * spinning, so recovery can lag by the current back-off.
 */
class DescriptorExhaustionTest {
    private static final int DESCRIPTORS = 256;
    private static final int HELD = 400;
    /** The descriptors the default {@code --max-connections} keeps free: (limit - reserve) / 3 connections. */
    private static final int RESERVE = 64;
    /**
     * The CPU measuring window and the most the child may use in it (1/100 s ticks): a quiet child uses a few ticks;
     * a busy accept loop uses whatever CPU it gets, which on a loaded 2-core machine shared with other JVMs is still a
     * good part of a core, far above 15 % of one.
     */
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final long MAX_TICKS = 45;
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();

    @TempDir
    Path dir;

    @Test
    void theDefaultConnectionLimitStopsAcceptingBeforeDescriptorsRunOut() throws Exception {
        try (ChildHarp child = ChildHarp.start(DESCRIPTORS, List.of(), List.of("--mode", "passthrough", "--port", "0",
                "--ca-dir", dir.resolve("ca").toString()))) {
            Exhaustion run = exhaustAndRecover(child, Duration.ofSeconds(10));
            // the ulimit caps the child at 256 whatever Harp does, and accepting until EMFILE leaves it at 255 or 256;
            // the default limit stops accepting with its reserve of 64 descriptors still free
            assertThat(run.descriptors()).as("descriptors while held: Harp stopped accepting with its reserve free")
                    .isLessThanOrEqualTo(DESCRIPTORS - RESERVE);
            // the accept backlog is served as soon as connections close; an XNIO back-off (the EMFILE path) would
            // start at 250 ms and grow to 30 s, and a loaded machine adds seconds, not tens of them
            assertThat(run.recovery()).as("served again after release").isLessThan(Duration.ofSeconds(5));
            assertThat(child.output()).as("nothing to report: the limit was reached cleanly")
                    .doesNotContain("WARN").doesNotContain("ERROR").doesNotContain("Too many open files");
        }
    }

    @Test
    void aConnectionLimitAboveTheDescriptorLimitBacksOffWithoutSpinningAndRecovers() throws Exception {
        try (ChildHarp child = ChildHarp.start(DESCRIPTORS, List.of(), List.of("--mode", "passthrough", "--port", "0",
                "--ca-dir", dir.resolve("ca").toString(), "--max-connections", "5000"))) {
            Duration recovery = exhaustAndRecover(child, Duration.ofSeconds(40)).recovery();
            System.out.println("EMFILE case: served again " + recovery.toMillis() + " ms after release");
            assertThat(recovery).as("served again within the accept back-off (at most 30 s)").isLessThan(Duration.ofSeconds(35));
            assertThat(child.output()).as("XNIO reports the exhaustion").contains("Too many open files");
        }
    }

    /** What one exhaustion showed: the child's descriptors while held, and how long until it served again. */
    record Exhaustion(int descriptors, Duration recovery) {
    }

    /** Holds {@value #HELD} connections, checks the child, releases them, and waits until it serves again. */
    private static Exhaustion exhaustAndRecover(ChildHarp child, Duration maxRecovery) throws Exception {
        assertThat(get(child.port(), "before", Duration.ofSeconds(5))).isTrue();
        List<Socket> held = new ArrayList<>();
        int descriptors;
        try {
            for (int i = 0; i < HELD; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", child.port()), 2000);
                    held.add(s);
                } catch (IOException backlogFull) {
                    s.close();
                }
            }
            assertThat(held.size()).as("connections held").isGreaterThan(DESCRIPTORS);
            assertThat(Resources.within(Duration.ofSeconds(5), () -> child.openDescriptors() >= DESCRIPTORS * 3 / 10))
                    .as("the child took connections").isTrue();
            // measure the steady state, not the accepting that is still going on
            descriptors = Resources.settled(child::openDescriptors, Duration.ofSeconds(10));
            long ticks = child.cpuTicks();
            long windowEnd = System.nanoTime() + WINDOW.toNanos();
            while (System.nanoTime() < windowEnd) { // the measuring window, not a race
                LockSupport.parkNanos(windowEnd - System.nanoTime());
            }
            long used = child.cpuTicks() - ticks;
            System.out.printf("%d connections held; child: %d descriptors (limit %d), %d ms CPU in %d ms%n", held.size(),
                    descriptors, DESCRIPTORS, used * 10, WINDOW.toMillis());
            assertThat(child.process().isAlive()).as("the child survived").isTrue();
            assertThat(used).as("CPU ticks (1/100 s) used in %s while exhausted: no busy loop", WINDOW)
                    .isLessThan(MAX_TICKS);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        long released = System.nanoTime();
        long deadline = released + maxRecovery.toNanos();
        while (System.nanoTime() < deadline) {
            if (get(child.port(), "after", Duration.ofSeconds(2))) {
                return new Exhaustion(descriptors, Duration.ofNanos(System.nanoTime() - released));
            }
        }
        throw new AssertionError("not served again within " + maxRecovery + "; child output:\n" + child.output());
    }

    /** One request through the child with a bounded wait; true when it got the right answer. */
    private static boolean get(int port, String id, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            Wire.write(s, Wire.head("GET", upstream.http("/n/" + id), "Connection: close"));
            return Wire.readResponse(s.getInputStream()).endsWith(ChaosUpstream.answer(id));
        } catch (IOException notYet) {
            return false;
        }
    }
}
