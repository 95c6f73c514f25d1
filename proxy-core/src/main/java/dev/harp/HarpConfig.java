package dev.harp;

import dev.harp.replay.Latency;
import dev.harp.options.OptionCatalog;
import dev.harp.record.Redactor;
import dev.harp.replay.MatchOptions;
import dev.harp.tls.CertificateAuthority;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    private final ConfigValues v;

    private HarpConfig(Builder b) {
        this.v = b.v.frozen();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The mode in force: an explicit resolution if one was given, else resolved from the configured mode. */
    public ModeResolution modeResolution() {
        return v.modeResolution != null ? v.modeResolution
                : ModeResolution.resolve(null, v.mode, v.systemProperties, v.environment);
    }

    /** The HAR file recorded to or replayed from. */
    public Path har() {
        return v.har;
    }

    /** The listening port (0 = any free port). */
    public int port() {
        return v.port;
    }

    /** The listening address. */
    public String bindAddress() {
        return v.bindAddress;
    }

    /** The reverse-proxy base URL, or null for a forward proxy. */
    public URI upstream() {
        return v.upstream;
    }

    /** Whether any upstream certificate is accepted. */
    public boolean insecureUpstream() {
        return v.insecureUpstream;
    }

    /** An extra PEM file of CA certificates trusted for upstreams, or null. */
    public Path upstreamTrust() {
        return v.upstreamTrust;
    }

    /** Host globs tunnelled without interception. */
    public List<String> noIntercept() {
        return v.noIntercept;
    }

    /** Body bytes kept per body for the HAR. */
    public long captureLimit() {
        return v.captureLimit;
    }

    /** Bound on connecting to an upstream. */
    public Duration upstreamConnectTimeout() {
        return v.upstreamConnectTimeout;
    }

    /** Bound on waiting for an upstream's response head. */
    public Duration upstreamResponseTimeout() {
        return v.upstreamResponseTimeout;
    }

    /** How often, at most, the HAR is rewritten while recording. */
    public Duration flushInterval() {
        return v.flushInterval;
    }

    /** How replay matches requests to recorded entries. */
    public MatchOptions matchOptions() {
        return v.matchOptions;
    }

    /** Latency simulation for replayed responses. */
    public Latency latency() {
        return v.latency;
    }

    /** What is redacted at record time ({@link #keepValues()} included). */
    public Redactor redactor() {
        return v.redactor;
    }

    /** Whether replaying a HAR that does not exist replays nothing instead of failing the start. */
    public boolean replayMissingHar() {
        return v.replayMissingHar;
    }

    /** Names whose values are recorded as they are, not redacted (e.g. a login answer's {@code session}). */
    public List<String> keepValues() {
        return v.keepValues;
    }

    /** Client connections accepted at once (beyond it, new connections wait in the accept backlog). */
    public int maxConnections() {
        return v.maxConnections;
    }

    /** Largest request head accepted, in bytes. */
    public int maxHeaderSize() {
        return v.maxHeaderSize;
    }

    /** How long an idle keep-alive client connection stays open. */
    public Duration idleTimeout() {
        return v.idleTimeout;
    }

    /** How long a client may take to send a request head. */
    public Duration requestTimeout() {
        return v.requestTimeout;
    }

    /** Bound on a client's TLS handshake inside a CONNECT tunnel. */
    public Duration handshakeTimeout() {
        return v.handshakeTimeout;
    }

    /** The CA folder: the configured one, else {@code $HARP_CA_DIR}, else {@code ~/.harp}. */
    public Path caDirectory() {
        return v.caDirectory != null ? v.caDirectory : CertificateAuthority.defaultDirectory(v.environment);
    }

    /**
     * The CA to use: the one given (waiting for one still being made), else loaded from (or created in)
     * {@link #caDirectory()}.
     */
    public CertificateAuthority certificateAuthority() throws IOException {
        if (v.certificateAuthority != null) {
            return v.certificateAuthority;
        }
        return v.pendingCertificateAuthority != null ? CaLoading.await(v.pendingCertificateAuthority)
                : CertificateAuthority.loadOrCreate(caDirectory());
    }

    /** Whether the configuration holds a CA ready to use ({@link #certificateAuthority()} then reads nothing). */
    boolean hasCertificateAuthority() {
        return v.certificateAuthority != null;
    }

    /** The CA still being made that the configuration holds (the proxy listens without waiting for it), or null. */
    java.util.concurrent.Future<CertificateAuthority> pendingCertificateAuthority() {
        return v.certificateAuthority == null ? v.pendingCertificateAuthority : null;
    }

    /** The credentials clients must present ({@code Proxy-Authorization: Basic}), or null when none are needed. */
    public ProxyAuth proxyAuth() {
        return v.proxyAuth;
    }

    /** The values, for what this package derives from them (the server's settings, the upstream TLS context). */
    ConfigValues values() {
        return v;
    }

    /** Collects options; every setter returns the builder. Not thread-safe. */
    public static final class Builder {
        private final ConfigValues v = new ConfigValues();

        private Builder() {
        }

        /** The mode asked for; {@code harp.mode} and {@code HARP_MODE} still override it. Default {@code auto}. */
        public Builder mode(Mode value) {
            v.mode = value;
            return this;
        }

        /** A mode already resolved (the command line's explicit {@code --mode}); overrides {@link #mode}. */
        public Builder modeResolution(ModeResolution value) {
            v.modeResolution = value;
            return this;
        }

        /** The environment used to resolve the mode ({@code HARP_MODE}, {@code CI}); default the real one. */
        public Builder environment(Map<String, String> value) {
            v.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        /** The system properties used to resolve the mode ({@code harp.mode}); default the real ones. */
        public Builder systemProperties(Map<String, String> value) {
            v.systemProperties = Objects.requireNonNull(value, "systemProperties");
            return this;
        }

        /** The HAR file. Default {@code harp.har} in the working directory. */
        public Builder har(Path value) {
            v.har = Objects.requireNonNull(value, "har");
            return this;
        }

        /** The port, 0 for any free port. Default 8080. */
        public Builder port(int value) {
            v.port = ConfigValues.checkPort(value);
            return this;
        }

        /** The address to listen on. Default 127.0.0.1. */
        public Builder bindAddress(String value) {
            v.bindAddress = Objects.requireNonNull(value, "bindAddress");
            return this;
        }

        /** Reverse-proxy mode: requests to Harp's own address go to this base URL. */
        public Builder upstream(URI value) {
            v.upstream = ConfigValues.checkUpstream(value);
            return this;
        }

        /** Accept any upstream certificate (self-signed test servers). Default false. */
        public Builder insecureUpstream(boolean value) {
            v.insecureUpstream = value;
            return this;
        }

        /** Also trust the CA certificates in this PEM file for upstreams. */
        public Builder upstreamTrust(Path pemFile) {
            v.upstreamTrust = pemFile;
            return this;
        }

        /** Host globs (e.g. {@code *.pinned.example}) tunnelled without interception. */
        public Builder noIntercept(List<String> hostGlobs) {
            v.noIntercept = List.copyOf(hostGlobs);
            return this;
        }

        /** Body bytes kept per body for the HAR; larger bodies stream through in full but are not stored. Default 16 MiB. */
        public Builder captureLimit(long bytes) {
            v.captureLimit = bytes;
            return this;
        }

        /** Body bytes kept on the heap before a capture spills to a temporary file. Default 1 MiB. */
        public Builder memoryThreshold(int bytes) {
            v.memoryThreshold = bytes;
            return this;
        }

        /** Bound on connecting to an upstream. Default 10 s. */
        public Builder upstreamConnectTimeout(Duration value) {
            v.upstreamConnectTimeout = value;
            return this;
        }

        /** Bound on waiting for an upstream's response head. Default 60 s. */
        public Builder upstreamResponseTimeout(Duration value) {
            v.upstreamResponseTimeout = value;
            return this;
        }

        /** How long an idle keep-alive client connection stays open. Default 60 s. */
        public Builder idleTimeout(Duration value) {
            v.idleTimeout = value;
            return this;
        }

        /** How long a client may take to send a request head. Default 30 s. */
        public Builder requestTimeout(Duration value) {
            v.requestTimeout = value;
            return this;
        }

        /** How often, at most, the HAR is rewritten while recording. Default 1 s. */
        public Builder flushInterval(Duration value) {
            v.flushInterval = value;
            return this;
        }

        /** Bound on a client's TLS handshake inside a CONNECT tunnel. Default 10 s. */
        public Builder handshakeTimeout(Duration value) {
            v.handshakeTimeout = value;
            return this;
        }

        /**
         * Client connections accepted at once; beyond it new connections wait in the kernel's accept backlog until
         * others close. Default: a third of the descriptor limit minus a reserve (each intercepted connection needs
         * up to three descriptors: client, upstream, pool), at most 10,000.
         */
        public Builder maxConnections(int value) {
            v.maxConnections = value;
            return this;
        }

        /** Largest request head accepted, in bytes (larger heads get 431/400). Default 64 KiB. */
        public Builder maxHeaderSize(int value) {
            v.maxHeaderSize = value;
            return this;
        }

        /** Where the CA lives ({@code harp-ca.pem}, {@code harp-ca-key.pem}). Default {@code $HARP_CA_DIR}, else {@code ~/.harp}. */
        public Builder caDirectory(Path value) {
            v.caDirectory = value;
            return this;
        }

        /** A CA to use instead of the CA folder, e.g. {@link CertificateAuthority#inMemory()} for tests. */
        public Builder certificateAuthority(CertificateAuthority value) {
            v.certificateAuthority = value;
            v.pendingCertificateAuthority = null;
            return this;
        }

        /**
         * A CA to use instead of the CA folder that may still be being made (say {@link CertificateAuthority#inMemory()}
         * on a thread of its own): the proxy listens without waiting for it; a first intercepted CONNECT, and
         * {@link HarpServer#certificateAuthority()}, wait for it. A CA that fails then fails those, not the start.
         */
        public Builder certificateAuthority(java.util.concurrent.Future<CertificateAuthority> value) {
            v.pendingCertificateAuthority = Objects.requireNonNull(value, "certificateAuthority");
            v.certificateAuthority = null;
            return this;
        }

        /** How replay matches requests (ignored query parameters, JSON paths, headers, host aliases, sequences). */
        public Builder matchOptions(MatchOptions value) {
            v.matchOptions = Objects.requireNonNull(value, "matchOptions");
            return this;
        }

        /**
         * The face Harp is configured through ({@code CLI}, {@code JUNIT}, {@code MAVEN}): replay misses suggest
         * options in its spelling ({@code --ignore-query-param ts}, {@code ignoreQueryParams = "ts"},
         * {@code <ignoreQueryParams>ts</ignoreQueryParams>}). Default: the CLI's and the Java builders' together.
         */
        public Builder face(dev.harp.options.Face value) {
            v.face = value;
            return this;
        }

        /** Latency simulation for replayed responses: none (default), recorded, or fixed. */
        public Builder latency(Latency value) {
            v.latency = Objects.requireNonNull(value, "latency");
            return this;
        }

        /** What to redact at record time. Default {@link Redactor#defaults()}. */
        public Builder redactor(Redactor value) {
            v.redactor = Objects.requireNonNull(value, "redactor");
            return this;
        }

        /**
         * In replay, a HAR that does not exist replays nothing (every request is a miss naming that file) instead of
         * failing the start. Default false: the command line reports a missing HAR at once. For test frameworks that
         * report a fixture not recorded yet themselves, as the JUnit extension does.
         */
        public Builder replayMissingHar(boolean value) {
            v.replayMissingHar = value;
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
                v.keepValues.add(ConfigValues.checkKeepValue(n));
            }
            return this;
        }

        /** See {@link #keepValues(java.util.Collection)}. */
        public Builder keepValues(String... names) {
            return keepValues(List.of(names));
        }

        /** Requires clients to present these credentials ({@code Proxy-Authorization: Basic}); null for none. */
        public Builder proxyAuth(ProxyAuth value) {
            v.proxyAuth = value;
            return this;
        }

        /** Requires clients to present {@code USER:PASSWORD} ({@code Proxy-Authorization: Basic}); null for none. */
        public Builder proxyAuth(String userColonPassword) {
            v.proxyAuth = userColonPassword == null ? null : ProxyAuth.parse(userColonPassword);
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
