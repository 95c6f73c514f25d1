package dev.harp.cli;

import dev.harp.HarpServer;
import dev.harp.HarpConfig;
import dev.harp.Mode;
import dev.harp.ModeResolution;
import dev.harp.options.Face;
import dev.harp.options.OptionCatalog;
import dev.harp.options.OptionValues;
import dev.harp.record.Redactor;
import dev.harp.tls.CertificateAuthority;
import dev.harp.usage.ServerUse;
import dev.harp.usage.UsageLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The options of {@code java -jar harp.jar}; the same names as the builder, the JUnit annotation and the Maven plugin.
 * Flags and defaults are declared in {@link OptionCatalog}; {@code CliOptionsTest} keeps this class in step with it.
 */
@Command(name = "harp", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        usageHelpWidth = 110,
        description = {"Record-and-replay HTTP(S) proxy: records traffic to a HAR 1.2 file and answers from it.", ""},
        footer = {"", "Modes: record (forward, write a fresh HAR), replay (answer only from the HAR, no network),",
                "auto (replay what is recorded, record what is missing; replay when CI=true),",
                "passthrough (forward, record nothing). -Dharp.mode or HARP_MODE override, --mode wins over both.",
                "", "Example: java -jar harp.jar --mode record --har flows.har --port 8080",
                "         curl -x http://127.0.0.1:8080 http://example.test/",
                "", "Fixture commands (each has --help):",
                "  harp report   the build's fixture report: target/harp/report.html and summary.json",
                "  harp prune    remove fixture entries and files no test used (a dry run unless --apply)",
                "  harp diff OLD NEW   what changed in the responses between two recordings"})
final class HarpCommand implements Callable<Integer> {
    /** Returned by a run that keeps serving until a signal stops it. */
    static final int KEEP_RUNNING = Integer.MIN_VALUE;

    @Option(names = "--mode", paramLabel = "MODE", description = "record, replay, auto or passthrough (default: auto, "
            + "or -Dharp.mode / HARP_MODE)")
    Mode mode;

    @Option(names = "--har", paramLabel = "FILE", description = "HAR file to record to or replay from (default: ${DEFAULT-VALUE})")
    Path har = Path.of(OptionCatalog.HAR.defaultValue());

    @Option(names = "--port", paramLabel = "N", description = "port to listen on, 0 for any free port (default: ${DEFAULT-VALUE})")
    int port = HarpConfig.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind = HarpConfig.DEFAULT_BIND;

    @Option(names = "--upstream", paramLabel = "URL", description = "reverse-proxy mode: send requests made to Harp's own "
            + "address to this base URL")
    URI upstream;

    @Option(names = "--ca-dir", paramLabel = "DIR", description = "folder of the CA (harp-ca.pem, harp-ca-key.pem), "
            + "created on first use (default: $HARP_CA_DIR, else ~/.harp)")
    Path caDir;

    @Option(names = "--export-ca", paramLabel = "FILE", description = "write the CA certificate (PEM) to FILE and exit; "
            + "a .p12 name writes a PKCS#12 trust store (password: changeit)")
    Path exportCa;

    @Option(names = "--insecure-upstream", description = "accept any upstream certificate (self-signed test servers)")
    boolean insecureUpstream;

    @Option(names = "--upstream-trust", paramLabel = "FILE", description = "also trust the CA certificates in this PEM "
            + "file for upstreams")
    Path upstreamTrust;

    @Option(names = "--no-intercept", paramLabel = "GLOB", split = ",", description = "hosts tunnelled without "
            + "interception, e.g. '*.pinned.example' (repeatable, comma-separated)")
    List<String> noIntercept = new ArrayList<>();

    @Option(names = "--ignore-query-param", paramLabel = "NAME", split = ",", description = "replay: query parameter "
            + "left out of matching (repeatable), e.g. a cache-buster")
    List<String> ignoreQueryParams = new ArrayList<>();

    @Option(names = "--ignore-json-path", paramLabel = "PATH", split = ",", description = "replay: JSON body member "
            + "left out of matching (repeatable), e.g. '$.timestamp' or '$.items[*].id'")
    List<String> ignoreJsonPaths = new ArrayList<>();

