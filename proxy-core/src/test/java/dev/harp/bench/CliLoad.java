package dev.harp.bench;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.bench.Report.Row;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cli-load part (issue 17): Harp's CLI as its own process, started both ways a user starts it ({@link CliLaunch}),
 * serving the benchmark's replay and passthrough loads (wrk at 16 connections, 1 KiB then 64 KiB bodies: replay of the
 * benchmark's small HAR, passthrough to its origin). Per row: req/s, p50 and p99 (medians of rounds), the ratio to the
 * same load on a Harp in the benchmark's JVM measured in the same rounds, and the process's peak RSS ({@code VmHWM}
 * of it and its descendants) read right after the row's load, against the target of 200 MiB. Then the warm-up rows
 * ({@link CliWarmup}): the first 1,000 requests of a fresh process against its warm rate.
 */
final class CliLoad {
    static final String PART = "cli-load";
    static final int CONNECTIONS = 16;
    /** Issue 17: peak RSS under the replay and passthrough load rows, as a user runs the CLI. */
    private static final long TARGET_RSS_MIB = 200;

    /** One timed load of a body through the proxy on a port, the benchmark's way for that mode (wrk, or the JDK driver). */
    @FunctionalInterface
    interface Load {
        LoadResult run(Mode mode, Bodies body, int proxyPort, Duration duration) throws Exception;
    }

    /**
     * How long it runs.
     *
     * @param warmup       an untimed load per process (and the in-JVM Harp) and body before its rounds
     * @param rounds       timed rounds per process and body, interleaved
     * @param round        one round (whole seconds: wrk's unit)
     * @param freshStarts  fresh processes per way of starting for the warm-up rows
     * @param warmWarmup   load before the warm rate is measured, in the same process
     * @param warmMeasure  the warm rate's window
     */
    record Plan(Duration warmup, int rounds, Duration round, int freshStarts, Duration warmWarmup, Duration warmMeasure) {
        static Plan of(boolean quick) {
            return quick ? new Plan(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1, Duration.ofSeconds(1),
                    Duration.ofSeconds(1))
                    : new Plan(Duration.ofSeconds(3), 3, Duration.ofSeconds(3), 3, Duration.ofSeconds(8),
                    Duration.ofSeconds(3));
        }
    }

    /** What serves one column of rounds: a CLI process, or the Harp in the benchmark's JVM ({@code cli} null). */
    private record Target(String name, int port, HarpCliProcess cli) {
    }

    private CliLoad() {
    }

