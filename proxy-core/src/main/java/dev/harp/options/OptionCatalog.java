package dev.harp.options;

import dev.harp.Mode;
import dev.harp.replay.SequencePolicy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every option of Harp, declared once: name, command-line flag, type, default and meaning. The command line, the
 * JUnit annotation and {@code HarpExtension.builder()} and the Maven plugin bind to these by name, and
 * {@code HarpConfig}'s defaults come from here; a test fails when a face exposes an option this catalogue lacks,
 * spells it differently or defaults it differently, and when the README's option tables drift.
 */
public final class OptionCatalog {
    private static final EnumSet<Face> SHARED = EnumSet.allOf(Face.class);
    private static final EnumSet<Face> CLI_MAVEN = EnumSet.of(Face.CLI, Face.MAVEN);
    private static final EnumSet<Face> JUNIT_MAVEN = EnumSet.of(Face.JUNIT, Face.MAVEN);
    private static final EnumSet<Face> JUNIT = EnumSet.of(Face.JUNIT);
    private static final EnumSet<Face> MAVEN = EnumSet.of(Face.MAVEN);
    private static final List<HarpOption<?>> ALL = new ArrayList<>();

    /** The mode asked for; {@code -Dharp.mode} and {@code HARP_MODE} override it. */
    public static final HarpOption<Mode> MODE = add("mode", "--mode", Mode.class, Mode.AUTO, Map.of(),
            "record, replay, auto or passthrough", SHARED, Mode::parse);
    /** The HAR file; in JUnit unset means one file per test. */
    public static final HarpOption<String> HAR = add("har", "--har", String.class, "harp.har",
            Map.of(Face.JUNIT, "", Face.MAVEN, "src/test/resources/harp/integration-tests.har"),
            "HAR file to record to or replay from", SHARED, Function.identity());
    /** JUnit: where fixtures live. */
    public static final HarpOption<String> DIRECTORY = add("directory", null, String.class, "src/test/resources/harp",
            Map.of(), "fixture root, relative to the module's base directory", JUNIT, Function.identity());
    /** Listening port. */
    public static final HarpOption<Integer> PORT = add("port", "--port", Integer.class, 8080, Map.of(Face.MAVEN, 0),
            "port to listen on, 0 for any free port", CLI_MAVEN, Integer::valueOf);
    /** Listening address. */
    public static final HarpOption<String> BIND_ADDRESS = add("bindAddress", "--bind", String.class, "127.0.0.1", Map.of(),
            "address to listen on", SHARED, Function.identity());
    /** Reverse-proxy base URL. */
    public static final HarpOption<URI> UPSTREAM = add("upstream", "--upstream", URI.class, null, Map.of(),
            "reverse-proxy mode: requests to Harp's own address go to this base URL", CLI_MAVEN, URI::create);
    /** CA folder. */
    public static final HarpOption<Path> CA_DIRECTORY = add("caDirectory", "--ca-dir", Path.class, null, Map.of(),
            "folder of the CA, created on first use (unset: $HARP_CA_DIR, else ~/.harp; harp:start: a CA in memory)",
            CLI_MAVEN, Path::of);
    /** Accept any upstream certificate. */
    public static final HarpOption<Boolean> INSECURE_UPSTREAM = add("insecureUpstream", "--insecure-upstream",
            Boolean.class, false, Map.of(), "accept any upstream certificate (self-signed test servers)", SHARED,
            OptionCatalog::parseBoolean);
    /** Extra CAs trusted upstream. */
    public static final HarpOption<String> UPSTREAM_TRUST = add("upstreamTrust", "--upstream-trust", String.class,
            null, Map.of(), "PEM file of extra CA certificates trusted for upstreams", SHARED, Function.identity());
    /** Hosts tunnelled without interception. */
    public static final HarpOption<List<String>> NO_INTERCEPT = list("noIntercept", "--no-intercept",
            "host globs tunnelled without interception (certificate pinning)", SHARED);
    /** Query parameters left out of matching. */
    public static final HarpOption<List<String>> IGNORE_QUERY_PARAMS = list("ignoreQueryParams", "--ignore-query-param",
            "replay: query parameters left out of matching", SHARED);
    /** JSON paths left out of matching. */
    public static final HarpOption<List<String>> IGNORE_JSON_PATHS = list("ignoreJsonPaths", "--ignore-json-path",
            "replay: JSON body members left out of matching", SHARED);
    /** Headers that must match too. */
    public static final HarpOption<List<String>> MATCH_HEADERS = list("matchHeaders", "--match-header",
            "replay: headers that must also be equal", SHARED);
    /** Bodies not compared. */
    public static final HarpOption<Boolean> IGNORE_BODY = add("ignoreBody", "--ignore-body", Boolean.class, false, Map.of(),
            "replay: request bodies are not compared", SHARED, OptionCatalog::parseBoolean);
    /** Host aliases. */
    public static final HarpOption<List<String>> HOST_ALIASES = list("hostAliases", "--host-alias",
            "replay: LIVE=RECORDED, a live origin answered from entries recorded for another", SHARED);
    /** Repeated identical requests. */
    public static final HarpOption<SequencePolicy> SEQUENCE = add("sequence", "--sequence", SequencePolicy.class,
            SequencePolicy.SEQUENCE, Map.of(), "replay: what repeated identical requests get", SHARED,
            SequencePolicy::fromOptionValue);
    /** Replay latency. */
    public static final HarpOption<String> LATENCY = add("latency", "--latency", String.class, "none", Map.of(),
            "replay: none, recorded, or a fixed delay such as 250ms", SHARED, Function.identity());
    /** Extra names redacted. */
    public static final HarpOption<List<String>> REDACT = list("redact", "--redact",
            "record: also redact headers, parameters and fields with this name", CLI_MAVEN);
    /** Redaction off. */
    public static final HarpOption<Boolean> NO_REDACT = add("noRedact", "--no-redact", Boolean.class, false, Map.of(),
            "record: keep secrets in the HAR (never commit such a file)", CLI_MAVEN, OptionCatalog::parseBoolean);
    /** Names whose values are kept. */
    public static final HarpOption<List<String>> KEEP_VALUES = list("keepValues", "--keep-value",
            "record: names whose values are recorded as they are instead of REDACTED", SHARED);
    /** Proxy credentials. */
    public static final HarpOption<String> PROXY_AUTH = add("proxyAuth", "--proxy-auth", String.class, null, Map.of(),
            "USER:PASSWORD clients must send as Proxy-Authorization: Basic", SHARED, Function.identity());
    /** Body bytes stored per body. */
    public static final HarpOption<Long> CAPTURE_LIMIT = add("captureLimit", "--capture-limit", Long.class,
            16L * 1024 * 1024, Map.of(), "body bytes stored in the HAR per body", CLI_MAVEN, Long::valueOf);
    /** Upstream connect bound. */
    public static final HarpOption<Duration> UPSTREAM_CONNECT_TIMEOUT = seconds("upstreamConnectTimeout",
            "--upstream-connect-timeout", 10, "bound on connecting to an upstream");
    /** Upstream response bound. */
    public static final HarpOption<Duration> UPSTREAM_RESPONSE_TIMEOUT = seconds("upstreamResponseTimeout",
            "--upstream-response-timeout", 60, "bound on waiting for an upstream's response head");
    /** Idle keep-alive bound. */
    public static final HarpOption<Duration> IDLE_TIMEOUT = seconds("idleTimeout", "--idle-timeout", 60,
            "close a keep-alive client connection idle this long");
    /** Request head bound. */
    public static final HarpOption<Duration> REQUEST_TIMEOUT = seconds("requestTimeout", "--request-timeout", 30,
            "close a client that takes longer to send a request head");
    /** TLS handshake bound. */
    public static final HarpOption<Duration> HANDSHAKE_TIMEOUT = seconds("handshakeTimeout", "--handshake-timeout", 10,
            "close a CONNECT tunnel whose TLS handshake takes longer");
    /** Connections at once; 0 means computed from the descriptor limit. */
    public static final HarpOption<Integer> MAX_CONNECTIONS = add("maxConnections", "--max-connections", Integer.class,
            0, Map.of(), "client connections accepted at once (0: from the descriptor limit)", CLI_MAVEN, Integer::valueOf);
    /** Largest request head. */
    public static final HarpOption<Integer> MAX_HEADER_SIZE = add("maxHeaderSize", "--max-header-size", Integer.class,
            64 * 1024, Map.of(), "largest request head accepted, in bytes", CLI_MAVEN, Integer::valueOf);
    /**
     * Usage data: where each use of a fixture is written as one JSON file ({@code dev.harp.usage.UsageLog}), for
     * the report and pruning. {@code off} or {@code none} writes nothing. The JUnit extension reads the same name as
     * the run-wide setting {@code -Dharp.usageDir} (or {@code HARP_USAGE_DIR}), not per class, so it is no
     * annotation member; its default there is the module's {@code target/harp}.
     */
    public static final HarpOption<String> USAGE_DIR = add("usageDir", "--usage-dir", String.class, null,
            Map.of(Face.MAVEN, "${project.build.directory}/harp"),
            "folder of usage data: one JSON file per use of a fixture, for the report and pruning (off: none written)",
            CLI_MAVEN, Function.identity());
    /** JUnit: wire the JVM. */
    public static final HarpOption<Boolean> WIRE_JVM = add("wireJvm", null, Boolean.class, true, Map.of(),
            "point the JVM's default proxy and TLS settings at Harp", JUNIT, OptionCatalog::parseBoolean);
    /** JUnit and Maven: misses fail. */
    public static final HarpOption<Boolean> FAIL_ON_MISS = add("failOnMiss", null, Boolean.class, true, Map.of(),
            "a replay miss fails the test (the build) with the diagnostic", JUNIT_MAVEN, OptionCatalog::parseBoolean);
    /** JUnit and Maven: unused entries fail. */
    public static final HarpOption<Boolean> FAIL_ON_UNUSED = add("failOnUnused", null, Boolean.class, false, Map.of(),
            "recorded entries the test (the build) never requested fail it", JUNIT_MAVEN,
            OptionCatalog::parseBoolean);
    /** Maven: skip starting and stopping. */
    public static final HarpOption<Boolean> SKIP = add("skip", null, Boolean.class, false, Map.of(),
            "skip harp:start and harp:stop (also skipped by skipITs, skipTests and maven.test.skip)", MAVEN,
            OptionCatalog::parseBoolean);
    /** Maven: the name of one proxy among several in a project. */
    public static final HarpOption<String> ID = add("id", null, String.class, "default", Map.of(),
            "names the proxy when one project starts several; harp:stop stops the one with its id", MAVEN,
            Function.identity());
    /** Maven: how long harp:run runs. */
    public static final HarpOption<Duration> TIMEOUT = add("timeout", null, Duration.class, Duration.ZERO, Map.of(),
            "harp:run stops after this many seconds (0: on Ctrl-C only)", MAVEN,
            text -> Duration.ofSeconds(Long.parseLong(text)));

