package dev.harp.bench;

import dev.harp.bench.Report.Row;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The JUnit extension's cold cost (issue 17): fresh test JVMs, {@code java -cp <junit-extension's test classpath>}
 * with the JVM's default options as Surefire forks them, each running the JUnit Platform on test classes of
 * {@code dev.harp.junit.coldstart.ColdClasses} (one {@code GET /1k} each, a JDK {@code HttpClient} built in the test):
 * one {@code @Harp} class replaying its recorded request through the wired JVM, the same class without Harp sending it
 * straight to the benchmark's origin, and {@value #MANY} of each in one JVM. Wall time from exec to exit per JVM; the
 * first class's overhead is the difference of the single-class JVMs, each further class's is what the
 * {@value #MANY}-class JVMs add over that, divided by {@value #MANY} − 1. The JVMs also print each class's own time
 * (its container's start to finish), a steadier view of the further classes. The kinds take turns, round after round.
 */
final class JunitColdStart {
    static final String PART = "junit-start";
    /** System property with junit-extension's test classpath ({@code benchmark/run} computes it). */
    static final String CLASSPATH_PROPERTY = "bench.junitClasspath";
    private static final String MAIN = "dev.harp.junit.coldstart.ColdStartMain";
    private static final String CLASSES = "dev.harp.junit.coldstart.ColdClasses$";
    /** The system property the test classes read the origin's URL from. */
    private static final String ORIGIN_PROPERTY = "harp.bench.origin";
    static final int MANY = 11;
    private static final double FIRST_TARGET = 300;
    private static final double FURTHER_TARGET = 20;
    private static final long WAIT_SECONDS = 120;

    /** What one JVM runs. */
    enum Kind {
        HARP_ONE("Harp", 1, "1 `@Harp` class (replay of 1 recorded request, JVM wired)"),
        PLAIN_ONE("Plain", 1, "1 class without Harp (the same request straight to the origin)"),
        HARP_MANY("Harp", MANY, MANY + " `@Harp` classes in one JVM (replay, 1 request each)"),
        PLAIN_MANY("Plain", MANY, MANY + " classes without Harp in one JVM");

        final String prefix;
        final int classes;
        final String label;

        Kind(String prefix, int classes, String label) {
            this.prefix = prefix;
            this.classes = classes;
            this.label = label;
        }

        List<String> classNames() {
            return IntStream.rangeClosed(1, classes).mapToObj(i -> CLASSES + prefix + i).toList();
        }
    }

    /**
     * One JVM: exec → the end of its run (its summary line read from its stdout), exec → exit, its CPU time (user +
     * system), and each class's own time in the order they ran, in ms.
     */
    private record Run(double endMillis, double wallMillis, double cpuMillis, List<Double> classMillis) {
    }

    private final Path java;
    private final String classpath;
    private final Path dir;
    private final String origin;

    private JunitColdStart(Path java, String classpath, Path dir, String origin) {
        this.java = java;
        this.classpath = classpath;
        this.dir = dir;
        this.origin = origin;
    }

    /**
     * Runs the part: adds its rows and notes.
     *
     * @param originPort the benchmark origin's plain-HTTP port on 127.0.0.1
     */
    static void rows(boolean quick, Path scratch, int originPort, CpuMeter cpu, List<Row> rows, List<String> notes,
                     CliRecording.Progress progress) throws Exception {
        String classpath = System.getProperty(CLASSPATH_PROPERTY);
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException("the " + PART + " part needs -D" + CLASSPATH_PROPERTY
                    + "=<junit-extension's test classpath>; run it with benchmark/run");
        }
        Path java = Path.of(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        JunitColdStart part = new JunitColdStart(java, classpath, Files.createDirectories(scratch.resolve(PART)),
                "http://127.0.0.1:" + originPort + Bodies.K1.path);
        int n = quick ? 3 : 9;

        // record the Harp classes' fixtures through the origin, once; then one untimed JVM per kind (page cache)
        Run recording = part.run(Kind.HARP_MANY, List.of("-Dharp.mode=record"));
        long fixtures;
        try (Stream<Path> files = Files.walk(part.dir)) {
            fixtures = files.filter(p -> p.getFileName().toString().equals("fetch.har")).count();
        }
        if (fixtures != MANY) {
            throw new IOException("recording the " + PART + " fixtures left " + fixtures + " of " + MANY + " files");
        }
        progress.say("junit-start: recorded %d fixtures in %s", fixtures, Report.millis(recording.wallMillis()));
        for (Kind k : Kind.values()) {
            part.run(k, List.of());
        }

        Map<Kind, List<Run>> runs = new EnumMap<>(Kind.class);
        Map<Kind, CpuMeter.Sum> cpuSums = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            runs.put(k, new ArrayList<>());
            cpuSums.put(k, new CpuMeter.Sum());
        }
        Kind[] kinds = Kind.values();
        for (int round = 0; round < n; round++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < kinds.length; i++) {
                Kind k = kinds[(i + round) % kinds.length];
                CpuMeter.Snapshot before = cpu.snapshot();
                Run r = part.run(k, List.of());
                cpuSums.get(k).add(before, cpu.snapshot());
                runs.get(k).add(r);
                line.append(String.format(Locale.ROOT, "%s%s %.0f/%.0f ms (CPU %.0f)", line.length() == 0 ? "" : ", ",
                        k.name().toLowerCase(Locale.ROOT), r.endMillis(), r.wallMillis(), r.cpuMillis()));
            }
            progress.say("junit-start round %d of %d (exec → end of run/exit): %s", round + 1, n, line);
        }

        for (Kind k : kinds) {
            List<Run> rs = runs.get(k);
            double end = median(rs.stream().map(Run::endMillis).toList());
            double exit = median(rs.stream().map(Run::wallMillis).toList());
            double cpuTime = median(rs.stream().map(Run::cpuMillis).toList());
            rows.add(new Row("JUnit test JVM, " + k.label + ": exec → end of the run (→ exit)", Bodies.K1.label, "1",
                    "JDK HttpClient", Report.millis(end) + " median of " + rs.size() + " (exit " + Report.millis(exit)
                            + ", CPU " + Report.millis(cpuTime) + ")", "",
                    "p90 " + Report.millis(percentile(rs.stream().map(Run::endMillis).toList(), 0.9)), "",
                    Report.percent(cpuSums.get(k).othersShare()), "", ""));
        }
        // overheads: medians over the rounds of each round's differences (a busy moment hits a round's four JVMs alike)
        double first = median(perRound(runs, Run::endMillis, false));
        double further = median(perRound(runs, Run::endMillis, true));
        double firstExit = median(perRound(runs, Run::wallMillis, false));
        double furtherExit = median(perRound(runs, Run::wallMillis, true));
        double firstCpu = median(perRound(runs, Run::cpuMillis, false));
        double furtherCpu = median(perRound(runs, Run::cpuMillis, true));
        // in the JVMs' own clocks: each further class (2nd to last) of the many-class JVMs, Harp's over the plain one's
        double furtherInJvm = median(furtherClasses(runs.get(Kind.HARP_MANY)))
                - median(furtherClasses(runs.get(Kind.PLAIN_MANY)));
        double firstInJvm = median(runs.get(Kind.HARP_ONE).stream().map(r -> r.classMillis().get(0)).toList())
                - median(runs.get(Kind.PLAIN_ONE).stream().map(r -> r.classMillis().get(0)).toList());
        rows.add(new Row("JUnit: what the first `@Harp` class adds to a fresh test JVM (exec → end of the run, Harp −"
                + " plain; to exit: " + Report.millis(firstExit) + "; the class's own time: " + Report.millis(firstInJvm)
                + ")", Bodies.K1.label, "1", "JDK HttpClient",
                Report.millis(first) + " (CPU " + Report.millis(firstCpu) + ")", "", "", "", "", "< 300 ms",
                Report.met(first < FIRST_TARGET)));
        rows.add(new Row("JUnit: what each further `@Harp` class adds (exec → end of the run of " + MANY + " classes over"
                + " 1, per class; to exit: " + Report.millis(furtherExit) + "; in the JVM's clock, each further class"
                + " Harp − plain: " + Report.millis(furtherInJvm) + ")",
                Bodies.K1.label, "1", "JDK HttpClient",
                Report.millis(further) + " (CPU " + Report.millis(furtherCpu) + ")", "", "", "", "", "< 20 ms",
                Report.met(further < FURTHER_TARGET)));
        notes.add(String.format(Locale.ROOT, "junit-start rows: each JVM a fresh `%s -cp <junit-extension's test"
                        + " classpath> %s CLASSES...` with no JVM options but `-D%s=%s` (JAVA_TOOL_OPTIONS and the like"
                        + " removed), in a scratch folder that holds the fixtures; it runs the classes on the JUnit"
                        + " Platform's launcher, as Surefire's fork does, each class one test sending `GET /1k` with a"
                        + " new JDK HttpClient (status 200 and 1,024 bytes asserted); the `@Harp` classes replay it"
                        + " (fixtures recorded once before, with `-Dharp.mode=record`), the others reach the origin"
                        + " directly. %d rounds, the four kinds in rotating order, after one untimed JVM each. Exec →"
                        + " end of the run: from just before the process is spawned until its summary line (printed"
                        + " when the JUnit launcher returns, every class and Harp's idle proxies closed) arrives on its"
                        + " stdout pipe; exec → exit: until it has exited. The targets are judged on the end of the"
                        + " run: a JVM whose JDK HttpClient is still open waits 0 or about 325 ms to exit (HotSpot waits"
                        + " up to 300 ms for threads blocked in native code, here the client's selector thread; it"
                        + " happens in most plain JVMs and some Harp ones, whose proxy closing the client's connection"
                        + " wakes that thread), which says nothing of Harp; the overheads are"
                        + " medians of each round's differences; CPU: the JVM's user + system time (this JVM's reaped"
                        + " children's, before and after), which a busy machine does not inflate. Further class: ((%d"
                        + " Harp − %d plain) − (1 Harp − 1 plain)) / %d; in the JVM's clock: the median of the 2nd to"
                        + " last classes' own times, Harp's minus the plain ones'", java, MAIN, ORIGIN_PROPERTY,
                part.origin, n, MANY, MANY, MANY - 1));
    }

    /**
     * Per round: the first class's overhead, 1 Harp − 1 plain, or each further class's,
     * ((many Harp − many plain) − (1 Harp − 1 plain)) / (many − 1).
     */
    private static List<Double> perRound(Map<Kind, List<Run>> runs, java.util.function.ToDoubleFunction<Run> f,
                                         boolean further) {
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < runs.get(Kind.HARP_ONE).size(); r++) {
            double first = f.applyAsDouble(runs.get(Kind.HARP_ONE).get(r))
                    - f.applyAsDouble(runs.get(Kind.PLAIN_ONE).get(r));
            double many = f.applyAsDouble(runs.get(Kind.HARP_MANY).get(r))
                    - f.applyAsDouble(runs.get(Kind.PLAIN_MANY).get(r));
            out.add(further ? (many - first) / (MANY - 1) : first);
        }
        return out;
    }

    private static List<Double> furtherClasses(List<Run> runs) {
        return runs.stream().flatMap(r -> r.classMillis().subList(1, r.classMillis().size()).stream()).toList();
    }

    /** One JVM running the kind's classes; fails unless it exits 0 with every class reported. */
    private Run run(Kind kind, List<String> extraOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classpath,
                "-D" + ORIGIN_PROPERTY + "=" + origin));
        command.addAll(extraOptions);
        command.add(MAIN);
        command.addAll(kind.classNames());
        ProcessBuilder pb = HarpCliProcess.userEnvironment(new ProcessBuilder(command)).directory(dir.toFile())
                .redirectError(dir.resolve("jvm.err").toFile());
        long cpu0 = reapedChildrenTicks();
        long t0 = System.nanoTime();
        Process p = Children.start(pb);
        StringBuilder out = new StringBuilder();
        long[] summaryAt = {0};
        Thread reader = new Thread(() -> readOutput(p, out, summaryAt), "junit-start-output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the " + PART + " JVM (" + kind + ") did not exit within " + WAIT_SECONDS + " s");
            }
            double wall = (System.nanoTime() - t0) / 1e6;
            double cpuMillis = (reapedChildrenTicks() - cpu0) * 10.0; // jiffies of 10 ms (USER_HZ 100)
            reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            String stdout;
            long summary;
            synchronized (out) {
                stdout = out.toString();
                summary = summaryAt[0];
            }
            List<Double> classes = stdout.lines().filter(l -> l.startsWith("class "))
                    .map(l -> Long.parseLong(l.split(" ")[2]) / 1000.0).toList();
            if (p.exitValue() != 0 || classes.size() != kind.classes || summary == 0) {
                String err = Files.readString(dir.resolve("jvm.err"), StandardCharsets.UTF_8);
                throw new IOException("the " + PART + " JVM (" + kind + ") exited with " + p.exitValue() + ": " + stdout
                        + err.substring(Math.max(0, err.length() - 4000)));
            }
            return new Run((summary - t0) / 1e6, wall, cpuMillis, classes);
        } finally {
            Children.end(p);
        }
    }

    /** Reads the JVM's stdout to its end, noting when its summary line ({@code tests passed ...}) arrived. */
    private static void readOutput(Process p, StringBuilder out, long[] summaryAt) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                long now = System.nanoTime();
                synchronized (out) {
                    if (line.startsWith("tests passed") && summaryAt[0] == 0) {
                        summaryAt[0] = now;
                    }
                    out.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /**
     * cutime + cstime of this JVM from {@code /proc/self/stat}: the CPU of its reaped children, so the difference
     * around one test JVM (waited for, so reaped, and the only child reaped meanwhile) is that JVM's CPU time.
     */
    private static long reapedChildrenTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        return Long.parseLong(f[13]) + Long.parseLong(f[14]); // fields 16 and 17
    }

    private static double median(List<Double> v) {
        return percentile(v, 0.5);
    }

    /** Nearest rank. */
    private static double percentile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[Math.max(0, Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1))];
    }
}