    /**
     * Runs the part: adds its rows and notes.
     *
     * @param replayHar    the benchmark's small HAR, recorded from the origin (one entry per body)
     * @param originPort   the origin's plain-HTTP port
     * @param harp         starts a Harp in the benchmark's JVM (its settings)
     * @param upstreamPids the origin's processes, for the others'-CPU column
     */
    static void rows(boolean quick, Path scratch, Path replayHar, int originPort, Load load,
                     WebSocketLoad.HarpFactory harp, Supplier<List<Long>> upstreamPids, JdkDriver jdk, List<Row> rows,
                     List<String> notes, CliRecording.Progress progress) throws Exception {
        Plan plan = Plan.of(quick);
        Path java = CliStartup.java();
        HarpCliProcess.jar(); // fails clearly without the jar
        List<CliLaunch> launches = CliLaunch.available();
        List<HarpCliProcess> running = new ArrayList<>();
        CpuMeter cpu = new CpuMeter(() -> {
            List<Long> pids = new ArrayList<>(upstreamPids.get());
            for (HarpCliProcess c : running) {
                if (c.process().isAlive()) {
                    pids.addAll(CpuMeter.treeOf(c.process().toHandle()));
                }
            }
            return pids;
        });
        Path caDir = scratch.resolve("cli-load-ca");
        String client = "";
        for (Mode mode : List.of(Mode.REPLAY, Mode.PASSTHROUGH)) {
            String name = mode == Mode.REPLAY ? "replay" : "passthrough";
            Path har = mode == Mode.REPLAY ? replayHar : scratch.resolve("cli-load-unused.har");
            HarpServer inJvm = harp.start(mode, har);
            Map<CliLaunch, HarpCliProcess> clis = new LinkedHashMap<>();
            try {
                for (CliLaunch launch : launches) {
                    HarpCliProcess cli = HarpCliProcess.start(java, launch, name, har, caDir,
                            scratch.resolve("cli-load-" + name + "-" + launch.name() + ".log"));
                    running.add(cli);
                    clis.put(launch, cli);
                }
                List<Target> targets = new ArrayList<>();
                targets.add(new Target("in JVM", inJvm.port(), null));
                clis.forEach((launch, cli) -> targets.add(new Target(launch.label, cli.port(), cli)));
                for (Bodies body : Bodies.values()) {
                    Map<Target, List<LoadResult>> results = new LinkedHashMap<>();
                    Map<Target, CpuMeter.Sum> cpuSums = new LinkedHashMap<>();
                    for (Target t : targets) {
                        load.run(mode, body, t.port(), plan.warmup());
                        results.put(t, new ArrayList<>());
                        cpuSums.put(t, new CpuMeter.Sum());
                    }
                    for (int round = 0; round < plan.rounds(); round++) {
                        for (int i = 0; i < targets.size(); i++) {
                            Target t = targets.get((i + round) % targets.size()); // who goes first rotates
                            CpuMeter.Snapshot before = cpu.snapshot();
                            results.get(t).add(load.run(mode, body, t.port(), plan.round()));
                            cpuSums.get(t).add(before, cpu.snapshot());
                        }
                    }
                    LoadResult jvm = LoadResult.median(results.get(targets.get(0)));
                    client = jvm.client();
                    StringBuilder line = new StringBuilder("in JVM " + Report.rps(jvm.requestsPerSecond()));
                    for (CliLaunch launch : CliLaunch.values()) {
                        String label = "Harp CLI " + name + " as its own process, under load (" + launch.label
                                + "); peak RSS (VmHWM) right after it";
                        HarpCliProcess cli = clis.get(launch);
                        if (cli == null) {
                            rows.add(new Row(label, body.label, String.valueOf(CONNECTIONS), launch.label,
                                    CliLaunch.NOT_BUILT, "", "", "", "", "< " + TARGET_RSS_MIB + " MiB peak RSS", "–"));
                            continue;
                        }
                        Target t = targets.stream().filter(x -> x.cli() == cli).findFirst().orElseThrow();
                        LoadResult r = LoadResult.median(results.get(t));
                        long rssMib = cli.peakRssKib() / 1024;
                        rows.add(new Row(label, body.label, String.valueOf(CONNECTIONS), launch.label + ", " + r.client(),
                                Report.rps(r.requestsPerSecond()) + errors(r) + "; peak RSS "
                                        + String.format(Locale.ROOT, "%,d MiB", rssMib),
                                Report.millis(r.p50Millis()), Report.millis(r.p99Millis()),
                                Report.ratio(r.requestsPerSecond() / jvm.requestsPerSecond()) + " in JVM",
                                Report.percent(cpuSums.get(t).othersShare()), "< " + TARGET_RSS_MIB + " MiB peak RSS",
                                Report.met(rssMib > 0 && rssMib < TARGET_RSS_MIB)));
                        line.append(String.format(Locale.ROOT, ", %s %s (%.2f×) peak RSS %,d MiB", launch.label,
                                Report.rps(r.requestsPerSecond()), r.requestsPerSecond() / jvm.requestsPerSecond(), rssMib));
                    }
                    rows.add(new Row("Harp " + name + " in the benchmark's JVM, the same rounds (for the ratio)",
                            body.label, String.valueOf(CONNECTIONS), jvm.client(),
                            Report.rps(jvm.requestsPerSecond()) + errors(jvm), Report.millis(jvm.p50Millis()),
                            Report.millis(jvm.p99Millis()), "1.00×",
                            Report.percent(cpuSums.get(targets.get(0)).othersShare()), "", ""));
                    progress.say("cli-load %s %s c%d: %s", name, body.label, CONNECTIONS, line);
                }
                for (HarpCliProcess cli : clis.values()) {
                    cli.stop();
                }
            } finally {
                for (HarpCliProcess cli : clis.values()) {
                    Children.end(cli.process());
                }
                running.removeAll(clis.values());
                inJvm.close();
            }
        }
        notes.add(String.format(Locale.ROOT, "cli-load rows: per mode, one CLI process per way of starting it (%s),"
                        + " ARGS `--mode replay|passthrough --har F --port 0 --bind 127.0.0.1 --ca-dir D`, and a Harp"
                        + " in the benchmark's JVM (`HarpServer.builder()...start()`), serve the benchmark's load (%s at"
                        + " %d connections, absolute-form request lines; replay of the benchmark's small HAR, one entry"
                        + " per body recorded from the origin; passthrough to the origin), 1 KiB then 64 KiB bodies: a"
                        + " %d s warm-up each, then %d rounds of %d s in which they take turns in rotating order;"
                        + " req/s, p50 and p99 are medians of the rounds, \"vs direct\" is over the in-JVM Harp's."
                        + " Peak RSS is VmHWM from /proc/PID/status of the started process plus its descendants, read"
                        + " right after the row's rounds, so the 64 KiB row's covers the process's whole life: start,"
                        + " both bodies' warm-ups and rounds; the CLI runs with the JVM options its way of starting"
                        + " gives it (none for `java -jar`)%s",
                String.join(" and ", launches.stream().map(CliLaunch::shown).toList()), client, CONNECTIONS,
                plan.warmup().toSeconds(), plan.rounds(), plan.round().toSeconds(),
                launches.contains(CliLaunch.LAUNCHER) ? ""
                        : "; the launcher (" + CliLaunch.LAUNCHER_PATH + ") was not built, so its rows say so"));
        CliWarmup.rows(plan, java, replayHar, caDir, originPort, jdk, harp, rows, notes, progress);
    }

    private static String errors(LoadResult r) {
        return r.errors() > 0 ? " (" + r.errors() + " errors)" : "";
    }
}
