package dev.harp.bench;

import dev.harp.bench.JdkDriver.Endpoint;
import dev.harp.bench.JdkDriver.Route;
import dev.harp.bench.Report.Row;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * Harp's CLI as a user starts it (issue 17): {@code java -jar proxy-core/target/harp.jar --mode M ...} with the JVM's
 * default options, a fresh process each time, the CA already on disk. Per start: the time from exec to the
 * {@code listening on} line on its stdout, and from exec to the whole answer of a first request (a new connection,
 * {@code GET /1k} through the proxy, sent as soon as the port is read: forwarded to the benchmark's origin in
 * passthrough and record mode, a replayed hit in replay mode); then SIGTERM and its exit. Next to it, the same two
 * measures for a plain JVM ({@link StartupReference}: a ServerSocket, a line, a 1 KiB answer), so that the ratio
 * tells Harp's own cost from the JVM's start-up. The modes and the reference take turns, round after round, so a
 * busy moment of the machine does not fall on one of them only. One extra start per mode with
 * {@code -Xlog:class+load} counts the classes loaded before {@code listening on}.
 */
final class CliStartup {
    static final String PART = "cli-start";
    /** Issue 17: {@code listening on} within this, median, in every mode. */
    private static final double TARGET_MILLIS = 400;
    /** Bound on one start reaching its {@code listening on} line, and on its exit after SIGTERM. */
    private static final long WAIT_SECONDS = 60;
    /** Requests recorded by the first start into the HAR that replay serves. */
    private static final List<Bodies> RECORDED = List.of(Bodies.K1, Bodies.K64, Bodies.K1, Bodies.K64);

    /** What is started. */
    enum Kind {
        REFERENCE(null, "JDK reference, `StartupReference` (a ServerSocket on port 0, a line, 1 KiB answers)"),
        REPLAY("replay", "Harp CLI start, replay of a small HAR"),
        PASSTHROUGH("passthrough", "Harp CLI start, passthrough"),
        RECORD("record", "Harp CLI start, record (a new HAR)");

        final String mode;
        final String label;

        Kind(String mode, String label) {
            this.mode = mode;
            this.label = label;
        }
    }

    /** One start: exec → {@code listening on}, exec → the first answer, in ms; classes by prefix (when counted). */
    private record Start(double listeningMillis, double answerMillis, Map<String, Integer> classes) {
    }

    private final Path java;
    private final Path jar;
    private final Path testClasses;
    private final Path caDir;
    private final Path replayHar;
    private final Path recordHar;
    private final Path passthroughHar;
    private final int originPort;

    private CliStartup(Path java, Path jar, Path testClasses, Path scratch, int originPort) {
        this.java = java;
        this.jar = jar;
        this.testClasses = testClasses;
        this.caDir = scratch.resolve("cli-start-ca");
        this.replayHar = scratch.resolve("cli-start-replay.har");
        this.recordHar = scratch.resolve("cli-start-record.har");
        this.passthroughHar = scratch.resolve("cli-start-unused.har");
        this.originPort = originPort;
    }

