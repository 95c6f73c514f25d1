package dev.harp.bench;

import dev.harp.bench.JdkDriver.Endpoint;
import dev.harp.bench.JdkDriver.Route;
import dev.harp.bench.Report.Row;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Harp's CLI as a user starts it (issue 17), both ways ({@link CliLaunch}): the launcher
 * {@code proxy-core/target/harp --mode M ...} and {@code java -jar proxy-core/target/harp.jar --mode M ...} with the
 * JVM's default options, a fresh process each time, the CA already on disk. Per start: the time from exec to the
 * {@code listening on} line on its stdout, and from exec to the whole answer of a first request (a new connection,
 * {@code GET /1k} through the proxy, sent as soon as the port is read: forwarded to the benchmark's origin in
 * passthrough and record mode, a replayed hit in replay mode); then SIGTERM and its exit. Next to it, the same two
 * measures for a plain JVM ({@link StartupReference}: a ServerSocket, a line, a 1 KiB answer), so that the ratio
 * tells Harp's own cost from the JVM's start-up. Every mode, both ways, and the reference take turns, round after
 * round, so a busy moment of the machine does not fall on one of them only. One extra start of each with
 * {@code -Xlog:class+load} counts the classes loaded before {@code listening on}.
 */
final class CliStartup {
    static final String PART = "cli-start";
    /** Issue 17: {@code listening on} within this, median, in every mode. */
    private static final double TARGET_MILLIS = 400;
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

    /** A kind started one way; the reference has no launch. */
    private record Subject(Kind kind, CliLaunch launch) {
        String name() {
            return kind.mode == null ? "jdk" : kind.mode + (launch == CliLaunch.LAUNCHER ? " (launcher)" : " (java -jar)");
        }
    }

    /** One start: exec → {@code listening on}, exec → the first answer, in ms; classes by prefix (when counted). */
    private record Start(double listeningMillis, double answerMillis, Map<String, Integer> classes) {
    }

    private final Path java;
    private final Path testClasses;
    private final Path caDir;
    private final Path replayHar;
    private final Path recordHar;
    private final Path passthroughHar;
    private final int originPort;

    private CliStartup(Path java, Path testClasses, Path scratch, int originPort) {
        this.java = java;
        this.testClasses = testClasses;
        this.caDir = scratch.resolve("cli-start-ca");
        this.replayHar = scratch.resolve("cli-start-replay.har");
        this.recordHar = scratch.resolve("cli-start-record.har");
        this.passthroughHar = scratch.resolve("cli-start-unused.har");
        this.originPort = originPort;
    }

