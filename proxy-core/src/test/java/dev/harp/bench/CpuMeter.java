package dev.harp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How much of the machine's CPU other processes used while something was measured: the machine's busy time from
 * {@code /proc/stat} minus the benchmark's own (this JVM, its reaped children such as wrk, and the running processes
 * it names, such as nginx). A shared machine shows up here instead of silently lowering the figures. Linux only;
 * elsewhere every figure is NaN.
 */
final class CpuMeter {
    /** Busy and total jiffies of the machine, and jiffies of the benchmark's processes. */
    record Snapshot(long busy, long total, long own) {
    }

    private final Supplier<List<Long>> otherPids;

    /** @param otherPids running processes that belong to the benchmark (the origin server), read at each snapshot */
    CpuMeter(Supplier<List<Long>> otherPids) {
        this.otherPids = otherPids;
    }

    Snapshot snapshot() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long own = processTicks("self", true);
            for (long pid : otherPids.get()) {
                own += processTicks(Long.toString(pid), false);
            }
            return new Snapshot(total - idle, total, own);
        } catch (IOException | RuntimeException e) {
            return new Snapshot(-1, -1, -1);
        }
    }

    /** Share of the whole machine (all cores) that other processes used between two snapshots, 0 to 1. */
    static double othersShare(Snapshot a, Snapshot b) {
        if (a.total() < 0 || b.total() < 0 || b.total() <= a.total()) {
            return Double.NaN;
        }
        double others = (b.busy() - a.busy()) - (b.own() - a.own());
        return Math.max(0, others / (b.total() - a.total()));
    }

    /** Several measured intervals added up. */
    static final class Sum {
        private long busy;
        private long total;
        private long own;
        private boolean valid = true;

        void add(Snapshot a, Snapshot b) {
            if (a.total() < 0 || b.total() < 0) {
                valid = false;
                return;
            }
            busy += b.busy() - a.busy();
            total += b.total() - a.total();
            own += b.own() - a.own();
        }

        double othersShare() {
            return valid && total > 0 ? Math.max(0, (double) (busy - own) / total) : Double.NaN;
        }
    }

    /** utime + stime (+ the reaped children's when asked) of a process, in jiffies; 0 when it is gone. */
    private static long processTicks(String pid, boolean withChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            if (withChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime (fields 16, 17)
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The pids of a process and its descendants, for {@link #CpuMeter(Supplier)}. */
    static List<Long> treeOf(ProcessHandle p) {
        List<Long> pids = new ArrayList<>();
        pids.add(p.pid());
        p.descendants().forEach(d -> pids.add(d.pid()));
        return pids;
    }
}