    /**
     * Runs the part: adds its rows and notes.
     *
     * @param originPort the benchmark origin's plain-HTTP port on 127.0.0.1
     * @param cpu        the benchmark's meter, for the others'-CPU column (the started JVMs are reaped children of
     *                   this one, so their CPU counts as the benchmark's)
     */
    static void rows(boolean quick, Path scratch, int originPort, CpuMeter cpu, List<Row> rows, List<String> notes,
                     CliRecording.Progress progress) throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Path testClasses;
        try {
            testClasses = Path.of(StartupReference.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        CliStartup part = new CliStartup(java, HarpCliProcess.jar(), testClasses, scratch, originPort);
        int n = quick ? 3 : 15;

        // the first start ever creates the CA on disk, and records the HAR that replay serves
        long t0 = System.nanoTime();
        double firstStart = part.firstStart();
        long entries = HarEntryCounter.countEntries(part.replayHar);
        progress.say("cli-start: first start (record, creates the CA) %s to listening; %d entries recorded, %,d bytes,"
                + " in %.1f s", Report.millis(firstStart), entries, Files.size(part.replayHar), (System.nanoTime() - t0) / 1e9);

        // one start per kind with class loading logged: untimed, and so also each one's warm-up (page cache, jar)
        Map<Kind, Map<String, Integer>> classes = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            classes.put(k, part.start(k, List.of("-Xlog:class+load=info:stdout")).classes());
            progress.say("cli-start: %s loaded %,d classes before listening", k.mode == null ? "JDK reference" : k.mode,
                    classes.get(k).get("all"));
        }

        Map<Kind, List<Start>> starts = new EnumMap<>(Kind.class);
        Map<Kind, CpuMeter.Sum> cpuSums = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            starts.put(k, new ArrayList<>());
            cpuSums.put(k, new CpuMeter.Sum());
        }
        Kind[] kinds = Kind.values();
        for (int round = 0; round < n; round++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < kinds.length; i++) {
                Kind k = kinds[(i + round) % kinds.length]; // who goes first rotates
                CpuMeter.Snapshot before = cpu.snapshot();
                Start s = part.start(k, List.of());
                cpuSums.get(k).add(before, cpu.snapshot());
                starts.get(k).add(s);
                line.append(String.format(Locale.ROOT, "%s%s %.0f/%.0f ms", line.length() == 0 ? "" : ", ",
                        k.mode == null ? "jdk" : k.mode, s.listeningMillis(), s.answerMillis()));
            }
            progress.say("cli-start round %d of %d (listening/answered): %s", round + 1, n, line);
        }

        Kind ref = Kind.REFERENCE;
        double refListening = median(starts.get(ref), Start::listeningMillis);
        double refAnswer = median(starts.get(ref), Start::answerMillis);
        for (Kind k : List.of(Kind.REPLAY, Kind.PASSTHROUGH, Kind.RECORD, Kind.REFERENCE)) {
            List<Start> ss = starts.get(k);
            String others = Report.percent(cpuSums.get(k).othersShare());
            double listening = median(ss, Start::listeningMillis);
            double answer = median(ss, Start::answerMillis);
            boolean harp = k != ref;
            String label = k == Kind.REPLAY ? k.label + " (" + entries + " entries)" : k.label;
            rows.add(new Row(label + ": exec → `listening on`", "–", "–", "fresh process",
                    Report.millis(listening) + " median of " + ss.size(), "",
                    "p90 " + Report.millis(p90(ss, Start::listeningMillis)),
                    harp ? vsReference(listening, refListening) : "1.00×", others,
                    harp ? "< 400 ms median" : "", harp ? Report.met(listening < TARGET_MILLIS) : ""));
            String what = switch (k) {
                case REPLAY -> "GET /1k through it, a replayed hit";
                case REFERENCE -> "GET /1k, answered by the class itself";
                default -> "GET /1k through it to the origin";
            };
            rows.add(new Row(label + ": exec → first answered request (" + what + ")",
                    Bodies.K1.label, "1", "JDK driver", Report.millis(answer) + " median of " + ss.size(), "",
                    "p90 " + Report.millis(p90(ss, Start::answerMillis)),
                    harp ? vsReference(answer, refAnswer) : "1.00×", others, "", ""));
        }

        notes.add(String.format(Locale.ROOT, "cli-start rows: each start a fresh process, `%s -jar %s --mode M --har F"
                        + " --port 0 --bind 127.0.0.1 --ca-dir D` with no JVM options (JAVA_TOOL_OPTIONS and the like"
                        + " removed from its environment), the CA already in D; the JDK reference is `%s -cp %s %s`;"
                        + " %d rounds in which the three modes and the reference start once each, in rotating order. The clock starts just before the"
                        + " process is spawned and stops when its `listening on` line arrives on the pipe of its stdout,"
                        + " then when the whole answer to a first `GET /1k` (a new connection, `Connection: close`, sent"
                        + " as soon as the port is read; status 200 and 1,024 bytes checked) has been read; then SIGTERM"
                        + " and its exit (record mode writes its HAR) before the next start. \"vs direct\" is the median"
                        + " over the JDK reference's median, and in brackets what Harp adds to it. Before the rounds: a"
                        + " first start in record mode created the CA (%s to `listening on`, CA generation included)"
                        + " and recorded the replayed HAR through the origin (%d entries: 1 KiB and 64 KiB bodies,"
                        + " %,d bytes), and each mode and the reference started once more, untimed, with class loading"
                        + " logged (below)", java, HarpCliProcess.JAR, java, shown(testClasses),
                StartupReference.class.getName(), n, Report.millis(firstStart), entries,
                Files.size(part.replayHar)));
        StringBuilder counts = new StringBuilder();
        for (Kind k : List.of(Kind.REPLAY, Kind.PASSTHROUGH, Kind.RECORD, Kind.REFERENCE)) {
            Map<String, Integer> c = classes.get(k);
            counts.append(counts.length() == 0 ? "" : "; ").append(k.mode == null ? "JDK reference" : k.mode)
                    .append(String.format(Locale.ROOT, " %,d", c.get("all")));
            if (k != ref) {
                counts.append(String.format(Locale.ROOT, " (Jackson %,d, BouncyCastle %,d, Undertow/XNIO/JBoss %,d,"
                                + " Harp %,d, picocli %,d, JDK %,d)", c.get("jackson"), c.get("bouncycastle"),
                        c.get("undertow"), c.get("harp"), c.get("picocli"), c.get("jdk")));
            }
        }
        notes.add("cli-start, classes loaded before `listening on` (one extra start each, with"
                + " `-Xlog:class+load=info:stdout`, counted in its stdout up to that line; Jackson is"
                + " `com.fasterxml.jackson`, BouncyCastle `org.bouncycastle`, JDK `java.`, `javax.`, `jdk.`, `sun.`,"
                + " `com.sun.`): " + counts);
    }

    /** A path relative to the working directory (the repository root) when it is under it. */
    private static Path shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p) : p;
    }

    private static String vsReference(double harp, double reference) {
        return Report.ratio(harp / reference) + " JDK (+" + Report.millis(harp - reference) + ")";
    }

    private static double median(List<Start> starts, java.util.function.ToDoubleFunction<Start> f) {
        return percentile(starts, f, 0.5);
    }

    private static double p90(List<Start> starts, java.util.function.ToDoubleFunction<Start> f) {
        return percentile(starts, f, 0.9);
    }

    /** Nearest rank: with 15 starts the median is the 8th and p90 the 14th. */
    private static double percentile(List<Start> starts, java.util.function.ToDoubleFunction<Start> f, double q) {
        double[] v = starts.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v[Math.max(0, Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1))];
    }

    /** Record mode into the replay HAR, with a fresh CA folder: creates the CA and records {@link #RECORDED}. */
    private double firstStart() throws Exception {
        Files.deleteIfExists(replayHar);
        ProcessBuilder pb = HarpCliProcess.command(java, jar, List.of(), "record", replayHar, caDir);
        Launched l = launch(pb);
        try {
            double listening = (l.listeningNanos - l.execNanos) / 1e6;
            for (Bodies b : RECORDED) {
                JdkDriver.probe(new Endpoint(Route.PLAIN_PROXY, l.port, originPort, b, true, null));
            }
            stop(l.process, "record (first start)");
            if (!Files.isRegularFile(replayHar)) {
                throw new IOException("the first record start wrote no HAR at " + replayHar);
            }
            return listening;
        } finally {
            Children.end(l.process);
        }
    }

    /** One start of {@code kind} with {@code jvmOptions}, its first request, SIGTERM and its exit. */
    private Start start(Kind kind, List<String> jvmOptions) throws Exception {
        ProcessBuilder pb;
        if (kind == Kind.REFERENCE) {
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", testClasses.toString(), StartupReference.class.getName()));
            pb = HarpCliProcess.userEnvironment(new ProcessBuilder(command));
        } else {
            Path har = switch (kind) {
                case REPLAY -> replayHar;
                case RECORD -> recordHar;
                default -> passthroughHar;
            };
            if (kind == Kind.RECORD) {
                Files.deleteIfExists(recordHar); // each start records a new HAR, as a user's new fixture
            }
            pb = HarpCliProcess.command(java, jar, jvmOptions, kind.mode, har, caDir);
        }
        Launched l = launch(pb);
        try {
            Endpoint e = kind == Kind.REFERENCE
                    ? new Endpoint(Route.PLAIN_DIRECT, 0, l.port, Bodies.K1, true, null)
                    : new Endpoint(Route.PLAIN_PROXY, l.port, originPort, Bodies.K1, true, null);
            JdkDriver.probe(e); // throws unless 200 and 1,024 bytes
            long answered = System.nanoTime();
            stop(l.process, kind.name());
            return new Start((l.listeningNanos - l.execNanos) / 1e6, (answered - l.execNanos) / 1e6, l.classes);
        } finally {
            Children.end(l.process);
        }
    }

    /** A started process, when it was spawned and when its {@code listening on} line arrived. */
    private record Launched(Process process, long execNanos, long listeningNanos, int port, Map<String, Integer> classes) {
    }

    /** A line of the child's output and when this JVM read it. */
    private record Line(long nanos, String text) {
    }

    /**
     * Spawns the process with its stdout and stderr on one pipe, read by a thread of its own until the end (the child
     * never blocks on a full pipe), and waits, at most {@link #WAIT_SECONDS}, for the {@code listening on} line.
     * Class-load lines ({@code -Xlog:class+load} to stdout) before it are counted: the JVM writes and flushes each as
     * the class loads, so those before the line in the pipe are those loaded before Harp printed it.
     */
    private static Launched launch(ProcessBuilder pb) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        long exec = System.nanoTime();
        Process p = Children.start(pb);
        Thread reader = new Thread(() -> readLines(p.getInputStream(), lines), "cli-start-output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (String key : List.of("all", "jackson", "bouncycastle", "undertow", "harp", "picocli", "jdk")) {
            classes.put(key, 0);
        }
        StringBuilder output = new StringBuilder();
        long deadline = exec + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Line line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException("no 'listening on' line within " + WAIT_SECONDS + " s: " + tail(output));
                }
                if (line.text() == null) { // end of its output
                    p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
                    throw new IOException("exited before listening (" + (p.isAlive() ? "still alive" : "exit "
                            + p.exitValue()) + "): " + tail(output));
                }
                int at = line.text().indexOf("[class,load] ");
                if (at >= 0) {
                    count(classes, line.text().substring(at + "[class,load] ".length()));
                    continue;
                }
                output.append(line.text()).append('\n');
                Matcher m = HarpCliProcess.LISTENING.matcher(line.text());
                if (m.find()) {
                    return new Launched(p, exec, line.nanos(), Integer.parseInt(m.group(2)), classes);
                }
            }
        } catch (IOException e) {
            Children.end(p);
            throw new IOException(String.join(" ", pb.command()) + ": " + e.getMessage(), e);
        } catch (InterruptedException | RuntimeException e) {
            Children.end(p);
            throw e;
        }
    }

    private static void readLines(InputStream in, BlockingQueue<Line> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                lines.add(new Line(System.nanoTime(), s));
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            lines.add(new Line(System.nanoTime(), null));
        }
    }

    private static void count(Map<String, Integer> classes, String rest) {
        String name = rest.split(" ", 2)[0];
        classes.merge("all", 1, Integer::sum);
        String group = name.startsWith("com.fasterxml.jackson.") ? "jackson"
                : name.startsWith("org.bouncycastle.") ? "bouncycastle"
                : name.startsWith("io.undertow.") || name.startsWith("org.xnio.") || name.startsWith("org.jboss.") ? "undertow"
                : name.startsWith("dev.harp.") ? "harp"
                : name.startsWith("picocli.") ? "picocli"
                : Arrays.asList("java.", "javax.", "jdk.", "sun.", "com.sun.").stream().anyMatch(name::startsWith) ? "jdk"
                : null;
        if (group != null) {
            classes.merge(group, 1, Integer::sum);
        }
    }

    private static String tail(StringBuilder output) {
        return output.length() <= 2000 ? output.toString() : "..." + output.substring(output.length() - 2000);
    }

    /** SIGTERM, and its exit within {@link #WAIT_SECONDS}. */
    private static void stop(Process p, String what) throws IOException, InterruptedException {
        p.destroy();
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            Children.end(p);
            throw new IOException(what + " did not exit within " + WAIT_SECONDS + " s of SIGTERM");
        }
    }
}
