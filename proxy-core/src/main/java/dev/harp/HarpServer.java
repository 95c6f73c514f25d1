package dev.harp;

import dev.harp.proxy.IoWarmUp;
import dev.harp.proxy.ProxyServer;
import dev.harp.replay.Miss;
import dev.harp.replay.ReplayResponse;
import dev.harp.replay.ReplaySummary;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.MitmTls;
import dev.harp.upstream.UpstreamClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A running Harp proxy. Start one with {@link #builder()}:
 *
 * <pre>{@code
 * try (HarpServer harp = HarpServer.builder().mode(Mode.RECORD).har(Path.of("flows.har")).port(0).start()) {
 *     // point clients at harp.address()
 * }
 * }</pre>
 *
 * <p>Closing it stops the listener and writes the HAR completely. A {@code HarpServer} is thread-safe.
 */
public final class HarpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HarpServer.class);

    private final HarpConfig config;
    private final CaLoading ca;
    private final SSLContext mitm;
    private final ProxyServer server;
    private final UpstreamClient upstream;
    private volatile Session session;
    private volatile boolean closed;

    private HarpServer(HarpConfig config, CaLoading ca, SSLContext mitm, ProxyServer server, UpstreamClient upstream,
                       Session session) {
        this.config = config;
        this.ca = ca;
        this.mitm = mitm;
        this.server = server;
        this.upstream = upstream;
        this.session = session;
    }

    /** A builder with Harp's defaults: mode {@code auto}, port 8080 on 127.0.0.1, HAR {@code harp.har}. */
    public static HarpConfig.Builder builder() {
        return HarpConfig.builder();
    }

    /** Starts a proxy with the given configuration. */
    public static HarpServer start(HarpConfig config) throws IOException {
        IoWarmUp.start(); // overlaps XNIO's start with the CA's loading
        ModeResolution mode = config.modeResolution();
        CaLoading caLoading = CaLoading.start(config); // read from disk while the listener is set up
        // the TLS material of interception is made after the start, in the background (see below)
        SSLContext mitm = MitmTls.deferredServerContext(caLoading::get);
        ProxyServer.Interception tls = new ProxyServer.Interception(mitm, config.noIntercept(), config.handshakeTimeout());
        UpstreamClient upstream = new UpstreamClient(config.values()::upstreamSslContext, config.upstreamConnectTimeout(),
                config.upstreamResponseTimeout());
        ProxyServer server;
        try {
            server = ProxyServer.start(config.values().serverSettings(), tls, upstream);
        } catch (IOException | RuntimeException e) {
            upstream.close();
            caLoading.settle();
            throw e;
        }
        try {
            readyToForward(config, upstream, mode);
            // an unusable CA stops the start here, before the HAR is opened (a recording would start it afresh); a CA
            // still being made elsewhere is waited for only by what needs it (a first CONNECT)
            if (config.pendingCertificateAuthority() == null) {
                caLoading.get();
            }
            Session session = Session.open(server, config, config.har(), mode);
            // listening: a first CONNECT, or a first forwarded request, waits for the TLS material only if it comes
            // before it is ready (made in the background when the session may intercept, else by a first CONNECT)
            prepareInterception(mitm, session, config);
            prepareUpstreamTls(upstream, mode);
            return new HarpServer(config, caLoading, mitm, server, upstream, session);
        } catch (IOException | RuntimeException e) {
            server.close();
            caLoading.settle();
            throw e;
        } catch (Throwable e) { // never leave a half-started proxy bound, whatever failed
            server.close();
            caLoading.settle();
            throw startFailure(config.har(), e);
        }
    }

    /**
     * Starts making the interception's TLS material (the CA's, for a CA still being made) in the background when the
     * session may intercept; otherwise a first CONNECT makes it. Once per proxy.
     */
    private static void prepareInterception(SSLContext mitm, Session session, HarpConfig config) {
        if (session.mayIntercept(config.matchOptions())) {
            MitmTls.prepareInBackground(mitm);
        }
    }

    /**
     * An {@link Error} while the HAR was loaded, as the exception {@link #start} (or {@link #switchTo}) throws:
     * exhausted heap or stack say so in one line naming the HAR; other errors are rethrown as they are.
     */
    private static IOException startFailure(Path har, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return new IOException("not enough memory to load " + har + " (" + e.getMessage()
                    + "); give the JVM more heap (-Xmx) or lower the capture limit", e);
        }
        if (e instanceof StackOverflowError) {
            return new IOException("cannot load " + har + ": the stack overflowed (StackOverflowError)", e);
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IOException("cannot load " + har + ": " + e, e);
    }

    /**
     * Moves this running proxy to another HAR and mode without restarting it: what the current HAR recorded is
     * written first, then the new one is loaded. Requests already in flight finish with the old HAR.
     *
     * @return the summary of the HAR being left (hits, misses, unused entries)
     */
    public synchronized ReplaySummary switchTo(Path har, ModeResolution newMode) throws IOException {
        if (closed) {
            throw new IllegalStateException("Harp is closed");
        }
        readyToForward(config, upstream, newMode);
        Session old = session;
        ReplaySummary summary = old.summary();
        old.close();
        try {
            session = Session.open(server, config, har, newMode);
            prepareInterception(mitm, session, config);
            prepareUpstreamTls(upstream, newMode);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw startFailure(har, e);
        }
        return summary;
    }

    /**
     * Reads the upstream TLS material (an {@code upstreamTrust} file) when the mode forwards, so a missing file fails
     * the start, or the switch, rather than the first request. Replay never reads it: a replay-only test passes on a
     * checkout without the file. Without such a file nothing can fail: the JDK's trust store is then loaded after the
     * start, in the background ({@link #prepareUpstreamTls}).
     */
    private static void readyToForward(HarpConfig config, UpstreamClient upstream, ModeResolution mode)
            throws IOException {
        if (mode.effective() == Mode.REPLAY || config.upstreamTrust() == null) {
            return;
        }
        try {
            upstream.tls();
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (upstream trust: mode " + mode.effective().cliName()
                    + " forwards to real servers and needs it; replay does not read it)", e);
        }
    }

    /**
     * Makes the TLS context towards upstreams on a background thread when the mode forwards: loading the JDK's trust
     * store is no part of a start, but a first forwarded request should not wait for it. A failure is left for that
     * request to report.
     */
    private static void prepareUpstreamTls(UpstreamClient upstream, ModeResolution mode) {
        if (mode.effective() == Mode.REPLAY) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                upstream.tls();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Harp could not prepare the upstream TLS context: {}", e.toString());
            }
        }, "harp-upstream-tls-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    /** Harp's version, from the jar manifest ({@code development} when run from classes). */
    public static String version() {
        String v = HarpServer.class.getPackage().getImplementationVersion();
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
        return session.mode();
    }

    /**
     * The CA whose leaves Harp presents for HTTPS; clients must trust its {@link CertificateAuthority#certificate()}.
     * Waits for a CA the configuration gave still being made.
     *
     * @throws UncheckedIOException when that CA could not be made for an I/O reason (other failures are rethrown as
     *                              they are)
     */
    public CertificateAuthority certificateAuthority() {
        try {
            return ca.get();
        } catch (IOException e) {
            throw new UncheckedIOException("Harp's CA could not be made: " + e.getMessage(), e);
        }
    }

    /** Requests that found no recorded response so far (replay mode; empty in other modes). */
    public List<Miss> misses() {
        return session.misses();
    }

    /** Recorded responses never served so far (replay and auto modes). */
    public List<ReplayResponse> unusedEntries() {
        return session.unused();
    }

    /**
     * Waits until every forwarded exchange in progress has reached the recorder, at most {@code limit}. A client can
     * hold its whole response a moment before Harp has recorded it; call this before reading
     * {@link #recordedEntries()} right after the last response.
     *
     * @return whether nothing is left in progress
     */
    public boolean awaitInFlight(java.time.Duration limit) {
        return session.awaitInFlight(limit.toMillis());
    }

    /** Entries recorded into the current HAR so far (record and auto modes). */
    public int recordedEntries() {
        return session.recorded();
    }

    /** Hits, misses and unused entries so far (all zero when not replaying). */
    public ReplaySummary replaySummary() {
        return session.summary();
    }

    /** The HAR file this proxy records to or replays from. */
    public Path har() {
        return session.har();
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
        try {
            session.close();
        } catch (IOException e) {
            LOG.error("Harp could not write {}: {}", session.har(), e.getMessage());
        }
    }
}
