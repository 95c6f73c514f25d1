package dev.harp.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.harp.bench.Report.Row;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Harp as users run it (issue 15): the CLI jar as its own process with the JVM's default options,
 * {@code java -jar proxy-core/target/harp.jar --mode record --har X --port 0}, next to a second one in passthrough
 * mode. Timed wrk windows at 16 connections alternate between the two processes, 1 KiB bodies first, then 64 KiB;
 * the record process records everything into one HAR, so by the end of a full run it has recorded for minutes and
 * hundreds of thousands of entries. Reported: req/s and p99 (medians of windows) of each and their ratio; whether
 * recording slows down as the recording grows (last windows over first, passthrough's as the control); entries per
 * second counted in the HAR itself; the recording process's heap after full GCs ({@code jcmd GC.run}); the peak RSS
 * ({@code VmHWM}) of both; the final HAR (entries counted exactly by a streaming parser, size); and the time from
 * SIGTERM to exit, which includes Harp's final write.
 */
final class CliRecording {
    /** Where the benchmark looks for the CLI jar (benchmark/run builds it), relative to the repository root. */
    static final Path JAR = Path.of("proxy-core", "target", "harp.jar");
    static final int CONNECTIONS = 16;
    /** What each HAR entry starts with in Harp's layout; counted in the appended bytes after each window. */
    private static final byte[] ENTRY_MARK = "\"startedDateTime\"".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final long MIB = 1024 * 1024;

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

    private CliRecording(Plan plan, Path scratch, Load load, Supplier<List<Long>> upstreamPids, Cli[] clis,
                         Progress progress) {
        this.plan = plan;
        this.scratch = scratch;
        this.load = load;
        this.progress = progress;
        this.cpu = new CpuMeter(() -> {
            List<Long> pids = new ArrayList<>(upstreamPids.get());
            for (Cli c : clis) {
                if (c != null && c.process.isAlive()) {
                    pids.add(c.process.pid());
                }
            }
            return pids;
        });
    }

    /** The CLI jar, or a clear failure saying how to build it. */
    static Path jar() throws IOException {
        for (Path candidate : List.of(JAR, Path.of("target", "harp.jar"), Path.of("..").resolve(JAR))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IOException("the cli-record part runs the CLI jar, but " + JAR.toAbsolutePath().normalize()
                + " is missing: build it with `./mvnw -B -q -DskipTests package -pl proxy-core`"
                + " (benchmark/run does so when cli-record is part of the run)");
    }

    /**
     * Runs the part and returns its table rows; {@code notes} receives how it was measured.
     *
     * @param upstreamPids the origin's processes, for the others'-CPU column
     */
    static List<Row> rows(Plan plan, Path scratch, Load load, Supplier<List<Long>> upstreamPids, List<String> notes,
                          Progress progress) throws Exception {
        Path jar = jar();
        Path java = Path.of(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Cli[] clis = new Cli[2];
        CliRecording part = new CliRecording(plan, scratch, load, upstreamPids, clis, progress);
        Path passthroughHar = scratch.resolve("cli-passthrough.har");
        Path recordHar = scratch.resolve("cli-record.har");
        try {
            clis[0] = Cli.start(java, jar, "passthrough", passthroughHar, scratch);
            clis[1] = Cli.start(java, jar, "record", recordHar, scratch);
            part.measure(clis[0], clis[1], recordHar, java);
        } finally {
            for (Cli c : clis) {
                if (c != null) {
                    Children.end(c.process);
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

    private void measure(Cli passthrough, Cli record, Path har, Path java) throws Exception {
        String jvm = record.jvmDefaults(java);
        EntryCounter counter = new EntryCounter(har);
        double recordSeconds = 0;
        // at start, before any traffic: a full GC shrinks G1's heap, which a warm-up then grows again
        List<HeapPoint> heap = new ArrayList<>(List.of(record.heapPoint(java, "at start")));
        Windows[] byBody = new Windows[Bodies.values().length];
        for (Bodies body : Bodies.values()) {
            load.run(body, passthrough.port, plan.warmup());
            load.run(body, record.port, plan.warmup());
            recordSeconds += plan.warmup().toSeconds();
            counter.settle(); // the warm-up's entries are not a window's
            Windows w = new Windows();
            byBody[body.ordinal()] = w;
            for (int i = 0; i < plan.windows(body); i++) {
                boolean recordFirst = i % 2 == 1; // neither process always goes first
                for (int k = 0; k < 2; k++) {
                    boolean isRecord = (k == 0) == recordFirst;
                    Cli cli = isRecord ? record : passthrough;
                    if (isRecord) {
                        w.recordedBefore.add(counter.total);
                    }
                    CpuMeter.Snapshot before = cpu.snapshot();
                    LoadResult r = load.run(body, cli.port, plan.window());
                    (isRecord ? w.recordCpu : w.passthroughCpu).add(before, cpu.snapshot());
                    (isRecord ? w.record : w.passthrough).add(r);
                    if (isRecord) {
                        recordSeconds += plan.window().toSeconds();
                        long entries = counter.settle();
                        w.entries.add(entries);
                        progress.say("cli-record %-6s window %d: record %s p99 %s, %,d entries in the HAR (%,d in all)%s",
                                body.label, i + 1, Report.rps(r.requestsPerSecond()), Report.millis(r.p99Millis()),
                                entries, counter.total, r.errors() > 0 ? ", errors " + r.errors() : "");
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
        long marked = counter.total;
        long entries = countEntries(har);
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
        boolean rssOk = recordRss[0] * 1024 < 512 * MIB;
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
                        + " grow again", java, JAR, jvm, plan.window().toSeconds(), CONNECTIONS, plan.windows1k(),
                plan.windows64k(), plan.warmup().toSeconds()));
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
        return Double.isNaN(bytes) || bytes <= 0 ? "–" : String.format(Locale.ROOT, "%,.0f MiB", bytes / MIB);
    }

    /**
     * The recording process's memory at one point.
     *
     * @param usedAfterGc     used heap after a full GC, bytes (NaN when unknown)
     * @param committedBefore heap committed just before that GC, bytes (NaN when unknown)
     * @param peakRssKib      VmHWM at that point
     */
    private record HeapPoint(String when, double usedAfterGc, double committedBefore, long peakRssKib) {
    }

    private static Row row(String label, Bodies body, LoadResult r, String vs, String others, String target, String met) {
        String result = Report.rps(r.requestsPerSecond()) + (r.errors() > 0 ? " (" + r.errors() + " errors)" : "");
        return new Row(label, body.label, String.valueOf(CONNECTIONS), r.client(), result, Report.millis(r.p50Millis()),
                Report.millis(r.p99Millis()), vs, others, target, met);
    }

    private static double mean(List<LoadResult> results) {
        return results.stream().mapToDouble(LoadResult::requestsPerSecond).average().orElse(Double.NaN);
    }

    // ------------------------------------------------------------------------------------------------ counting

    /**
     * Counts entry starts in the bytes appended to a HAR since the last count. Harp appends over the file's closing
     * brackets and never rewrites an entry, so a mark once seen stays; the scan resumes just after the last mark.
     */
    private static final class EntryCounter {
        private final Path file;
        private final int[] failure = failureTable(ENTRY_MARK);
        private long resumeAt;
        /** Entry starts counted so far. */
        long total;

        EntryCounter(Path file) {
            this.file = file;
        }

        /**
         * Waits until Harp has appended what it holds (the count stays the same across more than one flush
         * interval) and returns the entries added since the last call.
         */
        long settle() throws IOException, InterruptedException {
            long before = total;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Thread.sleep(300);
            long last = -1;
            while (System.nanoTime() < deadline) {
                total += scan();
                if (total == last) {
                    break;
                }
                last = total;
                Thread.sleep(1_200); // Harp appends once a second while entries arrive
            }
            return total - before;
        }

        /** Entry starts from where the last scan stopped to the end of the file. */
        private long scan() throws IOException {
            if (!Files.exists(file)) {
                return 0;
            }
            long found = 0;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                long pos = resumeAt;
                int j = 0;
                while (pos < size) {
                    buf.clear();
                    int n = ch.read(buf, pos);
                    if (n <= 0) {
                        break;
                    }
                    byte[] a = buf.array();
                    for (int i = 0; i < n; i++) {
                        byte b = a[i];
                        while (j > 0 && b != ENTRY_MARK[j]) {
                            j = failure[j - 1];
                        }
                        if (b == ENTRY_MARK[j]) {
                            j++;
                        }
                        if (j == ENTRY_MARK.length) {
                            found++;
                            resumeAt = pos + i + 1;
                            j = 0;
                        }
                    }
                    pos += n;
                }
            }
            return found;
        }

        private static int[] failureTable(byte[] p) {
            int[] f = new int[p.length];
            for (int i = 1, k = 0; i < p.length; i++) {
                while (k > 0 && p[i] != p[k]) {
                    k = f[k - 1];
                }
                if (p[i] == p[k]) {
                    k++;
                }
                f[i] = k;
            }
            return f;
        }
    }

    /** The elements of {@code log.entries}, read with Jackson's streaming parser: the file may be several GB. */
    static long countEntries(Path har) throws IOException {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .build();
        try (JsonParser p = factory.createParser(har.toFile())) {
            expect(p.nextToken(), JsonToken.START_OBJECT, har);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("log")) {
                    p.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_OBJECT, har);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String member = p.currentName();
                    JsonToken v = p.nextToken();
                    if (!member.equals("entries")) {
                        p.skipChildren();
                        continue;
                    }
                    expect(v, JsonToken.START_ARRAY, har);
                    long n = 0;
                    JsonToken t;
                    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                        n++;
                        p.skipChildren();
                    }
                    expect(t, JsonToken.END_ARRAY, har);
                    return n;
                }
            }
        }
        throw new IOException(har + " has no log.entries");
    }

    private static void expect(JsonToken actual, JsonToken expected, Path har) throws IOException {
        if (actual != expected) {
            throw new IOException(har + ": expected " + expected + " but found " + actual);
        }
    }

    // ------------------------------------------------------------------------------------------------ processes

    /** One CLI process: {@code java -jar harp.jar --mode M ...}, its stdout and stderr in a log file. */
    private static final class Cli {
        final String mode;
        final Process process;
        final int port;
        final Path log;

        private Cli(String mode, Process process, int port, Path log) {
            this.mode = mode;
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static Cli start(Path java, Path jar, String mode, Path har, Path scratch) throws IOException,
                InterruptedException {
            Path log = scratch.resolve("cli-" + mode + ".log");
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--mode", mode, "--har",
                    har.toString(), "--port", "0", "--bind", "127.0.0.1", "--ca-dir",
                    scratch.resolve("cli-ca-" + mode).toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // the JVM's defaults, as a user's shell gives them: no options from the benchmark's environment
            pb.environment().keySet().removeIf(k -> k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS")
                    || k.equals("_JAVA_OPTIONS") || k.startsWith("HARP_"));
            Process p = Children.start(pb);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                Matcher m = LISTENING.matcher(out);
                if (m.find()) {
                    return new Cli(mode, p, Integer.parseInt(m.group(2)), log);
                }
                if (!p.isAlive()) {
                    throw new IOException("the " + mode + " CLI exited with " + p.exitValue() + " before listening: " + out);
                }
                Thread.sleep(50);
            }
            Children.end(p);
            throw new IOException("the " + mode + " CLI printed no 'listening on' line within 60 s: " + Files.readString(log));
        }

        /** VmHWM of the java process, KiB; 0 when unknown. */
        long peakRssKib() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone, or not Linux
            }
            return 0;
        }

        /** Committed heap now, used heap after {@code jcmd PID GC.run}, and VmHWM; NaN where jcmd fails. */
        HeapPoint heapPoint(Path java, String when) {
            long rss = peakRssKib();
            try {
                double committed = heapInfo(jcmd(java, "GC.heap_info"), 1);
                jcmd(java, "GC.run");
                return new HeapPoint(when, heapInfo(jcmd(java, "GC.heap_info"), 2), committed, rss);
            } catch (IOException e) {
                return new HeapPoint(when, Double.NaN, Double.NaN, rss);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new HeapPoint(when, Double.NaN, Double.NaN, rss);
            }
        }

        /** From {@code GC.heap_info}: group 1 the committed ("total"), group 2 the used heap, in bytes. */
        private static double heapInfo(String info, int group) {
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            long sum = 0;
            boolean any = false;
            while (m.find()) { // one line for G1, one per generation for Serial and Parallel
                sum += Long.parseLong(m.group(group));
                any = true;
            }
            return any ? sum * 1024.0 : Double.NaN;
        }

        /** The collector and maximum heap the JVM chose by itself, from {@code jcmd VM.flags}. */
        String jvmDefaults(Path java) {
            try {
                String flags = jcmd(java, "VM.flags");
                Matcher max = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
                Matcher gc = Pattern.compile("-XX:\\+Use(\\w+)GC\\b").matcher(flags);
                return (gc.find() ? gc.group(1) + " GC" : "default GC") + ", max heap "
                        + (max.find() ? String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(max.group(1)) / 1024.0 / MIB)
                        : "unknown");
            } catch (IOException e) {
                return "(jcmd unavailable: " + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "(interrupted)";
            }
        }

        private String jcmd(Path java, String command) throws IOException, InterruptedException {
            Path jcmd = java.resolveSibling("jcmd");
            if (!Files.isExecutable(jcmd)) {
                throw new IOException("no jcmd beside " + java);
            }
            Process p = Children.start(new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
                    .redirectErrorStream(true));
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("jcmd " + command + " failed: " + out);
                }
                return out;
            } finally {
                Children.end(p);
            }
        }

        /**
         * SIGTERM, then waits for the exit (Harp writes what it still holds first); {@code whileWaiting} runs every
         * 20 ms meanwhile. Returns the seconds from the signal to the exit.
         */
        double stop(Runnable whileWaiting) throws IOException, InterruptedException {
            long t0 = System.nanoTime();
            process.destroy(); // SIGTERM
            long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
            while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
                whileWaiting.run();
                if (System.nanoTime() > deadline) {
                    Children.end(process);
                    throw new IOException("the " + mode + " CLI did not exit within 5 min of SIGTERM; log " + log);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Children.end(process); // already gone: only forgets it
            return seconds;
        }

        double stop() throws IOException, InterruptedException {
            return stop(() -> {
            });
        }
    }
}
