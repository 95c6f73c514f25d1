package dev.harp;

import dev.harp.replay.Latency;
import dev.harp.proxy.ProxyAuthCheck;
import dev.harp.proxy.ProxyServer;
import dev.harp.options.OptionCatalog;
import dev.harp.record.Redactor;
import dev.harp.replay.MatchOptions;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.UpstreamTls;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Everything a Harp proxy is started with: one option vocabulary and one set of defaults shared by the
 * command line, the JUnit extension and the Maven plugin. Immutable; build one with {@link #builder()}. The options'
 * names and defaults are declared in {@link OptionCatalog}.
 */
public final class HarpConfig {
    /** Default port of the command line and the Maven plugin. */
    public static final int DEFAULT_PORT = OptionCatalog.PORT.defaultValue();
    /** Default bind address: only this machine can use the proxy. */
    public static final String DEFAULT_BIND = OptionCatalog.BIND_ADDRESS.defaultValue();

    private final Mode mode;
    private final ModeResolution modeResolution;
    private final Map<String, String> environment;
    private final Map<String, String> systemProperties;
    private final Path har;
    private final int port;
    private final String bindAddress;
    private final URI upstream;
    private final boolean insecureUpstream;
    private final Path upstreamTrust;
    private final List<String> noIntercept;
    private final long captureLimit;
    private final int memoryThreshold;
    private final Duration upstreamConnectTimeout;
    private final Duration upstreamResponseTimeout;
    private final Duration idleTimeout;
    private final Duration requestTimeout;
    private final Duration flushInterval;
    private final Duration handshakeTimeout;
    private final int maxConnections;
    private final int maxHeaderSize;
    private final Path caDirectory;
    private final CertificateAuthority certificateAuthority;
    private final MatchOptions matchOptions;
    private final Latency latency;
    private final Redactor redactor;
    private final boolean replayMissingHar;
    private final List<String> keepValues;
    private final ProxyAuth proxyAuth;

    private HarpConfig(Builder b) {
        this.mode = b.mode;
        this.modeResolution = b.modeResolution;
        this.environment = Map.copyOf(b.environment);
        this.systemProperties = Map.copyOf(b.systemProperties);
        this.har = b.har;
        this.port = b.port;
        this.bindAddress = b.bindAddress;
        this.upstream = b.upstream;
        this.insecureUpstream = b.insecureUpstream;
        this.upstreamTrust = b.upstreamTrust;
        this.noIntercept = List.copyOf(b.noIntercept);
        this.captureLimit = b.captureLimit;
        this.memoryThreshold = b.memoryThreshold;
        this.upstreamConnectTimeout = b.upstreamConnectTimeout;
        this.upstreamResponseTimeout = b.upstreamResponseTimeout;
        this.idleTimeout = b.idleTimeout;
        this.requestTimeout = b.requestTimeout;
        this.flushInterval = b.flushInterval;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxConnections = b.maxConnections > 0 ? b.maxConnections : ConnectionLimits.defaultMaxConnections();
        this.maxHeaderSize = b.maxHeaderSize;
        this.caDirectory = b.caDirectory;
        this.certificateAuthority = b.certificateAuthority;
        this.matchOptions = b.face == null ? b.matchOptions : b.matchOptions.toBuilder().face(b.face).build();
        this.latency = b.latency;
        this.replayMissingHar = b.replayMissingHar;
        this.keepValues = List.copyOf(b.keepValues);
        this.redactor = b.redactor.keepingValues(keepValues);
        this.proxyAuth = b.proxyAuth;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The mode in force: an explicit resolution if one was given, else resolved from the configured mode. */
    public ModeResolution modeResolution() {
        return modeResolution != null ? modeResolution
                : ModeResolution.resolve(null, mode, systemProperties, environment);
    }

    /** The HAR file recorded to or replayed from. */
    public Path har() {
        return har;
    }

    /** The listening port (0 = any free port). */
    public int port() {
        return port;
    }

    /** The listening address. */
    public String bindAddress() {
        return bindAddress;
    }

    /** The reverse-proxy base URL, or null for a forward proxy. */
    public URI upstream() {
        return upstream;
    }

    /** Whether any upstream certificate is accepted. */
    public boolean insecureUpstream() {
        return insecureUpstream;
    }

    /** An extra PEM file of CA certificates trusted for upstreams, or null. */
    public Path upstreamTrust() {
        return upstreamTrust;
    }

    /** Host globs tunnelled without interception. */
    public List<String> noIntercept() {
        return noIntercept;
    }

    /** Body bytes kept per body for the HAR. */
    public long captureLimit() {
        return captureLimit;
    }

    /** Bound on connecting to an upstream. */
    public Duration upstreamConnectTimeout() {
        return upstreamConnectTimeout;
    }

    /** Bound on waiting for an upstream's response head. */
    public Duration upstreamResponseTimeout() {
        return upstreamResponseTimeout;
    }

    /** How often, at most, the HAR is rewritten while recording. */
    public Duration flushInterval() {
        return flushInterval;
    }

    /** How replay matches requests to recorded entries. */
    public MatchOptions matchOptions() {
        return matchOptions;
    }

    /** Latency simulation for replayed responses. */
    public Latency latency() {
        return latency;
    }

    /** What is redacted at record time ({@link #keepValues()} included). */
    public Redactor redactor() {
        return redactor;
    }

    /** Whether replaying a HAR that does not exist replays nothing instead of failing the start. */
    public boolean replayMissingHar() {
        return replayMissingHar;
    }

    /** Names whose values are recorded as they are, not redacted (e.g. a login answer's {@code session}). */
    public List<String> keepValues() {
        return keepValues;
    }

    /** Client connections accepted at once (beyond it, new connections wait in the accept backlog). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Largest request head accepted, in bytes. */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** How long an idle keep-alive client connection stays open. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long a client may take to send a request head. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Bound on a client's TLS handshake inside a CONNECT tunnel. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The CA folder: the configured one, else {@code $HARP_CA_DIR}, else {@code ~/.harp}. */
    public Path caDirectory() {
        return caDirectory != null ? caDirectory : CertificateAuthority.defaultDirectory(environment);
    }

    /** The CA to use: the one given, else loaded from (or created in) {@link #caDirectory()}. */
    public CertificateAuthority certificateAuthority() throws IOException {
        return certificateAuthority != null ? certificateAuthority : CertificateAuthority.loadOrCreate(caDirectory());
    }

    /** The credentials clients must present ({@code Proxy-Authorization: Basic}), or null when none are needed. */
    public ProxyAuth proxyAuth() {
        return proxyAuth;
    }

    ProxyServer.Settings serverSettings() {
        return new ProxyServer.Settings(bindAddress, port, upstream, memoryThreshold, captureLimit, idleTimeout, requestTimeout,
                maxConnections, maxHeaderSize,
                proxyAuth == null ? null : new ProxyAuthCheck(proxyAuth.user(), proxyAuth.password()));
    }

    SSLContext upstreamSslContext() throws IOException {
        if (insecureUpstream) {
            return UpstreamTls.insecure();
        }
        return upstreamTrust != null ? UpstreamTls.withExtraTrust(upstreamTrust) : UpstreamTls.verified();
    }

    /** Collects options; every setter returns the builder. Not thread-safe. */
    public static final class Builder {
        private Mode mode;
        private ModeResolution modeResolution;
        private Map<String, String> environment = System.getenv();
        @SuppressWarnings({"unchecked", "rawtypes"})
        private Map<String, String> systemProperties = Map.copyOf((Map) System.getProperties());
        private Path har = Path.of(OptionCatalog.HAR.defaultValue());
        private int port = DEFAULT_PORT;
        private String bindAddress = DEFAULT_BIND;
        private URI upstream;
        private boolean insecureUpstream = OptionCatalog.INSECURE_UPSTREAM.defaultValue();
        private Path upstreamTrust;
        private List<String> noIntercept = List.of();
        private long captureLimit = OptionCatalog.CAPTURE_LIMIT.defaultValue();
        private int memoryThreshold = 1024 * 1024;
        private Duration upstreamConnectTimeout = OptionCatalog.UPSTREAM_CONNECT_TIMEOUT.defaultValue();
        private Duration upstreamResponseTimeout = OptionCatalog.UPSTREAM_RESPONSE_TIMEOUT.defaultValue();
        private Duration idleTimeout = OptionCatalog.IDLE_TIMEOUT.defaultValue();
        private Duration requestTimeout = OptionCatalog.REQUEST_TIMEOUT.defaultValue();
        private Duration flushInterval = Duration.ofSeconds(1);
        private Duration handshakeTimeout = OptionCatalog.HANDSHAKE_TIMEOUT.defaultValue();
        private int maxConnections = OptionCatalog.MAX_CONNECTIONS.defaultValue();
        private int maxHeaderSize = OptionCatalog.MAX_HEADER_SIZE.defaultValue();
        private Path caDirectory;
        private CertificateAuthority certificateAuthority;
        private MatchOptions matchOptions = MatchOptions.defaults();
        private Latency latency = Latency.none();
        private Redactor redactor = Redactor.defaults();
        private boolean replayMissingHar;
        private final List<String> keepValues = new java.util.ArrayList<>();
        private ProxyAuth proxyAuth;
        private dev.harp.options.Face face;

        private Builder() {
        }

        /** The mode asked for; {@code harp.mode} and {@code HARP_MODE} still override it. Default {@code auto}. */
        public Builder mode(Mode value) {
            this.mode = value;
            return this;
        }

        /** A mode already resolved (the command line's explicit {@code --mode}); overrides {@link #mode}. */
        public Builder modeResolution(ModeResolution value) {
            this.modeResolution = value;
            return this;
        }

        /** The environment used to resolve the mode ({@code HARP_MODE}, {@code CI}); default the real one. */
        public Builder environment(Map<String, String> value) {
            this.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        /** The system properties used to resolve the mode ({@code harp.mode}); default the real ones. */
        public Builder systemProperties(Map<String, String> value) {
            this.systemProperties = Objects.requireNonNull(value, "systemProperties");
            return this;
        }

        /** The HAR file. Default {@code harp.har} in the working directory. */
        public Builder har(Path value) {
            this.har = Objects.requireNonNull(value, "har");
            return this;
        }

        /** The port, 0 for any free port. Default 8080. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, not " + value);
            }
            this.port = value;
            return this;
        }

        /** The address to listen on. Default 127.0.0.1. */
        public Builder bindAddress(String value) {
            this.bindAddress = Objects.requireNonNull(value, "bindAddress");
            return this;
        }

        /** Reverse-proxy mode: requests to Harp's own address go to this base URL. */
        public Builder upstream(URI value) {
            if (value != null && (value.getScheme() == null || value.getHost() == null
                    || !(value.getScheme().equalsIgnoreCase("http") || value.getScheme().equalsIgnoreCase("https")))) {
                throw new IllegalArgumentException("upstream must be an absolute http:// or https:// URL, not " + value);
            }
            this.upstream = value;
            return this;
        }

        /** Accept any upstream certificate (self-signed test servers). Default false. */
        public Builder insecureUpstream(boolean value) {
            this.insecureUpstream = value;
            return this;
        }

        /** Also trust the CA certificates in this PEM file for upstreams. */
        public Builder upstreamTrust(Path pemFile) {
            this.upstreamTrust = pemFile;
            return this;
        }

        /** Host globs (e.g. {@code *.pinned.example}) tunnelled without interception. */
        public Builder noIntercept(List<String> hostGlobs) {
            this.noIntercept = List.copyOf(hostGlobs);
            return this;
        }

        /** Body bytes kept per body for the HAR; larger bodies stream through in full but are not stored. Default 16 MiB. */
        public Builder captureLimit(long bytes) {
            this.captureLimit = bytes;
            return this;
        }

        /** Body bytes kept on the heap before a capture spills to a temporary file. Default 1 MiB. */
        public Builder memoryThreshold(int bytes) {
            this.memoryThreshold = bytes;
            return this;
        }

        /** Bound on connecting to an upstream. Default 10 s. */
        public Builder upstreamConnectTimeout(Duration value) {
            this.upstreamConnectTimeout = value;
            return this;
        }

        /** Bound on waiting for an upstream's response head. Default 60 s. */
        public Builder upstreamResponseTimeout(Duration value) {
            this.upstreamResponseTimeout = value;
            return this;
        }

        /** How long an idle keep-alive client connection stays open. Default 60 s. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        /** How long a client may take to send a request head. Default 30 s. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** How often, at most, the HAR is rewritten while recording. Default 1 s. */
        public Builder flushInterval(Duration value) {
            this.flushInterval = value;
            return this;
        }

        /** Bound on a client's TLS handshake inside a CONNECT tunnel. Default 10 s. */
        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = value;
            return this;
        }

        /**
         * Client connections accepted at once; beyond it new connections wait in the kernel's accept backlog until
         * others close. Default: a third of the descriptor limit minus a reserve (each intercepted connection needs
         * up to three descriptors: client, upstream, pool), at most 10,000.
         */
        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /** Largest request head accepted, in bytes (larger heads get 431/400). Default 64 KiB. */
        public Builder maxHeaderSize(int value) {
            this.maxHeaderSize = value;
            return this;
        }

        /** Where the CA lives ({@code harp-ca.pem}, {@code harp-ca-key.pem}). Default {@code $HARP_CA_DIR}, else {@code ~/.harp}. */
        public Builder caDirectory(Path value) {
            this.caDirectory = value;
            return this;
        }

        /** A CA to use instead of the CA folder, e.g. {@link CertificateAuthority#inMemory()} for tests. */
        public Builder certificateAuthority(CertificateAuthority value) {
            this.certificateAuthority = value;
            return this;
        }

        /** How replay matches requests (ignored query parameters, JSON paths, headers, host aliases, sequences). */
        public Builder matchOptions(MatchOptions value) {
            this.matchOptions = Objects.requireNonNull(value, "matchOptions");
            return this;
        }

        /**
         * The face Harp is configured through ({@code CLI}, {@code JUNIT}, {@code MAVEN}): replay misses suggest
         * options in its spelling ({@code --ignore-query-param ts}, {@code ignoreQueryParams = "ts"},
         * {@code <ignoreQueryParams>ts</ignoreQueryParams>}). Default: the CLI's and the Java builders' together.
         */
        public Builder face(dev.harp.options.Face value) {
            this.face = value;
            return this;
        }

        /** Latency simulation for replayed responses: none (default), recorded, or fixed. */
        public Builder latency(Latency value) {
            this.latency = Objects.requireNonNull(value, "latency");
            return this;
        }

        /** What to redact at record time. Default {@link Redactor#defaults()}. */
        public Builder redactor(Redactor value) {
            this.redactor = Objects.requireNonNull(value, "redactor");
            return this;
        }

        /**
         * In replay, a HAR that does not exist replays nothing (every request is a miss naming that file) instead of
         * failing the start. Default false: the command line reports a missing HAR at once. For test frameworks that
         * report a fixture not recorded yet themselves, as the JUnit extension does.
         */
        public Builder replayMissingHar(boolean value) {
            this.replayMissingHar = value;
            return this;
        }

        /**
         * Names (JSON members, form and query fields, multipart fields, headers, cookies; case-insensitive) whose
         * values are recorded as they are instead of {@code REDACTED}: for values a test reads back from a recorded
         * response, such as a login answer's {@code session}. Adds to the names given before. Never use it for a real
         * credential: the HAR will hold it.
         */
        public Builder keepValues(java.util.Collection<String> names) {
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException("keepValues: a name must not be blank");
                }
                keepValues.add(n.trim());
            }
            return this;
        }

        /** See {@link #keepValues(java.util.Collection)}. */
        public Builder keepValues(String... names) {
            return keepValues(List.of(names));
        }

        /** Requires clients to present these credentials ({@code Proxy-Authorization: Basic}); null for none. */
        public Builder proxyAuth(ProxyAuth value) {
            this.proxyAuth = value;
            return this;
        }

        /** Requires clients to present {@code USER:PASSWORD} ({@code Proxy-Authorization: Basic}); null for none. */
        public Builder proxyAuth(String userColonPassword) {
            this.proxyAuth = userColonPassword == null ? null : ProxyAuth.parse(userColonPassword);
            return this;
        }

        /** The immutable configuration. */
        public HarpConfig build() {
            return new HarpConfig(this);
        }

        /** Builds the configuration and starts a proxy with it. */
        public HarpServer start() throws IOException {
            return HarpServer.start(build());
        }
    }
}
