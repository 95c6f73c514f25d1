package dev.harp.bench;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.bench.JdkDriver.Endpoint;
import dev.harp.bench.JdkDriver.Route;
import dev.harp.bench.Report.Row;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The warm-up rows of the cli-load part (issue 17: "the first 1,000 replayed requests after start are served at no
 * less than half the warm rate"). A fresh CLI process in replay mode, started each way ({@link CliLaunch}); as soon
 * as its {@code listening on} line is read, the JDK driver sends its first {@value #FIRST} requests (16 keep-alive
 * connections, closed loops, 1 KiB replayed hits) and times them; then, in the same process, a warm-up load and
 * a window give its warm rate, with the same driver and concurrency. The JDK driver rather than wrk: wrk cannot stop
 * after a count (it reports its rate over its whole {@code -d}), and its own start would fall in the first window.
 */
final class CliWarmup {
    private static final int CONNECTIONS = CliLoad.CONNECTIONS;
    /** The first 1,000 requests, rounded up to a whole number per connection: 63 × 16. */
    static final long FIRST = 1_008;
    private static final double TARGET = 0.5;
    private static final long MAX_REQUESTS = 20_000_000;

    /** One fresh process: exec → listening, the first requests' rate and time, its warm rate, errors in both. */
    private record Sample(double listeningMillis, double firstRate, double firstMillis, double warmRate, long errors) {
        double ratio() {
            return firstRate / warmRate;
        }
    }

    private CliWarmup() {
    }

    static void rows(CliLoad.Plan plan, Path java, Path har, Path caDir, int originPort, JdkDriver jdk,
                     WebSocketLoad.HarpFactory harp, List<Row> rows, List<String> notes, CliRecording.Progress progress)
            throws Exception {
        // the driver's own code warm first, in this JVM, so that a cold client does not count against Harp
        try (HarpServer warm = harp.start(Mode.REPLAY, har)) {
            jdk.run(endpoint(warm.port(), originPort), CONNECTIONS, Duration.ZERO, plan.warmWarmup(), MAX_REQUESTS);
        }
        List<CliLaunch> launches = CliLaunch.available();
        Map<CliLaunch, List<Sample>> samples = new EnumMap<>(CliLaunch.class);
        launches.forEach(l -> samples.put(l, new ArrayList<>()));
        for (int i = 0; i < plan.freshStarts(); i++) {
            for (int j = 0; j < launches.size(); j++) {
                CliLaunch launch = launches.get((i + j) % launches.size());
                Sample s = once(launch, plan, java, har, caDir, originPort, jdk);
                samples.get(launch).add(s);
                progress.say("cli-load warm-up, %s start %d: listening %s, first %,d at %s (%s), warm %s: %.2f×%s",
                        launch.label, i + 1, Report.millis(s.listeningMillis()), FIRST, Report.rps(s.firstRate()),
                        Report.millis(s.firstMillis()), Report.rps(s.warmRate()), s.ratio(),
                        s.errors() > 0 ? ", errors " + s.errors() : "");
            }
        }
        for (CliLaunch launch : CliLaunch.values()) {
            String label = String.format(Locale.ROOT, "Harp CLI replay, fresh process (%s): its first %,d requests"
                    + " right after `listening on` against its warm rate (same process)", launch.label, FIRST);
            List<Sample> ss = samples.get(launch);
            if (ss == null) {
                rows.add(new Row(label, Bodies.K1.label, String.valueOf(CONNECTIONS), launch.label,
                        CliLaunch.NOT_BUILT, "", "", "", "", "≥ 0.5× warm rate", "–"));
                continue;
            }
            double ratio = median(ss, Sample::ratio);
            long errors = ss.stream().mapToLong(Sample::errors).sum();
            rows.add(new Row(label, Bodies.K1.label, String.valueOf(CONNECTIONS), launch.label + ", JDK driver",
                    String.format(Locale.ROOT, "first %s (%s) → warm %s%s, median of %d", Report.rps(median(ss,
                                    Sample::firstRate)), Report.millis(median(ss, Sample::firstMillis)),
                            Report.rps(median(ss, Sample::warmRate)), errors > 0 ? " (" + errors + " errors)" : "",
                            ss.size()), "", "",
                    Report.ratio(ratio) + " warm", "–", "≥ 0.5× warm rate", Report.met(ratio >= TARGET)));
        }
        notes.add(String.format(Locale.ROOT, "cli-load warm-up rows: %d fresh replay processes per way of starting"
                        + " (in rotating order), ARGS `--mode replay --har F --port 0 --bind 127.0.0.1 --ca-dir D` (the"
                        + " benchmark's small HAR, the CA on disk). As soon as `listening on` is read from its stdout"
                        + " pipe, the benchmark's JDK driver (raw sockets, one thread per connection, closed loop, status"
                        + " and length checked; warmed beforehand for %d s on a Harp in this JVM) opens %d keep-alive"
                        + " connections and sends %d requests each, %,d in all (issue 17's 1,000, rounded up), `GET /1k`"
                        + " replayed hits; their rate is the count over the time from the driver's start (connections"
                        + " included) to the last answer, shown with that time. Then in the same process the same driver"
                        + " and concurrency run %d s of warm-up and a %d s window: its warm rate. \"vs direct\" is the"
                        + " median over the starts of first rate / warm rate, the target ≥ 0.5×. The JDK driver and not"
                        + " wrk: wrk cannot stop after a count (its rate is over its whole `-d`), and its own start would"
                        + " fall inside the first window", plan.freshStarts(), plan.warmWarmup().toSeconds(),
                CONNECTIONS, FIRST / CONNECTIONS, FIRST, plan.warmWarmup().toSeconds(), plan.warmMeasure().toSeconds()));
    }

    private static Sample once(CliLaunch launch, CliLoad.Plan plan, Path java, Path har, Path caDir, int originPort,
                               JdkDriver jdk) throws Exception {
        FreshCli.Launched l = FreshCli.launch(launch.command(java, List.of(), "replay", har, caDir));
        try {
            Endpoint e = endpoint(l.port(), originPort);
            LoadResult first = jdk.run(e, CONNECTIONS, Duration.ZERO, Duration.ofSeconds(60), FIRST);
            LoadResult warm = jdk.run(e, CONNECTIONS, plan.warmWarmup(), plan.warmMeasure(), MAX_REQUESTS);
            FreshCli.stop(l.process(), "replay (" + launch.label + ")");
            return new Sample(l.listeningMillis(), first.requestsPerSecond(),
                    first.requests() / first.requestsPerSecond() * 1000, warm.requestsPerSecond(),
                    first.errors() + warm.errors() + Math.max(0, FIRST - first.requests()));
        } finally {
            Children.end(l.process());
        }
    }

    private static Endpoint endpoint(int proxyPort, int originPort) {
        return new Endpoint(Route.PLAIN_PROXY, proxyPort, originPort, Bodies.K1, false, null);
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return LoadResult.middle(samples.stream().mapToDouble(f).sorted().toArray());
    }
}