    @Option(names = "--match-header", paramLabel = "NAME", split = ",", description = "replay: header that must match "
            + "too (repeatable; by default headers are not compared)")
    List<String> matchHeaders = new ArrayList<>();

    @Option(names = "--ignore-body", description = "replay: do not compare request bodies")
    boolean ignoreBody;

    @Option(names = "--host-alias", paramLabel = "LIVE=RECORDED", description = "replay: requests to host[:port] LIVE "
            + "match entries recorded for RECORDED (repeatable)")
    List<String> hostAliases = new ArrayList<>();

    @Option(names = "--sequence", paramLabel = "POLICY", description = "replay: repeated identical requests get "
            + "'sequence' (recorded order, then the last repeats; default), 'reuse-first' or 'fail-after-last'")
    String sequence = OptionCatalog.SEQUENCE.defaultValue().optionValue();

    @Option(names = "--latency", paramLabel = "LATENCY", description = "replay: 'none' (default), 'recorded', or a "
            + "fixed delay such as 250ms")
    String latency = OptionCatalog.LATENCY.defaultValue();

    @Option(names = "--redact", paramLabel = "NAME", split = ",", description = "record: also redact headers, "
            + "parameters and fields with this name (repeatable)")
    List<String> redact = new ArrayList<>();

    @Option(names = "--no-redact", description = "record: keep secrets in the HAR (never commit such a file)")
    boolean noRedact;

    @Option(names = "--keep-value", paramLabel = "NAME", split = ",", description = "record: keep the values of "
            + "members, fields, headers or cookies with this name instead of REDACTED, e.g. a login answer's "
            + "'session' a test reads back on replay (repeatable)")
    List<String> keepValues = new ArrayList<>();

    @Option(names = "--scan-secrets", paramLabel = "FILE", description = "list the secrets left in a HAR file (entry, "
            + "place and rule, never the value) by the rules of record-time redaction, and exit: 0 when none, 1 when some")
    Path scanSecrets;

    @Option(names = "--lint", paramLabel = "PATH", description = "check a HAR file, or every *.har under a folder: "
            + "parse errors, secrets left in it (never the value), undecodable bodies, entries replay cannot serve, "
            + "bad side files; print one line per finding and exit: 0 when clean, 1 on findings")
    Path lint;

    @Option(names = "--capture-limit", paramLabel = "BYTES", description = "body bytes stored in the HAR per body; "
            + "larger bodies pass in full but are not stored (default: ${DEFAULT-VALUE})")
    long captureLimit = OptionCatalog.CAPTURE_LIMIT.defaultValue();

    @Option(names = "--upstream-connect-timeout", paramLabel = "SECONDS", description = "bound on connecting to an "
            + "upstream (default: ${DEFAULT-VALUE})")
    long upstreamConnectTimeout = OptionCatalog.UPSTREAM_CONNECT_TIMEOUT.defaultValue().toSeconds();

