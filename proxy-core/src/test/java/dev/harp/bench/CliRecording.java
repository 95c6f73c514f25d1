package dev.harp.bench;

import dev.harp.bench.HarpCliProcess.HeapPoint;
import dev.harp.bench.Report.Row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Harp as users run it (issue 15): the CLI jar as its own process with the JVM's default options,
 * {@code java -jar proxy-core/target/harp.jar --mode record --har X --port 0}, next to a second one in passthrough
 * mode. Timed wrk windows at 16 connections alternate between the two processes, 1 KiB bodies first, then 64 KiB;
 * the record process records everything into one HAR, so by the end of a full run it has recorded for minutes and
 * hundreds of thousands of entries. Reported: req/s and p99 (medians of windows) of each and their ratio; whether
 * recording slows down as the recording grows (last windows over first, passthrough's as the control); entries per
 * second counted in the HAR itself; the recording process's heap after full GCs ({@code jcmd GC.run}); the peak RSS
 * ({@code VmHWM}) of both; the final HAR (entries counted exactly by a streaming parser, size); and the time from
 * SIGTERM to exit, which includes Harp's final write. This class holds the plan, the alternating windows and the
 * report rows; {@link HarpCliProcess} starts and measures each process, {@link HarEntryCounter} counts the HAR.
 */
final class CliRecording {
    static final int CONNECTIONS = 16;

    /** One timed load of a body through the proxy on a port (wrk, or the JDK driver without wrk). */
    @FunctionalInterface
    interface Load {
        LoadResult run(Bodies body, int proxyPort, Duration duration) throws Exception;
    }

    /** Progress lines. */
    @FunctionalInterface
    interface Progress {
        void say(String format, Object... args);
    }

    /**
     * How long it runs.
     *
     * @param windows1k  timed windows per process with 1 KiB bodies
     * @param windows64k timed windows per process with 64 KiB bodies
     * @param window     one window (whole seconds: wrk's unit)
     * @param warmup     an untimed load per process and body before its windows
     */
    record Plan(int windows1k, int windows64k, Duration window, Duration warmup) {
        static Plan of(boolean quick) {
            return quick ? new Plan(2, 2, Duration.ofSeconds(1), Duration.ofSeconds(1))
                    : new Plan(8, 4, Duration.ofSeconds(15), Duration.ofSeconds(15)); // fresh JVMs: JIT, heap sizing
        }

        int windows(Bodies body) {
            return body == Bodies.K1 ? windows1k : windows64k;
        }
    }

    private final Plan plan;
    private final Path scratch;
    private final Load load;
    private final Progress progress;
    private final CpuMeter cpu;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private CliRecording(Plan plan, Path scratch, Load load, Supplier<List<Long>> upstreamPids, HarpCliProcess[] clis,
                         Progress progress) {
        this.plan = plan;
        this.scratch = scratch;
        this.load = load;
        this.progress = progress;
        this.cpu = new CpuMeter(() -> {
            List<Long> pids = new ArrayList<>(upstreamPids.get());
            for (HarpCliProcess c : clis) {
                if (c != null && c.process().isAlive()) {
                    pids.add(c.process().pid());
                }
            }
            return pids;
        });
    }

    /**
     * Runs the part and returns its table rows; {@code notes} receives how it was measured.
     *
     * @param upstreamPids the origin's processes, for the others'-CPU column
     */
    static List<Row> rows(Plan plan, Path scratch, Load load, Supplier<List<Long>> upstreamPids, List<String> notes,
                          Progress progress) throws Exception {
        Path jar = HarpCliProcess.jar();
        Path java = Path.of(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        HarpCliProcess[] clis = new HarpCliProcess[2];
        CliRecording part = new CliRecording(plan, scratch, load, upstreamPids, clis, progress);
        Path passthroughHar = scratch.resolve("cli-passthrough.har");
        Path recordHar = scratch.resolve("cli-record.har");
        try {
            clis[0] = HarpCliProcess.start(java, jar, "passthrough", passthroughHar, scratch);
            clis[1] = HarpCliProcess.start(java, jar, "record", recordHar, scratch);
            part.measure(clis[0], clis[1], recordHar, java);
        } finally {
            for (HarpCliProcess c : clis) {
                if (c != null) {
                    Children.end(c.process());
                }
            }
            Files.deleteIfExists(passthroughHar);
            Files.deleteIfExists(recordHar); // it can be several GB
        }
        notes.addAll(part.notes);
        return part.rows;
    }

    /** What one body's windows gave. */
    private static final class Windows {
        final List<LoadResult> passthrough = new ArrayList<>();
        final List<LoadResult> record = new ArrayList<>();
        final List<Long> entries = new ArrayList<>();
        /** Entries in the HAR when each record window started. */
        final List<Long> recordedBefore = new ArrayList<>();
        final CpuMeter.Sum passthroughCpu = new CpuMeter.Sum();
        final CpuMeter.Sum recordCpu = new CpuMeter.Sum();
    }

    private void measure(HarpCliProcess passthrough, HarpCliProcess record, Path har, Path java) throws Exception {
        String jvm = record.jvmDefaults(java);
        HarEntryCounter counter = new HarEntryCounter(har);
        double recordSeconds = 0;
        // at start, before any traffic: a full GC shrinks G1's heap, which a warm-up then grows again
        List<HeapPoint> heap = new ArrayList<>(List.of(record.heapPoint(java, "at start")));
        Windows[] byBody = new Windows[Bodies.values().length];
        for (Bodies body : Bodies.values()) {
            load.run(body, passthrough.port(), plan.warmup());
            load.run(body, record.port(), plan.warmup());
            recordSeconds += plan.warmup().toSeconds();
            counter.settle(); // the warm-up's entries are not a window's
            Windows w = new Windows();
            byBody[body.ordinal()] = w;
            for (int i = 0; i < plan.windows(body); i++) {
                boolean recordFirst = i % 2 == 1; // neither process always goes first
                for (int k = 0; k < 2; k++) {
                    boolean isRecord = (k == 0) == recordFirst;
                    HarpCliProcess cli = isRecord ? record : passthrough;
                    if (isRecord) {
                        w.recordedBefore.add(counter.total());
                    }
                    CpuMeter.Snapshot before = cpu.snapshot();
                    LoadResult r = load.run(body, cli.port(), plan.window());
                    (isRecord ? w.recordCpu : w.passthroughCpu).add(before, cpu.snapshot());
                    (isRecord ? w.record : w.passthrough).add(r);
                    if (isRecord) {
                        recordSeconds += plan.window().toSeconds();
                        long entries = counter.settle();
                        w.entries.add(entries);
                        progress.say("cli-record %-6s window %d: record %s p99 %s, %,d entries in the HAR (%,d in all)%s",
                                body.label, i + 1, Report.rps(r.requestsPerSecond()), Report.millis(r.p99Millis()),
                                entries, counter.total(), r.errors() > 0 ? ", errors " + r.errors() : "");
                    } else {
                        progress.say("cli-record %-6s window %d: passthrough %s p99 %s%s", body.label, i + 1,
                                Report.rps(r.requestsPerSecond()), Report.millis(r.p99Millis()),
                                r.errors() > 0 ? ", errors " + r.errors() : "");
                    }
                }
            }
            heap.add(record.heapPoint(java, "after the " + body.label + " windows"));
        }
        long passthroughRss = passthrough.peakRssKib();
        passthrough.stop();
        long[] recordRss = {record.peakRssKib()};
        double stopSeconds = record.stop(() -> recordRss[0] = Math.max(recordRss[0], record.peakRssKib()));
        long fileBytes = Files.size(har);
        counter.settle(); // whatever the final write added
        long marked = counter.total();
        long entries = HarEntryCounter.countEntries(har);
        progress.say("cli-record: %,d entries, %.2f GB of HAR, SIGTERM to exit %.2f s, peak RSS record %,d MiB,"
                + " passthrough %,d MiB", entries, fileBytes / 1e9, stopSeconds, recordRss[0] / 1024, passthroughRss / 1024);

        for (Bodies body : Bodies.values()) {
            throughputRows(body, byBody[body.ordinal()]);
        }
        Windows k1 = byBody[Bodies.K1.ordinal()];
        double windowSeconds = plan.window().toSeconds();
        double firstEntries = k1.entries.get(0) / windowSeconds;
        double lastEntries = k1.entries.get(k1.entries.size() - 1) / windowSeconds;
        rows.add(new Row(String.format(Locale.ROOT, "Harp CLI record, long recording: entries/s of the first → last"
                        + " 1 KiB window (counted in the HAR; %,d entries recorded before the last window)",
                        k1.recordedBefore.get(k1.recordedBefore.size() - 1)), Bodies.K1.label, String.valueOf(CONNECTIONS), "HAR",
                String.format(Locale.ROOT, "%,.0f → %,.0f entries/s", firstEntries, lastEntries), "", "",
                Report.ratio(lastEntries / firstEntries) + " last/first", "", "–", ""));
        String when = String.join(" → ", heap.stream().map(HeapPoint::when).toList());
        rows.add(new Row("Harp CLI record: heap used after a full GC (`jcmd GC.run`), " + when, "–", "–", "jcmd",
                String.join(" → ", heap.stream().map(h -> mib(h.usedAfterGc())).toList()), "", "", "", "", "–", ""));
        rows.add(new Row("Harp CLI record: heap the JVM had committed (just before that GC) and peak RSS so far, " + when,
                "–", "–", "jcmd, /proc", String.join(" → ", heap.stream().map(h -> mib(h.committedBefore()) + " / "
                + mib(h.peakRssKib() * 1024.0)).toList()), "", "", "", "", "–", ""));
        boolean rssOk = recordRss[0] * 1024 < 512 * HarpCliProcess.MIB;
        rows.add(new Row("Harp CLI record: peak RSS of the recording process (VmHWM), default JVM options", "both", "16",
                "/proc", String.format(Locale.ROOT, "%,d MiB", recordRss[0] / 1024), "", "", "", "",
                "< 512 MiB", Report.met(rssOk)));
        rows.add(new Row("Harp CLI passthrough: peak RSS (VmHWM), default JVM options", "both", "16", "/proc",
                String.format(Locale.ROOT, "%,d MiB", passthroughRss / 1024), "", "", "", "", "–", ""));
        rows.add(new Row("Harp CLI record: the final HAR (entries counted with a streaming JSON parser)", "both", "16",
                "Jackson", String.format(Locale.ROOT, "%,d entries, %.2f GB, %,.0f entries/s over %.0f s of load",
                entries, fileBytes / 1e9, entries / recordSeconds, recordSeconds), "", "", "", "", "–", ""));
        rows.add(new Row("Harp CLI record: SIGTERM to exit (its final write of the HAR)", "both", "16", "wall clock",
                String.format(Locale.ROOT, "%.2f s", stopSeconds), "", "", "", "", "–", ""));

        notes.add(String.format(Locale.ROOT, "CLI rows: two processes `%s -jar %s --mode passthrough|record --har F"
                        + " --port 0 --bind 127.0.0.1 --ca-dir D`, no JVM options (JAVA_TOOL_OPTIONS and the like removed"
                        + " from their environment), so the JVM's defaults on this machine: %s. wrk windows of %d s at %d"
                        + " connections alternate between them (%d each with 1 KiB bodies, then %d each with 64 KiB, after"
                        + " a %d s warm-up each per body); req/s, p50 and p99 are medians of the windows. The record"
                        + " process records all along into one HAR; per-window entries are counted in the bytes Harp"
                        + " appended to it, peak RSS is VmHWM from /proc/PID/status (for the recorder, polled until it"
                        + " exits). The heap is measured before any traffic and after each body's windows, never between"
                        + " a warm-up and its windows: a full GC shrinks G1's heap, which the next windows would pay to"
                        + " grow again", java, HarpCliProcess.JAR, jvm, plan.window().toSeconds(), CONNECTIONS,
                plan.windows1k(), plan.windows64k(), plan.warmup().toSeconds()));
        if (marked != entries) {
            notes.add(String.format(Locale.ROOT, "CLI record: the streaming parser counted %,d entries, the per-window"
                    + " count of entry starts %,d", entries, marked));
        }
    }

    private void throughputRows(Bodies body, Windows w) {
        LoadResult p = LoadResult.median(w.passthrough);
        LoadResult r = LoadResult.median(w.record);
        double ratio = r.requestsPerSecond() / p.requestsPerSecond();
        boolean headline = body == Bodies.K1;
        String target = headline ? "≥ 0.9× CLI passthrough, p99 < 3 ms" : "≥ 0.9× CLI passthrough";
        boolean ok = ratio >= 0.9 && (!headline || r.p99Millis() < 3);
        rows.add(row("Harp CLI passthrough (`java -jar harp.jar`, default JVM options)", body, p, "–",
                Report.percent(w.passthroughCpu.othersShare()), "", ""));
        rows.add(row("Harp CLI record, one process recording all along", body, r,
                Report.ratio(ratio) + " CLI passthrough", Report.percent(w.recordCpu.othersShare()), target,
                Report.met(ok)));
        int n = Math.max(1, w.record.size() / 4);
        double recordTrend = mean(w.record.subList(w.record.size() - n, w.record.size())) / mean(w.record.subList(0, n));
        double passTrend = mean(w.passthrough.subList(w.passthrough.size() - n, w.passthrough.size()))
                / mean(w.passthrough.subList(0, n));
        rows.add(new Row(String.format(Locale.ROOT, "Harp CLI record as its recording grows: req/s of the last %d"
                        + " window%s over the first %d (passthrough's the same way, as the control)", n, n == 1 ? "" : "s",
                n), body.label, String.valueOf(CONNECTIONS), p.client(),
                String.format(Locale.ROOT, "%,.0f → %,.0f req/s", mean(w.record.subList(0, n)),
                        mean(w.record.subList(w.record.size() - n, w.record.size()))), "", "",
                Report.ratio(recordTrend) + " (passthrough " + Report.ratio(passTrend) + ")", "", "–", ""));
    }

    private static String mib(double bytes) {
        return Double.isNaN(bytes) || bytes <= 0 ? "–"
                : String.format(Locale.ROOT, "%,.0f MiB", bytes / HarpCliProcess.MIB);
    }

    private static Row row(String label, Bodies body, LoadResult r, String vs, String others, String target, String met) {
        String result = Report.rps(r.requestsPerSecond()) + (r.errors() > 0 ? " (" + r.errors() + " errors)" : "");
        return new Row(label, body.label, String.valueOf(CONNECTIONS), r.client(), result, Report.millis(r.p50Millis()),
                Report.millis(r.p99Millis()), vs, others, target, met);
    }

    private static double mean(List<LoadResult> results) {
        return results.stream().mapToDouble(LoadResult::requestsPerSecond).average().orElse(Double.NaN);
    }
}
