package dev.harp.resilience;

import java.io.File;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Descriptor and thread counts of this JVM, and bounded polling. */
final class Resources {
    private Resources() {
    }

    /** Open file descriptors of this process ({@code /proc/self/fd}). */
    static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Live threads of this JVM. */
    static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code max} passes; returns whether it held. */
    static boolean within(Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return true;
    }

    /**
     * A baseline for {@code value}: the smallest of its readings once three readings 100 ms apart agree within one,
     * at most after {@code max}.
     */
    static int settled(IntSupplier value, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        int a = value.getAsInt();
        int b = Integer.MIN_VALUE;
        int c = Integer.MIN_VALUE;
        while (System.nanoTime() < deadline && !(Math.abs(a - b) <= 1 && Math.abs(b - c) <= 1)) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            c = b;
            b = a;
            a = value.getAsInt();
        }
        return Math.min(a, Math.min(b == Integer.MIN_VALUE ? a : b, c == Integer.MIN_VALUE ? a : c));
    }

    /** Asserts that {@code value} comes down to at most {@code limit} within {@code max}, collecting garbage meanwhile. */
    static void assertComesDownTo(int limit, IntSupplier value, Duration max, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (value.getAsInt() > limit && System.nanoTime() < deadline) {
            System.gc();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertThat(value.getAsInt()).as(what).isLessThanOrEqualTo(limit);
    }
}