    /** The JVM that runs the benchmark: the CLI processes run the same one. */
    static Path java() {
        return Path.of(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
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
        Path java = java();
        Path testClasses;
        try {
            testClasses = Path.of(StartupReference.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        HarpCliProcess.jar(); // fails clearly without the jar
        CliStartup part = new CliStartup(java, testClasses, scratch, originPort);
        int n = quick ? 3 : 15;
        List<CliLaunch> launches = CliLaunch.available();
        List<Subject> subjects = new ArrayList<>(List.of(new Subject(Kind.REFERENCE, null)));
        for (Kind k : List.of(Kind.REPLAY, Kind.PASSTHROUGH, Kind.RECORD)) {
            for (CliLaunch launch : launches) {
                subjects.add(new Subject(k, launch));
            }
        }

        // the first start ever creates the CA on disk, and records the HAR that replay serves
        long t0 = System.nanoTime();
        double firstStart = part.firstStart();
        long entries = HarEntryCounter.countEntries(part.replayHar);
        progress.say("cli-start: first start (record, java -jar, creates the CA) %s to listening; %d entries recorded,"
                + " %,d bytes, in %.1f s", Report.millis(firstStart), entries, Files.size(part.replayHar),
                (System.nanoTime() - t0) / 1e9);

        // one start of each with class loading logged: untimed, and so also each one's warm-up (page cache, jar)
        Map<Subject, Map<String, Integer>> classes = new LinkedHashMap<>();
        for (Subject s : subjects) {
            classes.put(s, part.start(s, List.of("-Xlog:class+load=info:stdout")).classes());
            progress.say("cli-start: %s loaded %,d classes before listening", s.name(), classes.get(s).get("all"));
        }

        Map<Subject, List<Start>> starts = new LinkedHashMap<>();
        Map<Subject, CpuMeter.Sum> cpuSums = new LinkedHashMap<>();
        for (Subject s : subjects) {
            starts.put(s, new ArrayList<>());
            cpuSums.put(s, new CpuMeter.Sum());
        }
        for (int round = 0; round < n; round++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < subjects.size(); i++) {
                Subject s = subjects.get((i + round) % subjects.size()); // who goes first rotates
                CpuMeter.Snapshot before = cpu.snapshot();
                Start st = part.start(s, List.of());
                cpuSums.get(s).add(before, cpu.snapshot());
                starts.get(s).add(st);
                line.append(String.format(Locale.ROOT, "%s%s %.0f/%.0f ms", line.length() == 0 ? "" : ", ",
                        s.name(), st.listeningMillis(), st.answerMillis()));
            }
            progress.say("cli-start round %d of %d (listening/answered): %s", round + 1, n, line);
        }

        Subject ref = subjects.get(0);
        double refListening = median(starts.get(ref), Start::listeningMillis);
        double refAnswer = median(starts.get(ref), Start::answerMillis);
        for (Kind k : List.of(Kind.REPLAY, Kind.PASSTHROUGH, Kind.RECORD)) {
            String label = k == Kind.REPLAY ? k.label + " (" + entries + " entries)" : k.label;
            for (CliLaunch launch : CliLaunch.values()) {
                Subject s = new Subject(k, launch);
                if (!starts.containsKey(s)) {
                    rows.add(new Row(label + ": exec → `listening on`", "–", "–", launch.label, CliLaunch.NOT_BUILT,
                            "", "", "", "", "< 400 ms median", "–"));
                    continue;
                }
                List<Start> ss = starts.get(s);
                Subject jar = new Subject(k, CliLaunch.JAR);
                String others = Report.percent(cpuSums.get(s).othersShare());
                double listening = median(ss, Start::listeningMillis);
                double answer = median(ss, Start::answerMillis);
                String vsJar = launch == CliLaunch.JAR ? "" : ", " + Report.ratio(listening
                        / median(starts.get(jar), Start::listeningMillis)) + " java -jar";
                rows.add(new Row(label + ": exec → `listening on`", "–", "–", launch.label,
                        Report.millis(listening) + " median of " + ss.size(), "",
                        "p90 " + Report.millis(p90(ss, Start::listeningMillis)),
                        vsReference(listening, refListening) + vsJar, others,
                        "< 400 ms median", Report.met(listening < TARGET_MILLIS)));
                String what = k == Kind.REPLAY ? "GET /1k through it, a replayed hit" : "GET /1k through it to the origin";
                String answerVsJar = launch == CliLaunch.JAR ? "" : ", " + Report.ratio(answer
                        / median(starts.get(jar), Start::answerMillis)) + " java -jar";
                rows.add(new Row(label + ": exec → first answered request (" + what + ")",
                        Bodies.K1.label, "1", launch.label + ", JDK driver", Report.millis(answer) + " median of " + ss.size(),
                        "", "p90 " + Report.millis(p90(ss, Start::answerMillis)),
                        vsReference(answer, refAnswer) + answerVsJar, others, "", ""));
            }
        }
        List<Start> rs = starts.get(ref);
        String refOthers = Report.percent(cpuSums.get(ref).othersShare());
        rows.add(new Row(Kind.REFERENCE.label + ": exec → `listening on`", "–", "–", "java -cp",
                Report.millis(refListening) + " median of " + rs.size(), "",
                "p90 " + Report.millis(p90(rs, Start::listeningMillis)), "1.00×", refOthers, "", ""));
        rows.add(new Row(Kind.REFERENCE.label + ": exec → first answered request (GET /1k, answered by the class itself)",
                Bodies.K1.label, "1", "java -cp, JDK driver", Report.millis(refAnswer) + " median of " + rs.size(), "",
                "p90 " + Report.millis(p90(rs, Start::answerMillis)), "1.00×", refOthers, "", ""));

        notes.add(String.format(Locale.ROOT, "cli-start rows: each start a fresh process, run both ways a user starts"
                        + " the CLI: %s (its \"Client\" is `launcher`%s) and `%s -jar %s ARGS` with no JVM options"
                        + " (`java -jar`), ARGS being `--mode M --har F --port 0 --bind 127.0.0.1 --ca-dir D`;"
                        + " JAVA_TOOL_OPTIONS, HARP_* and the like removed from their environment, the CA already in D;"
                        + " the JDK reference is `%s -cp %s %s`; %d rounds in which each mode, both ways, and the"
                        + " reference start once each, in rotating order. The clock starts just before the"
                        + " process is spawned and stops when its `listening on` line arrives on the pipe of its stdout,"
                        + " then when the whole answer to a first `GET /1k` (a new connection, `Connection: close`, sent"
                        + " as soon as the port is read; status 200 and 1,024 bytes checked) has been read; then SIGTERM"
                        + " and its exit (record mode writes its HAR) before the next start. \"vs direct\" is the median"
                        + " over the JDK reference's median, and in brackets what Harp adds to it; for the launcher also"
                        + " over `java -jar`'s median. Before the rounds: a"
                        + " first start in record mode (`java -jar`) created the CA (%s to `listening on`, CA generation"
                        + " included) and recorded the replayed HAR through the origin (%d entries: 1 KiB and 64 KiB"
                        + " bodies, %,d bytes), and each mode, way and the reference started once more, untimed, with"
                        + " class loading logged (below)", CliLaunch.LAUNCHER.shown(),
                launches.contains(CliLaunch.LAUNCHER) ? ", JAVA_HOME and PATH set to the benchmark's JDK"
                        : "; not built in this run: its rows say so", java, HarpCliProcess.JAR, java, shown(testClasses),
                StartupReference.class.getName(), n, Report.millis(firstStart), entries,
                Files.size(part.replayHar)));
        StringBuilder counts = new StringBuilder();
        for (Subject s : subjects) {
            Map<String, Integer> c = classes.get(s);
            counts.append(counts.length() == 0 ? "" : "; ").append(s.kind() == Kind.REFERENCE ? "JDK reference" : s.name())
                    .append(String.format(Locale.ROOT, " %,d", c.get("all")));
            if (s.kind() != Kind.REFERENCE) {
                counts.append(String.format(Locale.ROOT, " (Jackson %,d, BouncyCastle %,d, Undertow/XNIO/JBoss %,d,"
                                + " Harp %,d, picocli %,d, JDK %,d)", c.get("jackson"), c.get("bouncycastle"),
                        c.get("undertow"), c.get("harp"), c.get("picocli"), c.get("jdk")));
            }
        }
        notes.add("cli-start, classes loaded before `listening on` (one extra start each, with"
                + " `-Xlog:class+load=info:stdout`, for the launcher in HARP_JAVA_OPTS; counted in its stdout up to that"
                + " line, classes from a class-data archive included; Jackson is"
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
        ProcessBuilder pb = CliLaunch.JAR.command(java, List.of(), "record", replayHar, caDir);
        FreshCli.Launched l = FreshCli.launch(pb);
        try {
            double listening = (l.listeningNanos() - l.execNanos()) / 1e6;
            for (Bodies b : RECORDED) {
                JdkDriver.probe(new Endpoint(Route.PLAIN_PROXY, l.port(), originPort, b, true, null));
            }
            FreshCli.stop(l.process(), "record (first start)");
            if (!Files.isRegularFile(replayHar)) {
                throw new IOException("the first record start wrote no HAR at " + replayHar);
            }
            return listening;
        } finally {
            Children.end(l.process());
        }
    }

    /** One start of {@code subject} with {@code jvmOptions}, its first request, SIGTERM and its exit. */
    private Start start(Subject subject, List<String> jvmOptions) throws Exception {
        Kind kind = subject.kind();
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
            pb = subject.launch().command(java, jvmOptions, kind.mode, har, caDir);
        }
        FreshCli.Launched l = FreshCli.launch(pb);
        try {
            Endpoint e = kind == Kind.REFERENCE
                    ? new Endpoint(Route.PLAIN_DIRECT, 0, l.port(), Bodies.K1, true, null)
                    : new Endpoint(Route.PLAIN_PROXY, l.port(), originPort, Bodies.K1, true, null);
            JdkDriver.probe(e); // throws unless 200 and 1,024 bytes
            long answered = System.nanoTime();
            FreshCli.stop(l.process(), subject.name());
            return new Start((l.listeningNanos() - l.execNanos()) / 1e6, (answered - l.execNanos()) / 1e6, l.classes());
        } finally {
            Children.end(l.process());
        }
    }

}