    @Option(names = "--upstream-response-timeout", paramLabel = "SECONDS", description = "bound on waiting for an "
            + "upstream's response head (default: ${DEFAULT-VALUE})")
    long upstreamResponseTimeout = OptionCatalog.UPSTREAM_RESPONSE_TIMEOUT.defaultValue().toSeconds();

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "close a keep-alive client connection idle "
            + "this long (default: ${DEFAULT-VALUE})")
    long idleTimeout = OptionCatalog.IDLE_TIMEOUT.defaultValue().toSeconds();

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "close a client that takes longer to send "
            + "a request head (slow clients; default: ${DEFAULT-VALUE})")
    long requestTimeout = OptionCatalog.REQUEST_TIMEOUT.defaultValue().toSeconds();

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", description = "close a CONNECT tunnel whose TLS "
            + "handshake takes longer (default: ${DEFAULT-VALUE})")
    long handshakeTimeout = OptionCatalog.HANDSHAKE_TIMEOUT.defaultValue().toSeconds();

    @Option(names = "--max-connections", paramLabel = "N", description = "client connections accepted at once; "
            + "more wait in the accept backlog (default: a third of the descriptor limit, at most 10000)")
    int maxConnections;

    @Option(names = "--max-header-size", paramLabel = "BYTES", description = "largest request head accepted "
            + "(default: ${DEFAULT-VALUE})")
    int maxHeaderSize = OptionCatalog.MAX_HEADER_SIZE.defaultValue();

    @Option(names = "--proxy-auth", paramLabel = "USER:PASSWORD", description = "require these proxy credentials "
            + "(Proxy-Authorization: Basic, else 407); the environment variable HARP_PROXY_AUTH does the same "
            + "without showing the password to ps")
    String proxyAuth;

    @Option(names = "--usage-dir", paramLabel = "DIR", description = "write what this run did with the HAR (hits, "
            + "misses, unused entries) as one JSON file under DIR/uses when it stops, for 'harp report' and 'harp "
            + "prune' (default: not written)")
    Path usageDir;

    @Option(names = {"-v", "--verbose"}, description = "log every flow and every aborted client (DEBUG)")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (verbose) {
            LoggingDefaults.verbose();
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
        }
        if (exportCa != null) {
            return exportCa();
        }
        if (scanSecrets != null) {
            return scanSecrets();
        }
        if (lint != null) {
            return lint();
        }
        ModeResolution resolution = ModeResolution.resolveFromSystem(mode, null);
        HarpConfig config = optionValues().applyTo(HarpConfig.builder())
                .modeResolution(resolution)
                .har(har.toAbsolutePath().normalize())
                .build();
        ServerUse use = usageDir == null || UsageLog.isOff(usageDir.toString()) ? null
                : ServerUse.begin(config.har(), resolution.effective());
        HarpServer harp;
        try {
            harp = HarpServer.start(config);
        } finally {
            XnioMBeans.restore(); // XNIO and its worker have started without their beans (see Main)
        }
        if (use != null) {
            use.opened(harp);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            harp.close();
            if (use != null) {
                writeUsage(use, harp);
            }
            if (harp.mode().effective() == Mode.REPLAY || harp.mode().effective() == Mode.AUTO) {
                System.out.println("Harp replay summary: " + harp.replaySummary().describe());
            }
            if (harp.mode().effective() == Mode.RECORD || harp.mode().effective() == Mode.AUTO) {
                System.out.println("Harp wrote " + config.har());
            }
            System.out.flush();
            stopped.countDown();
        }, "harp-shutdown"));
        List<String> what = new ArrayList<>();
        what.add("mode " + resolution.effective().cliName());
        if (resolution.effective() != Mode.PASSTHROUGH) {
            what.add("HAR " + config.har());
        }
        if (upstream != null) {
            what.add("reverse proxy for " + upstream);
        }
        System.out.println("Harp CA " + caDescription(config, harp.certificateAuthority()) + ", SHA-256 "
                + harp.certificateAuthority().sha256Fingerprint());
        System.out.println("Harp " + Version.current() + " listening on " + hostForUrl(bind) + ":" + harp.port()
                + " (" + String.join(", ", what) + ")");
        System.out.flush();
        stopped.await();
        return KEEP_RUNNING;
    }

    /** Writes this run's use of the HAR under --usage-dir; a failure is one line on standard error, not a trace. */
    private void writeUsage(ServerUse use, HarpServer harp) {
        UsageLog log = UsageLog.at(usageDir);
        try {
            Path file = log.write(use.end(harp, Face.CLI, "harp --har " + har).build());
            System.out.println("Harp usage data: " + file);
        } catch (IOException | RuntimeException e) {
            System.err.println("harp: could not write usage data under " + log.folder() + ": " + Main.oneLine(e));
        }
    }

    /** The --proxy-auth value, else $HARP_PROXY_AUTH, else null. */
    private String proxyAuth() {
        String value = proxyAuth != null ? proxyAuth : System.getenv("HARP_PROXY_AUTH");
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.indexOf(':') <= 0) {
            throw new IllegalArgumentException((proxyAuth != null ? "--proxy-auth" : "HARP_PROXY_AUTH")
                    + " must be USER:PASSWORD");
        }
        return value;
    }

    /** The flags given, by catalogue option: the core maps them onto the configuration as for every face. */
    private OptionValues optionValues() {
        return OptionValues.builder(Face.CLI)
                .set(OptionCatalog.PORT, port)
                .set(OptionCatalog.BIND_ADDRESS, bind)
                .set(OptionCatalog.UPSTREAM, upstream)
                .set(OptionCatalog.CA_DIRECTORY, caDir)
                .set(OptionCatalog.INSECURE_UPSTREAM, insecureUpstream)
                .set(OptionCatalog.UPSTREAM_TRUST, upstreamTrust == null ? null : upstreamTrust.toString())
                .set(OptionCatalog.NO_INTERCEPT, noIntercept)
                .set(OptionCatalog.IGNORE_QUERY_PARAMS, ignoreQueryParams)
                .set(OptionCatalog.IGNORE_JSON_PATHS, ignoreJsonPaths)
                .set(OptionCatalog.MATCH_HEADERS, matchHeaders)
                .set(OptionCatalog.IGNORE_BODY, ignoreBody)
                .set(OptionCatalog.HOST_ALIASES, hostAliases)
                .parse(OptionCatalog.SEQUENCE.name(), sequence)
                .set(OptionCatalog.LATENCY, latency)
                .set(OptionCatalog.REDACT, redact)
                .set(OptionCatalog.NO_REDACT, noRedact)
                .set(OptionCatalog.KEEP_VALUES, keepValues)
                .set(OptionCatalog.PROXY_AUTH, proxyAuth())
                .set(OptionCatalog.CAPTURE_LIMIT, captureLimit)
                .set(OptionCatalog.UPSTREAM_CONNECT_TIMEOUT, Duration.ofSeconds(upstreamConnectTimeout))
                .set(OptionCatalog.UPSTREAM_RESPONSE_TIMEOUT, Duration.ofSeconds(upstreamResponseTimeout))
                .set(OptionCatalog.IDLE_TIMEOUT, Duration.ofSeconds(idleTimeout))
                .set(OptionCatalog.REQUEST_TIMEOUT, Duration.ofSeconds(requestTimeout))
                .set(OptionCatalog.HANDSHAKE_TIMEOUT, Duration.ofSeconds(handshakeTimeout))
                .set(OptionCatalog.MAX_CONNECTIONS, maxConnections)
                .set(OptionCatalog.MAX_HEADER_SIZE, maxHeaderSize)
                .set(OptionCatalog.USAGE_DIR, usageDir == null ? null : usageDir.toString())
                .build();
    }

    private int scanSecrets() throws Exception {
        Redactor rules = optionValues().redactor();
        List<dev.harp.record.SecretFinding> findings = dev.harp.record.SecretScanner.scan(
                dev.harp.har.HarReader.read(scanSecrets), rules);
        for (dev.harp.record.SecretFinding f : findings) {
            System.out.println(scanSecrets + ": " + f);
        }
        System.out.println("Harp found " + (findings.isEmpty() ? "no secrets" : findings.size()
                + (findings.size() == 1 ? " secret" : " secrets")) + " in " + scanSecrets);
        return findings.isEmpty() ? 0 : 1;
    }

    /** {@code --lint}: the fixture lint of the Maven plugin's verify goal, with the redaction options given. */
    private int lint() throws Exception {
        dev.harp.lint.LintReport report = dev.harp.lint.FixtureLint.builder()
                .redactor(noRedact ? Redactor.off() : Redactor.defaults())
                .redact(redact)
                .keepValues(keepValues)
                .captureLimit(captureLimit)
                .build()
                .lint(lint);
        report.findings().forEach(System.out::println);
        System.out.println(report.summary());
        return report.isClean() ? 0 : 1;
    }

    private int exportCa() throws Exception {
        CertificateAuthority ca = caDir != null ? CertificateAuthority.loadOrCreate(caDir)
                : CertificateAuthority.loadOrCreate(CertificateAuthority.defaultDirectory());
        if (exportCa.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".p12")) {
            ca.exportPkcs12TrustStore(exportCa, "changeit".toCharArray());
        } else {
            ca.exportPem(exportCa);
        }
        System.out.println("Harp CA written to " + exportCa.toAbsolutePath() + " (SHA-256 " + ca.sha256Fingerprint() + ")");
        return 0;
    }

    private static String caDescription(HarpConfig config, CertificateAuthority ca) {
        return ca.directory().map(d -> "in " + d).orElse("in memory");
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
