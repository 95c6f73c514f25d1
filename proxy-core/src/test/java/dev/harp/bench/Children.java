package dev.harp.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every child process the benchmark starts (nginx, wrk, the Harp CLI processes, jcmd), so that each one is ended:
 * by the code that started it, and by a shutdown hook if the benchmark dies first.
 */
final class Children {
    private static final List<Process> RUNNING = new ArrayList<>();
    private static boolean hooked;

    private Children() {
    }

    /** Starts a process, registered for ending. */
    static synchronized Process start(ProcessBuilder builder) throws IOException {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(Children::endAll, "bench-children-cleanup"));
            hooked = true;
        }
        Process p = builder.start();
        RUNNING.add(p);
        return p;
    }

    /**
     * Ends a process and its descendants: SIGTERM first (nginx's master then stops its workers), SIGKILL for
     * whatever still runs after the grace period. Descendants are listed before the parent goes, since they
     * stop being its descendants once it has exited.
     */
    static void end(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
        synchronized (Children.class) {
            RUNNING.remove(p);
        }
    }

    /** Ends every child still registered. */
    static void endAll() {
        List<Process> all;
        synchronized (Children.class) {
            all = new ArrayList<>(RUNNING);
        }
        for (Process p : all) {
            end(p);
        }
    }
}