    private static final Map<String, HarpOption<?>> BY_NAME = byName();

    private OptionCatalog() {
    }

    /** @return every option, in declaration order */
    public static List<HarpOption<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /**
     * @param face a face
     * @return the options that face exposes, in declaration order
     */
    public static List<HarpOption<?>> of(Face face) {
        return ALL.stream().filter(o -> o.faces().contains(face)).toList();
    }

    /**
     * @param name a camelCase option name
     * @return the option of that name
     */
    public static Optional<HarpOption<?>> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static Map<String, HarpOption<?>> byName() {
        Map<String, HarpOption<?>> map = new LinkedHashMap<>();
        for (HarpOption<?> o : ALL) {
            if (map.put(o.name(), o) != null) {
                throw new IllegalStateException("option declared twice: " + o.name());
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static <T> HarpOption<T> add(String name, String cliFlag, Class<?> type, T defaultValue,
                                         Map<Face, T> faceDefaults, String doc, EnumSet<Face> faces,
                                         Function<String, T> parser) {
        HarpOption<T> option = new HarpOption<>(name, cliFlag, type, defaultValue, faceDefaults, doc, faces, parser);
        ALL.add(option);
        return option;
    }

    private static HarpOption<List<String>> list(String name, String cliFlag, String doc, EnumSet<Face> faces) {
        return add(name, cliFlag, List.class, List.of(), Map.of(), doc, faces, OptionCatalog::parseList);
    }

    private static HarpOption<Duration> seconds(String name, String cliFlag, long seconds, String doc) {
        return add(name, cliFlag, Duration.class, Duration.ofSeconds(seconds), Map.of(), doc + " (seconds)", CLI_MAVEN,
                text -> Duration.ofSeconds(Long.parseLong(text)));
    }

    private static List<String> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Boolean parseBoolean(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        throw new IllegalArgumentException("expected true or false");
    }
}
