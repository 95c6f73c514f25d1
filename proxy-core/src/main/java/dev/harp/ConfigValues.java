package dev.harp;

import dev.harp.options.Face;
import dev.harp.options.OptionCatalog;
import dev.harp.proxy.ProxyAuthCheck;
import dev.harp.proxy.ProxyServer;
import dev.harp.record.Redactor;
import dev.harp.replay.Latency;
import dev.harp.replay.MatchOptions;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.UpstreamTls;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The values behind {@link HarpConfig}: its {@link HarpConfig.Builder} fills one with the defaults and the options
 * given, {@link #frozen()} turns it into the immutable copy a {@code HarpConfig} keeps (collections copied, derived
 * defaults applied). Also the checks of the builder's setters and what the server is started with. Only this package
 * sees it; the builder's public setters and the config's public getters are the API.
 */
final class ConfigValues implements Cloneable {
    Mode mode;
    ModeResolution modeResolution;
    Map<String, String> environment = System.getenv();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, String> systemProperties = Map.copyOf((Map) System.getProperties());
    Path har = Path.of(OptionCatalog.HAR.defaultValue());
    int port = OptionCatalog.PORT.defaultValue();
    String bindAddress = OptionCatalog.BIND_ADDRESS.defaultValue();
    URI upstream;
    boolean insecureUpstream = OptionCatalog.INSECURE_UPSTREAM.defaultValue();
    Path upstreamTrust;
    List<String> noIntercept = List.of();
    long captureLimit = OptionCatalog.CAPTURE_LIMIT.defaultValue();
    int memoryThreshold = 1024 * 1024;
    Duration upstreamConnectTimeout = OptionCatalog.UPSTREAM_CONNECT_TIMEOUT.defaultValue();
    Duration upstreamResponseTimeout = OptionCatalog.UPSTREAM_RESPONSE_TIMEOUT.defaultValue();
    Duration idleTimeout = OptionCatalog.IDLE_TIMEOUT.defaultValue();
    Duration requestTimeout = OptionCatalog.REQUEST_TIMEOUT.defaultValue();
    Duration flushInterval = Duration.ofSeconds(1);
    Duration handshakeTimeout = OptionCatalog.HANDSHAKE_TIMEOUT.defaultValue();
    int maxConnections = OptionCatalog.MAX_CONNECTIONS.defaultValue();
    int maxHeaderSize = OptionCatalog.MAX_HEADER_SIZE.defaultValue();
    Path caDirectory;
    CertificateAuthority certificateAuthority;
    java.util.concurrent.Future<CertificateAuthority> pendingCertificateAuthority;
    MatchOptions matchOptions = MatchOptions.defaults();
    Latency latency = Latency.none();
    Redactor redactor = Redactor.defaults();
    boolean replayMissingHar;
    List<String> keepValues = new ArrayList<>();
    ProxyAuth proxyAuth;
    Face face;

    /**
     * An immutable snapshot for a {@link HarpConfig}: the builder may go on changing this one. Every field is either
     * immutable itself or replaced by an immutable copy here, so the shallow clone is a deep enough copy (and a field
     * added later is copied without being listed).
     */
    ConfigValues frozen() {
        ConfigValues f;
        try {
            f = (ConfigValues) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        f.environment = Map.copyOf(environment);
        f.systemProperties = Map.copyOf(systemProperties);
        f.noIntercept = List.copyOf(noIntercept);
        f.keepValues = List.copyOf(keepValues);
        f.maxConnections = maxConnections > 0 ? maxConnections : ConnectionLimits.defaultMaxConnections();
        f.matchOptions = face == null ? matchOptions : matchOptions.toBuilder().face(face).build();
        f.redactor = redactor.keepingValues(f.keepValues);
        return f;
    }

    static int checkPort(int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + value);
        }
        return value;
    }

    static URI checkUpstream(URI value) {
        if (value != null && (value.getScheme() == null || value.getHost() == null
                || !(value.getScheme().equalsIgnoreCase("http") || value.getScheme().equalsIgnoreCase("https")))) {
            throw new IllegalArgumentException("upstream must be an absolute http:// or https:// URL, not " + value);
        }
        return value;
    }

    static String checkKeepValue(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("keepValues: a name must not be blank");
        }
        return name.trim();
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
}
