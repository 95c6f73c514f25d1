package dev.harp.bench;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.bench.JdkDriver.Endpoint;
import dev.harp.bench.JdkDriver.Route;
import dev.harp.bench.Report.Row;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Harp's benchmark: throughput and latency of a local origin reached directly and through Harp in each mode
 * (passthrough, record, replay, MITM HTTPS), plus start-up, CA, leaf and HAR-load costs, all measured in one run and
 * printed as one Markdown table. Run it with {@code benchmark/run [--quick]}.
 *
 * <p>Everything listens on 127.0.0.1; every load is bounded in time and in count; child processes (nginx, wrk) are
 * ended in {@code finally} blocks and by a shutdown hook, and a watchdog ends the whole run if it overstays.
 */
public final class Benchmark {
    private static final int[] CONNECTIONS = {1, 16};
    private static final long MAX_REQUESTS = 20_000_000;
    /** JSON body bytes per entry of the large HAR: with headers and JSON escaping, ~5 KB per entry, ~50 MB in all. */
    private static final int HAR_BODY_BYTES = 2_500;

    /**
     * What to run.
     *
     * @param quick           short loads and few samples: a smoke run of every scenario
     * @param jdkDriverOnly   use the JDK driver for plain HTTP (and the JDK HttpClient for h2) even with wrk (h2load)
     * @param undertowUpstream use the in-process Undertow origin, even when nginx is installed
     * @param smokeRequests   when above 0: only replay, 1 KiB, 1 connection, this many requests, no costs
     * @param only            the parts to run (scenario option names and {@code costs}); empty for all
     * @param command         the command line to print
     */
    record Options(boolean quick, boolean jdkDriverOnly, boolean undertowUpstream, int smokeRequests, Set<String> only,
                   String command) {
        /**
         * Diagnostic parts, run only when {@code --only} names them: the JDK client alone, a reference for a common
         * Java client (Harp forwarded HTTP/2 clients with it until issue 16).
         */
        private static final Set<String> ON_REQUEST = Set.of("upstream-client", "upstream-client-tls");

        boolean runs(String part) {
            return only.isEmpty() ? !ON_REQUEST.contains(part) : only.contains(part);
        }

        Duration warmup() {
            return Duration.ofSeconds(1);
        }

        /** Rounds per row: each row's figure is the median of its rounds. */
        int rounds() {
            return quick ? 2 : 5;
        }

        /** One round (whole seconds: wrk's unit). */
        Duration round() {
            return Duration.ofSeconds(1);
        }

        /** Run once per proxy before its first cell, so that its code is compiled before anything counts. */
        Duration scenarioWarmup() {
            return Duration.ofSeconds(quick ? 1 : 3);
        }

        Duration deadline() {
            return Duration.ofMinutes(quick ? 10 : 35);
        }

        static Options parse(String[] args) {
            boolean quick = false;
            boolean jdk = false;
            boolean undertow = false;
            int smoke = 0;
            Set<String> only = new LinkedHashSet<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--jdk-driver" -> jdk = true;
                    case "--undertow-upstream" -> undertow = true;
                    case "--only" -> {
                        for (String part : args[++i].split(",")) {
                            if (!Set.of("costs", "websocket", "cli-record", CliStartup.PART, CliLoad.PART, H2Load.PART,
                                    JunitColdStart.PART).contains(part)
                                    && Arrays.stream(Scenario.values()).noneMatch(sc -> sc.option.equals(part))) {
                                throw new IllegalArgumentException("unknown part '" + part + "' for --only; use costs,"
                                        + " websocket, h2, cli-record, cli-start, cli-load or one of " + Arrays.stream(Scenario.values()).map(sc -> sc.option).toList());
                            }
                            only.add(part);
                        }
                    }
                    case "--smoke" -> {
                        smoke = Integer.parseInt(args[++i]);
                        quick = jdk = undertow = true;
                    }
                    case "-h", "--help" -> {
                        System.out.println("""
                                usage: benchmark/run [--quick] [--only PARTS] [--jdk-driver] [--undertow-upstream] [--smoke N]
                                  --quick              short loads (1 s) and few samples: checks that everything runs
                                  --jdk-driver         the JDK's clients for plain HTTP and h2 too, even with wrk, h2load
                                  --undertow-upstream  in-process Undertow origin, even when nginx is installed
                                  --only PARTS         comma-separated, for profiling: costs, direct, passthrough, record,
                                                       replay, direct-tls, mitm, direct-tls-new, mitm-new, websocket,
                                                       h2 (HTTPS keep-alive, HTTP/2 client, direct and MITM),
                                                       cli-record (the CLI jar as its own processes), cli-start
                                                       (the CLI's start-up, fresh processes), cli-load (the
                                                       CLI's own process under load: req/s, peak RSS, warm-up),
                                                       junit-start (the JUnit extension's cold cost, fresh test
                                                       JVMs); and the
                                                       diagnostic parts, never run unless named: upstream-client,
                                                       upstream-client-tls (the JDK client alone, a
                                                       reference for a common Java client)
                                  --smoke N            only replay, 1 KiB, 1 connection, N requests (what the unit test runs)""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            String command = System.getProperty("bench.command", "java dev.harp.bench.Benchmark " + String.join(" ", args));
            return new Options(quick, jdk, undertow, smoke, Set.copyOf(only), command.trim());
        }
    }

    /** The scenarios, in table order. */
    enum Scenario {
        DIRECT("direct", "direct to the origin", false),
        UPSTREAM_CLIENT("upstream-client", "JDK HttpClient alone, no proxy", false),
        PASSTHROUGH("passthrough", "Harp passthrough", false),
        RECORD("record", "Harp record", false),
        REPLAY("replay", "Harp replay", false),
        DIRECT_TLS("direct-tls", "direct HTTPS, keep-alive", true),
        UPSTREAM_CLIENT_TLS("upstream-client-tls", "JDK HttpClient alone to HTTPS (h2), no proxy", true),
        MITM("mitm", "Harp MITM HTTPS, keep-alive", true),
        DIRECT_TLS_NEW("direct-tls-new", "direct HTTPS, new connection per request", true),
        MITM_NEW("mitm-new", "Harp MITM HTTPS, new connection per request", true);

        final String option;
        final String label;
        final boolean tls;

        Scenario(String option, String label, boolean tls) {
            this.option = option;
            this.label = label;
            this.tls = tls;
        }

        boolean upstreamClient() {
            return this == UPSTREAM_CLIENT || this == UPSTREAM_CLIENT_TLS;
        }

        Scenario direct() {
            return switch (this) {
                case DIRECT, UPSTREAM_CLIENT, PASSTHROUGH, RECORD, REPLAY -> DIRECT;
                case DIRECT_TLS, UPSTREAM_CLIENT_TLS, MITM -> DIRECT_TLS;
                case DIRECT_TLS_NEW, MITM_NEW -> DIRECT_TLS_NEW;
            };
        }
    }

    private record Cell(Scenario scenario, Bodies body, int connections) {
    }

    private final Options options;
    private final PrintStream progress;
    private final long started = System.nanoTime();
    private final Map<Cell, LoadResult> results = new LinkedHashMap<>();
    private final Map<Cell, Double> othersCpu = new LinkedHashMap<>();
    private CpuMeter cpu;
    private final Map<Scenario, String> scenarioNotes = new EnumMap<>(Scenario.class);
    private Path scratch;
    private TlsMaterial tls;
    private Upstream upstream;
    private WrkDriver wrk;
    private final JdkDriver jdk = new JdkDriver();
    private final List<Row> costRows = new ArrayList<>();
    private final List<Row> webSocketRows = new ArrayList<>();
    private final List<Row> cliRows = new ArrayList<>();
    private final List<Row> h2Rows = new ArrayList<>();
    private final List<String> h2Notes = new ArrayList<>();
    private final List<String> cliNotes = new ArrayList<>();
    private double harLoadOthers = Double.NaN;
    private UpstreamClientLoad upstreamLoad;

    Benchmark(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j"); // Undertow's INFO lines, at warn like Harp's
        }
        Options options = Options.parse(args);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(options.deadline().toMillis());
                System.err.println("benchmark: still running after " + options.deadline().toMinutes() + " min; stopping");
                Children.endAll();
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int code = 0;
        try {
            Report report = new Benchmark(options, System.err).run();
            System.out.print(report.markdown());
            System.out.flush();
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        } finally {
            Children.endAll();
        }
        System.exit(code);
    }

    /** Runs everything the options ask for and returns the table. */
    Report run() throws Exception {
        scratch = Files.createTempDirectory("harp-bench-");
        // nginx's worker runs as an unprivileged user when started as root: it must be able to reach its files
        Files.setPosixFilePermissions(scratch, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            tls = new TlsMaterial();
            upstream = startUpstream();
            cpu = new CpuMeter(upstream::pids);
            CpuMeter.Snapshot runStart = cpu.snapshot();
            Path wrkBinary = options.jdkDriverOnly() ? null : WrkDriver.find();
            wrk = wrkBinary == null ? null : new WrkDriver(wrkBinary, scratch);
            Report report = new Report();
            report.context("Machine: " + Report.machine());
            report.context(Report.java());
            report.context("Command: `" + options.command() + "`");
            report.context("Origin: " + upstream.description());
            report.context("Clients: " + clients());
            // the CLI parts run Harp in processes of their own and say how in their notes
            if (options.only().isEmpty() || !Set.of("cli-record", CliStartup.PART).containsAll(options.only())) {
                report.context("Harp: started in the benchmark's JVM with `HarpServer.builder()...start()`, default threads"
                        + " (2 I/O, 64 workers); client, Harp and origin share the machine's cores; all on 127.0.0.1");
                report.context("Each row: the median of " + options.rounds() + " rounds of " + options.round().toSeconds()
                        + " s, interleaved with the rows it is compared with (direct and proxied rounds take turns), after a "
                        + options.warmup().toSeconds() + " s warm-up per row and " + options.scenarioWarmup().toSeconds()
                        + " s per scenario. \"vs direct\" is req/s over the matching direct row (for new connections also p50 over p50)."
                        + " Cost rows: wall-clock median, and in brackets the measuring thread's CPU time, which a busy machine"
                        + " does not inflate");
            }
            if (options.smokeRequests() > 0) {
                smoke(report);
                return report;
            }
            recordSmallHar();
            Costs.HarLoad harLoad = options.runs("costs") ? costs() : null;
            loads();
            if (options.runs("websocket")) {
                webSocketRows.addAll(WebSocketLoad.rows(this::harp, scratch, options, this::say));
            }
            if (options.runs(H2Load.PART)) {
                H2Load.rows(tls, upstream, this::harp, scratch, cpu, options, h2Rows, h2Notes, this::say);
            }
            if (options.runs("cli-record")) {
                cliRows.addAll(CliRecording.rows(CliRecording.Plan.of(options.quick()), scratch,
                        (body, port, d) -> once(Scenario.PASSTHROUGH, body, CliRecording.CONNECTIONS, port, d),
                        upstream::pids, cliNotes, this::say));
            }
            if (options.runs(CliStartup.PART)) {
                CliStartup.rows(options.quick(), scratch, upstream.httpPort(), cpu, cliRows, cliNotes, this::say);
            }
            if (options.runs(CliLoad.PART)) {
                CliLoad.rows(options.quick(), scratch, scratch.resolve("replay.har"), upstream.httpPort(),
                        (mode, body, port, d) -> once(mode == Mode.REPLAY ? Scenario.REPLAY : Scenario.PASSTHROUGH, body,
                                CliLoad.CONNECTIONS, port, d), this::harp, upstream::pids, jdk, cliRows, cliNotes, this::say);
            }
            if (options.runs(JunitColdStart.PART)) {
                JunitColdStart.rows(options.quick(), scratch, upstream.httpPort(), cpu, cliRows, cliNotes, this::say);
            }
            table(report, harLoad);
            report.note(String.format(Locale.ROOT, "other processes on this machine used %s of its CPU during the whole run"
                    + " (the \"Others' CPU\" column gives it per row: a busy machine lowers the figures)",
                    Report.percent(CpuMeter.othersShare(runStart, cpu.snapshot()))));
            return report;
        } finally {
            if (upstreamLoad != null) {
                upstreamLoad.close();
            }
            if (upstream != null) {
                upstream.close();
            }
            deleteTree(scratch);
        }
    }

    private Upstream startUpstream() throws Exception {
        Path nginx = options.undertowUpstream() ? null : NginxUpstream.find();
        if (nginx != null) {
            return NginxUpstream.start(nginx, Files.createDirectories(scratch.resolve("nginx")), tls);
        }
        if (!options.undertowUpstream()) {
            say("nginx not found: falling back to an in-process Undertow origin");
        }
        return UndertowUpstream.start(tls);
    }

    private String clients() {
        String jdkText = "JDK driver (this JVM: raw sockets and SSLSocket, one thread per connection, closed loop,"
                + " HTTP/1.1, checks status and body length; new-connection rows invalidate the TLS session so every"
                + " request pays a full handshake)";
        if (wrk != null) {
            return wrk.version() + " for plain HTTP (keep-alive, `--latency`, 1 thread at 1 connection and 2 at 16;"
                    + " absolute-form request lines through Harp), " + jdkText + " for HTTPS";
        }
        return jdkText + " for everything" + (options.jdkDriverOnly() ? " (--jdk-driver)"
                : " (wrk not found: fallback; install it with apt-get install wrk)");
    }

    // ---------------------------------------------------------------------------------------------------- costs

    private Costs.HarLoad costs() throws Exception {
        int startSamples = options.quick() ? 5 : 21;
        Path caDir = scratch.resolve("ca");
        Path smallHar = scratch.resolve("replay.har");
        CpuMeter.Snapshot t0 = cpu.snapshot();
        Costs.Timing startInMemory = Costs.startup(tls.ca, null, null, options.quick() ? 3 : 10, startSamples);
        CpuMeter.Snapshot t1 = cpu.snapshot();
        say("start-up, passthrough, in-memory CA: %s median", Report.millis(startInMemory.medianMillis()));
        Costs.Timing startReplay = Costs.startup(null, caDir, smallHar, options.quick() ? 3 : 10, startSamples);
        CpuMeter.Snapshot t2 = cpu.snapshot();
        say("start-up, replay from the CA folder: %s median", Report.millis(startReplay.medianMillis()));
        Costs.Timing ca = Costs.caGeneration(options.quick() ? 3 : 10, options.quick() ? 5 : 21);
        CpuMeter.Snapshot t3 = cpu.snapshot();
        say("CA generation: %s median", Report.millis(ca.medianMillis()));
        Costs.Timing leaf = Costs.leafIssuance(tls.ca, options.quick() ? 20 : 200, options.quick() ? 50 : 500);
        CpuMeter.Snapshot t4 = cpu.snapshot();
        say("leaf issuance: %s median", Report.millis(leaf.medianMillis()));
        int entries = 10_000;
        Path big = Costs.writeLargeHar(scratch.resolve("large.har"), entries, HAR_BODY_BYTES);
        CpuMeter.Snapshot t5 = cpu.snapshot();
        Costs.HarLoad load = Costs.harLoad(big, entries, options.quick() ? 2 : 5);
        harLoadOthers = CpuMeter.othersShare(t5, cpu.snapshot());
        Files.deleteIfExists(big);
        say("HAR load: %s median, %.1f MB heap", Report.millis(load.load().medianMillis()), load.heapBytes() / 1e6);
        costRows.add(new Row("Proxy start-up: passthrough, CA given in memory", "–", "–", "in JVM",
                timing(startInMemory),
                "", "p90 " + Report.millis(startInMemory.p90Millis()), "", Report.percent(CpuMeter.othersShare(t0, t1)), "< 100 ms",
                Report.met(startInMemory.medianMillis() < 100)));
        costRows.add(new Row("Proxy start-up: replay of a 2-entry HAR, CA read from its folder", "–", "–", "in JVM",
                timing(startReplay),
                "", "p90 " + Report.millis(startReplay.p90Millis()), "", Report.percent(CpuMeter.othersShare(t1, t2)), "< 100 ms",
                Report.met(startReplay.medianMillis() < 100)));
        costRows.add(new Row("CA generation (EC P-256, `CertificateAuthority.inMemory()`)", "–", "–", "in JVM",
                timing(ca), "", "p90 " + Report.millis(ca.p90Millis()),
                "", Report.percent(CpuMeter.othersShare(t2, t3)), "–", ""));
        costRows.add(new Row("Leaf issuance for a new host (`leafFor`)", "–", "–", "in JVM",
                timing(leaf), "", "p90 " + Report.millis(leaf.p90Millis()),
                "", Report.percent(CpuMeter.othersShare(t3, t4)), "< 10 ms median", Report.met(leaf.medianMillis() < 10)));
        return load;
    }

    /** A HAR of one entry per body, recorded through Harp from the origin: what replay serves. */
    private Path recordSmallHar() throws Exception {
        Path har = scratch.resolve("replay.har");
        try (HarpServer harp = harp(Mode.RECORD, har)) {
            for (Bodies b : Bodies.values()) {
                JdkDriver.probe(endpoint(Scenario.PASSTHROUGH, b, harp.port()));
            }
        }
        return har;
    }

    // ---------------------------------------------------------------------------------------------------- loads

    /** Rows that are compared with each other, and so measured interleaved. */
    private static final List<List<Scenario>> GROUPS = List.of(
            List.of(Scenario.DIRECT, Scenario.UPSTREAM_CLIENT, Scenario.PASSTHROUGH,
                    Scenario.RECORD, Scenario.REPLAY),
            List.of(Scenario.DIRECT_TLS, Scenario.UPSTREAM_CLIENT_TLS, Scenario.MITM),
            List.of(Scenario.DIRECT_TLS_NEW, Scenario.MITM_NEW));

    /**
     * The loads. Rows that are compared are measured interleaved: for each body and connection count, every
     * scenario of a group runs one short round in turn (the first one rotating), {@link Options#rounds()} times,
     * and a row is the median of its rounds. On a machine whose other load comes and goes, direct and proxied rows
     * then see the same conditions, instead of the direct row being measured at a quiet moment and the proxy at a
     * busy one.
     */
    private void loads() throws Exception {
        HarpServer passthrough = null;
        HarpServer replay = null;
        try {
            passthrough = harp(Mode.PASSTHROUGH, scratch.resolve("unused.har"));
            replay = harp(Mode.REPLAY, scratch.resolve("replay.har"));
            StringBuilder recordNote = new StringBuilder();
            for (List<Scenario> group : GROUPS) {
                List<Scenario> selected = group.stream().filter(s -> options.runs(s.option)).toList();
                if (selected.isEmpty()) {
                    continue;
                }
                for (Scenario s : selected) {
                    if (s == Scenario.RECORD) {
                        try (HarpServer warmRecorder = harp(Mode.RECORD, scratch.resolve("record-warm.har"))) {
                            warm(s, warmRecorder.port());
                            drain();
                        }
                    } else {
                        warm(s, proxyPortFor(s, passthrough, replay));
                    }
                }
                for (Bodies body : Bodies.values()) {
                    for (int c : CONNECTIONS) {
                        RecordRounds recorded = new RecordRounds();
                        interleave(selected, body, c, passthrough, replay, recorded);
                        if (recorded.rounds > 0) {
                            recordNote.append(String.format(Locale.ROOT,
                                    "%s%s at %d: %,d entries and %.0f MB of HAR per round, final write %.2f s",
                                    recordNote.length() == 0 ? "" : "; ", body.label, c, recorded.entries / recorded.rounds,
                                    recorded.bytes / 1e6 / recorded.rounds, recorded.closeNanos / 1e9 / recorded.rounds));
                        }
                    }
                }
            }
            if (recordNote.length() > 0) {
                scenarioNotes.put(Scenario.RECORD, "record, a fresh proxy and HAR for each round (as each test class"
                        + " records its own fixture; the proxy's start and its final write are outside the timed round): "
                        + recordNote);
            }
            if (options.runs(Scenario.REPLAY.option)) {
                scenarioNotes.put(Scenario.REPLAY, "replay served " + replay.replaySummary().hits() + " hits and "
                        + replay.replaySummary().misses() + " misses");
            }
            drain();
        } finally {
            if (passthrough != null) {
                passthrough.close();
            }
            if (replay != null) {
                replay.close();
            }
        }
    }

    private static int proxyPortFor(Scenario s, HarpServer passthrough, HarpServer replay) {
        return switch (s) {
            case PASSTHROUGH, MITM, MITM_NEW -> passthrough.port();
            case REPLAY -> replay.port();
            default -> 0;
        };
    }

    /** What the record rounds of one body and connection count wrote. */
    private static final class RecordRounds {
        int rounds;
        long entries;
        long bytes;
        long closeNanos;
    }

    /**
     * One timed load through a recorder started for it and closed after it: recording does not pile up across rounds
     * (a recorder keeps its entries and rewrites its whole HAR every second, so a recording of hundreds of thousands
     * of entries would tax the rounds of the other scenarios it is interleaved with).
     */
    private LoadResult recordRound(Bodies body, int connections, Duration length, RecordRounds into) throws Exception {
        Path har = scratch.resolve("record-round.har");
        HarpServer recorder = harp(Mode.RECORD, har);
        LoadResult result;
        try {
            result = once(Scenario.RECORD, body, connections, recorder.port(), length);
        } finally {
            drain();
            int entries = recorder.recordedEntries();
            long t0 = System.nanoTime();
            recorder.close();
            if (into != null) {
                into.rounds++;
                into.entries += entries;
                into.closeNanos += System.nanoTime() - t0;
                into.bytes += Files.exists(har) ? Files.size(har) : 0;
            }
            Files.deleteIfExists(har);
        }
        return result;
    }

    /** One body and connection count of a group: a warm-up each, then the rounds, then one row each. */
    private void interleave(List<Scenario> group, Bodies body, int connections, HarpServer passthrough, HarpServer replay,
                            RecordRounds recorded) throws Exception {
        Map<Scenario, List<LoadResult>> rounds = new EnumMap<>(Scenario.class);
        Map<Scenario, CpuMeter.Sum> cpuSums = new EnumMap<>(Scenario.class);
        for (Scenario s : group) {
            if (s == Scenario.RECORD) {
                recordRound(body, connections, options.warmup(), null);
            } else {
                int port = proxyPortFor(s, passthrough, replay);
                if (!s.upstreamClient()) {
                    JdkDriver.probe(endpoint(s, body, port)); // fails loudly if the route does not work at all
                }
                once(s, body, connections, port, options.warmup());
            }
            rounds.put(s, new ArrayList<>());
            cpuSums.put(s, new CpuMeter.Sum());
        }
        for (int round = 0; round < options.rounds(); round++) {
            for (int i = 0; i < group.size(); i++) {
                Scenario s = group.get((i + round) % group.size());
                CpuMeter.Snapshot before = cpu.snapshot();
                rounds.get(s).add(s == Scenario.RECORD ? recordRound(body, connections, options.round(), recorded)
                        : once(s, body, connections, proxyPortFor(s, passthrough, replay), options.round()));
                cpuSums.get(s).add(before, cpu.snapshot());
            }
        }
        for (Scenario s : group) {
            LoadResult r = LoadResult.median(rounds.get(s));
            Cell key = new Cell(s, body, connections);
            results.put(key, r);
            othersCpu.put(key, cpuSums.get(s).othersShare());
            say("%-45s %-6s c%-2d %s p50 %s p99 %s, others' CPU %s%s", s.label, body.label, connections,
                    Report.rps(r.requestsPerSecond()), Report.millis(r.p50Millis()), Report.millis(r.p99Millis()),
                    Report.percent(othersCpu.get(key)), r.errors() > 0 ? ", errors " + r.errors() : "");
        }
    }

    /** One load of {@code duration} (whole seconds for wrk), nothing discarded. */
    private LoadResult once(Scenario s, Bodies body, int connections, int proxyPort, Duration duration) throws Exception {
        if (s.upstreamClient()) {
            JdkDriver.ClientFactory factory = upstreamLoad().factory(originUri(s, body), body.length);
            LoadResult r = jdk.run(factory, connections, Duration.ZERO, duration, MAX_REQUESTS);
            return new LoadResult("HttpClient", r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.requests(), r.errors());
        }
        if (!s.tls && wrk != null) {
            return wrk.run(proxyPort, upstream.httpPort(), body, connections, duration);
        }
        return jdk.run(endpoint(s, body, proxyPort), connections, Duration.ZERO, duration, MAX_REQUESTS);
    }

    private void warm(Scenario s, int proxyPort) throws Exception {
        Duration d = options.scenarioWarmup();
        if (s.upstreamClient()) {
            jdk.run(upstreamLoad().factory(originUri(s, Bodies.K1), Bodies.K1.length), 16,
                    Duration.ZERO, d, MAX_REQUESTS);
            return;
        }
        JdkDriver.probe(endpoint(s, Bodies.K1, proxyPort));
        JdkDriver.probe(endpoint(s, Bodies.K64, proxyPort));
        if (!s.tls && wrk != null) {
            wrk.run(proxyPort, upstream.httpPort(), Bodies.K1, 16, d);
        } else {
            jdk.run(endpoint(s, Bodies.K1, proxyPort), 16, Duration.ZERO, d, MAX_REQUESTS);
        }
    }

    /** Lets the last in-flight requests of a load finish before a proxy is closed. */
    private static void drain() throws InterruptedException {
        Thread.sleep(300);
    }

    private UpstreamClientLoad upstreamLoad() {
        if (upstreamLoad == null) {
            upstreamLoad = new UpstreamClientLoad();
        }
        return upstreamLoad;
    }

    private java.net.URI originUri(Scenario s, Bodies body) {
        return java.net.URI.create((s.tls ? "https" : "http") + "://" + TlsMaterial.HOST + ":"
                + (s.tls ? upstream.httpsPort() : upstream.httpPort()) + body.path);
    }

    private Endpoint endpoint(Scenario s, Bodies body, int proxyPort) {
        Route route = switch (s) {
            case DIRECT, UPSTREAM_CLIENT -> Route.PLAIN_DIRECT;
            case PASSTHROUGH, RECORD, REPLAY -> Route.PLAIN_PROXY;
            case DIRECT_TLS, DIRECT_TLS_NEW, UPSTREAM_CLIENT_TLS -> Route.TLS_DIRECT;
            case MITM, MITM_NEW -> Route.TLS_MITM;
        };
        int origin = s.tls ? upstream.httpsPort() : upstream.httpPort();
        boolean fresh = s == Scenario.DIRECT_TLS_NEW || s == Scenario.MITM_NEW;
        return new Endpoint(route, proxyPort, origin, body, fresh, tls.clientContext.getSocketFactory());
    }

    private HarpServer harp(Mode mode, Path har) throws IOException {
        return HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                .certificateAuthority(tls.ca).insecureUpstream(true).start();
    }

    // ---------------------------------------------------------------------------------------------------- smoke

    /** A measured load, or null (for the smoke test). */
    LoadResult result(Scenario scenario, Bodies body, int connections) {
        return results.get(new Cell(scenario, body, connections));
    }

    /** The unit test's path: replay of 1 KiB on one connection for a bounded number of requests. */
    private void smoke(Report report) throws Exception {
        Path har = recordSmallHar();
        if (!Files.exists(har)) {
            throw new IOException("record mode wrote no HAR");
        }
        try (HarpServer harp = harp(Mode.REPLAY, har)) {
            Endpoint e = endpoint(Scenario.REPLAY, Bodies.K1, harp.port());
            JdkDriver.probe(e);
            LoadResult r = jdk.run(e, 1, Duration.ZERO, Duration.ofSeconds(60), options.smokeRequests());
            results.put(new Cell(Scenario.REPLAY, Bodies.K1, 1), r);
            report.add(loadRow(Scenario.REPLAY, Bodies.K1, 1, r, "–", "–", "–", ""));
            report.note(r.requests() + " requests, " + r.errors() + " errors");
        }
    }

    // ---------------------------------------------------------------------------------------------------- table

    private void table(Report report, Costs.HarLoad harLoad) {
        for (Map.Entry<Cell, LoadResult> e : results.entrySet()) {
            Cell cell = e.getKey();
            LoadResult r = e.getValue();
            LoadResult direct = results.get(new Cell(cell.scenario().direct(), cell.body(), cell.connections()));
            double ratio = direct == null ? Double.NaN : r.requestsPerSecond() / direct.requestsPerSecond();
            double latencyRatio = direct == null ? Double.NaN : r.p50Millis() / direct.p50Millis();
            String vs = cell.scenario().direct() == cell.scenario() ? "1.00×"
                    : cell.scenario() == Scenario.MITM_NEW ? Report.ratio(ratio) + " (p50 " + Report.ratio(latencyRatio) + ")"
                    : Report.ratio(ratio);
            String target = "";
            String met = "";
            boolean headline = cell.body() == Bodies.K1 && cell.connections() == 16;
            switch (cell.scenario()) {
                case REPLAY -> {
                    if (headline) {
                        target = "≥ 0.8× direct and p99 < 5 ms";
                        met = Report.met(ratio >= 0.8 && r.p99Millis() < 5);
                    }
                }
                case PASSTHROUGH, RECORD -> {
                    if (headline) {
                        target = "≥ 0.3× direct";
                        met = Report.met(ratio >= 0.3);
                    }
                }
                case MITM -> {
                    if (headline) {
                        target = "≥ 0.25× direct HTTPS";
                        met = Report.met(ratio >= 0.25);
                    }
                }
                case MITM_NEW -> {
                    if (cell.body() == Bodies.K1 && cell.connections() == 1) {
                        target = "p50 ≤ 2× direct TLS (full handshakes)";
                        met = Report.met(latencyRatio <= 2.0);
                    }
                }
                default -> {
                }
            }
            report.add(loadRow(cell.scenario(), cell.body(), cell.connections(), r, vs, Report.percent(othersCpu.get(cell)),
                    target, met));
        }
        for (Row row : webSocketRows) {
            report.add(row);
        }
        h2Rows.forEach(report::add);
        for (Row row : cliRows) {
            report.add(row);
        }
        for (Row row : costRows) {
            report.add(row);
        }
        if (harLoad == null) {
            finishNotes(report);
            return;
        }
        boolean loadOk = harLoad.load().medianMillis() < 1000;
        boolean heapOk = harLoad.heapRatio() < 3;
        report.add(new Row(String.format(Locale.ROOT, "HAR load for replay (`HarReplay.load`): %,d entries, %.1f MB file",
                        harLoad.entries(), harLoad.fileBytes() / 1e6),
                String.format(Locale.ROOT, "%.1f KB JSON", HAR_BODY_BYTES / 1000.0), "–", "in JVM",
                timing(harLoad.load()), "",
                "p90 " + Report.millis(harLoad.load().p90Millis()), "", Report.percent(harLoadOthers), "< 1 s", Report.met(loadOk)));
        report.add(new Row("Heap kept by that loaded HAR (used heap after full GC, after − before)", "–", "–", "in JVM",
                String.format(Locale.ROOT, "%.1f MB", harLoad.heapBytes() / 1e6), "", "",
                String.format(Locale.ROOT, "%.2f× file size", harLoad.heapRatio()), "", "< 3× file size", Report.met(heapOk)));
        finishNotes(report);
    }

    private void finishNotes(Report report) {
        for (Map.Entry<Scenario, String> n : scenarioNotes.entrySet()) {
            report.note(n.getValue());
        }
        h2Notes.forEach(report::note);
        cliNotes.forEach(report::note);
        long errors = results.values().stream().mapToLong(LoadResult::errors).sum();
        report.note(errors == 0 ? "no request failed in any load"
                : errors + " requests failed across all loads (see the rows' results)");
        report.note(String.format(Locale.ROOT, "whole run %.0f s", (System.nanoTime() - started) / 1e9));
    }

    private static Row loadRow(Scenario s, Bodies body, int connections, LoadResult r, String vs, String others,
                               String target, String met) {
        String result = Report.rps(r.requestsPerSecond()) + (r.errors() > 0 ? " (" + r.errors() + " errors)" : "");
        return new Row(s.label, body.label, String.valueOf(connections), r.client(), result, Report.millis(r.p50Millis()),
                Report.millis(r.p99Millis()), vs, others, target, met);
    }

    private static String timing(Costs.Timing t) {
        return Report.millis(t.medianMillis()) + " median of " + t.samples() + " (CPU " + Report.millis(t.cpuMedianMillis()) + ")";
    }

    // ---------------------------------------------------------------------------------------------------- misc

    private void say(String format, Object... args) {
        progress.printf(Locale.ROOT, "[%4.0f s] %s%n", (System.nanoTime() - started) / 1e9, String.format(Locale.ROOT, format, args));
        progress.flush();
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
