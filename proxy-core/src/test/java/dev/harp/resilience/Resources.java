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

    /**
     * Open descriptors other than selectors ({@code anon_inode:[eventpoll]} and its wake-up {@code [eventfd]}): XNIO
     * caches one selector per worker thread that ever waited in a blocking read or write, so selectors follow the
     * number of pool threads, which follows the peak concurrency; sockets, pipes and files must come back.
     */
    static int descriptorsOutsideSelectors() {
        return (int) descriptorTargets().stream().filter(t -> !isSelector(t)).count();
    }

    /** Open epoll descriptors: one per selector. */
    static int selectors() {
        return (int) descriptorTargets().stream().filter(t -> t.equals("anon_inode:[eventpoll]")).count();
    }

    private static boolean isSelector(String target) {
        return target.equals("anon_inode:[eventpoll]") || target.equals("anon_inode:[eventfd]");
    }

    private static java.util.List<String> descriptorTargets() {
        java.util.List<String> out = new java.util.ArrayList<>();
        String[] fds = new File("/proc/self/fd").list();
        for (String fd : fds == null ? new String[0] : fds) {
            try {
                out.add(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd)).toString());
            } catch (java.io.IOException | UnsupportedOperationException e) {
                // closed meanwhile (the listing itself, or a connection just ending)
            }
        }
        return out;
    }

    /** Open descriptors by kind (sockets, pipes, ...; files by name). */
    static String descriptorSummary() {
        java.util.Map<String, Integer> byKind = new java.util.TreeMap<>();
        for (String target : descriptorTargets()) {
            if (!target.endsWith(".jar")) {
                byKind.merge(target.replaceAll("\\[\\d+\\]", ""), 1, Integer::sum);
            }
        }
        return byKind.toString();
    }

    /** Live threads of this JVM. */
    static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    /**
     * Threads of worker pools that create threads on demand and keep them (Undertow's {@code XNIO-n task-m}) or keep
     * them for a minute (Harp's {@code harp-upstream-n} and {@code harp-upstream-call-n}): their number follows the
     * peak concurrency, not leaks.
     */
    static boolean isPoolThread(Thread t) {
        return t.getName().matches("XNIO-\\d+ task-\\d+|harp-upstream-\\d+|harp-upstream-call-\\d+");
    }

    /** Live threads that are not {@linkplain #isPoolThread pool threads}. */
    static int threadsOutsidePools() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> !isPoolThread(t)).count();
    }

    /** Live {@linkplain #isPoolThread pool threads}. */
    static int poolThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Resources::isPoolThread).count();
    }

    /** Live threads by name, digits folded ({@code XNIO-1 task-12} counts as {@code XNIO-# task-#}). */
    static String threadSummary() {
        java.util.Map<String, Integer> byName = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            byName.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return byName.toString();
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
        assertThat(value.getAsInt()).as(what + "; threads now: " + threadSummary() + "; descriptors now: "
                + descriptorSummary()).isLessThanOrEqualTo(limit);
    }
}
