package dev.harp;

import dev.harp.flow.FlowSink;
import dev.harp.har.Har;
import dev.harp.proxy.ProxyServer;
import dev.harp.record.Recorder;
import dev.harp.record.Redactor;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;
import dev.harp.upstream.UpstreamClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running Harp proxy. Start one with {@link #builder()}:
 *
 * <pre>{@code
 * try (Harp harp = Harp.builder().mode(Mode.RECORD).har(Path.of("flows.har")).port(0).start()) {
 *     // point clients at harp.address()
 * }
 * }</pre>
 *
 * <p>Closing it stops the listener and writes the HAR completely. A {@code Harp} is thread-safe.
 */
public final class Harp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Harp.class);

    private final HarpConfig config;
    private final ModeResolution mode;
    private final CertificateAuthority ca;
    private final ProxyServer server;
    private final AutoCloseable[] resources;
    private volatile boolean closed;

    private Harp(HarpConfig config, ModeResolution mode, CertificateAuthority ca, ProxyServer server,
                 AutoCloseable... resources) {
        this.config = config;
        this.mode = mode;
        this.ca = ca;
        this.server = server;
        this.resources = resources;
    }

    /** A builder with Harp's defaults: mode {@code auto}, port 8080 on 127.0.0.1, HAR {@code harp.har}. */
    public static HarpConfig.Builder builder() {
        return HarpConfig.builder();
    }

    /** Starts a proxy with the given configuration. */
    public static Harp start(HarpConfig config) throws IOException {
        ModeResolution mode = config.modeResolution();
        LOG.info("Harp mode {} ({})", mode.effective().cliName(), mode.source());
        CertificateAuthority ca = config.certificateAuthority();
        LeafCertificates leaves = new LeafCertificates(ca);
        ProxyServer.Interception tls = new ProxyServer.Interception(MitmTls.serverContext(leaves), config.noIntercept(),
                config.handshakeTimeout());
        UpstreamClient upstream = new UpstreamClient(config.upstreamSslContext(), config.upstreamConnectTimeout(),
                config.upstreamResponseTimeout());
        Recorder recorder = null;
        try {
            FlowSink sink = FlowSink.NONE;
            if (mode.effective() == Mode.RECORD) {
                checkWritable(config.har());
                recorder = new Recorder(config.har(), Har.newRecording(version()), Redactor.defaults(),
                        config.flushInterval(), null);
                sink = recorder;
            }
            ProxyServer server = ProxyServer.startForwarding(config.serverSettings(), tls, upstream, sink);
            return new Harp(config, mode, ca, server, recorder);
        } catch (IOException | RuntimeException e) {
            closeQuietly(recorder);
            upstream.close();
            throw e;
        }
    }

    /** Harp's version, from the jar manifest ({@code development} when run from classes). */
    public static String version() {
        String v = Harp.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Fails early, naming the file, when the HAR cannot be written where it should go. */
    static void checkWritable(Path har) throws IOException {
        Path dir = har.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".harp-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("cannot write the HAR file " + har + ": " + e.getMessage(), e);
        }
        if (Files.isDirectory(har)) {
            throw new IOException("cannot write the HAR file " + har + ": it is a directory");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    /** The port the proxy listens on (the real one when started with port 0). */
    public int port() {
        return server.address().getPort();
    }

    /** The address the proxy listens on, for {@code java.net.Proxy} and proxy selectors. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** The mode in force and where it came from. */
    public ModeResolution mode() {
        return mode;
    }

    /** The CA whose leaves Harp presents for HTTPS; clients must trust its {@link CertificateAuthority#certificate()}. */
    public CertificateAuthority certificateAuthority() {
        return ca;
    }

    /** The HAR file this proxy records to or replays from. */
    public Path har() {
        return config.har();
    }

    /** The configuration this proxy was started with. */
    public HarpConfig config() {
        return config;
    }

    /** Stops listening, ends open connections and writes the HAR completely. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue; // no recorder outside record mode
            }
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("Harp: closing {} failed: {}", r, e.toString());
            }
        }
    }
}
