package dev.harp.proxy;

import dev.harp.flow.FlowSink;
import dev.harp.replay.HarReplay;
import dev.harp.replay.Latency;
import dev.harp.upstream.UpstreamClient;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueAcceptingHandler;
import io.undertow.server.DefaultByteBufferPool;
import org.xnio.OptionMap;
import org.xnio.Options;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;

/**
 * The listening side of Harp: an Undertow server whose root handler routes CONNECT to the tunnel and every
 * other request through the pipeline. Internal API: use {@code dev.harp.HarpServer}.
 */
public final class ProxyServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProxyServer.class);
    private final Listener listener;
    private final InetSocketAddress address;
    private final AutoCloseable[] owned;
    private SwitchablePipeline pipeline;
    private UpstreamClient upstream;
    private CaptureLimits limits;
    private Duration requestTimeout;

    private ProxyServer(Listener listener, InetSocketAddress address, AutoCloseable... owned) {
        this.listener = listener;
        this.address = address;
        this.owned = owned;
    }

    /**
     * Listener settings.
     *
     * @param bindAddress     address to listen on
     * @param port            port, 0 for any free one
     * @param reverseUpstream base URL for reverse-proxy mode, or null
     * @param memoryThreshold body bytes kept on the heap per body before spilling to a temporary file
     * @param captureLimit    body bytes kept per body for the HAR
     * @param idleTimeout     how long an idle keep-alive connection stays open
     * @param requestTimeout  how long a client may take to send a request head
     * @param maxConnections  client connections accepted at once; beyond it new ones wait in the accept backlog
     * @param maxHeaderSize   largest request head accepted, in bytes
     * @param proxyAuth       the credentials clients must present, or null for none
     */
    public record Settings(String bindAddress, int port, URI reverseUpstream, int memoryThreshold, long captureLimit,
                           Duration idleTimeout, Duration requestTimeout, int maxConnections, int maxHeaderSize,
                           ProxyAuthCheck proxyAuth) {
        /** Checks the values. */
        public Settings {
            Objects.requireNonNull(bindAddress, "bindAddress");
        }
    }

    /**
     * HTTPS interception settings.
     *
     * @param serverContext     TLS server context whose key manager mints a leaf per host
     * @param noIntercept       host globs relayed as raw tunnels instead
     * @param handshakeTimeout  bound on the client's TLS handshake (and on its first byte after CONNECT)
     */
    public record Interception(SSLContext serverContext, List<String> noIntercept, Duration handshakeTimeout) {
        /** Copies the list. */
        public Interception {
            noIntercept = List.copyOf(noIntercept);
        }
    }

    /**
     * Starts listening. Until {@link #forward} or {@link #replay} picks what happens to requests, every request is
     * answered 503.
     *
     * @param upstream the client for forwarding modes; the proxy closes it on {@link #close()}
     */
    public static ProxyServer start(Settings settings, Interception tls, UpstreamClient upstream) throws IOException {
        SwitchablePipeline pipeline = new SwitchablePipeline();
        ProxyServer server = start(settings, tls, pipeline::networkAllowed, pipeline, upstream);
        server.pipeline = pipeline;
        server.upstream = upstream;
        server.limits = new CaptureLimits(settings.memoryThreshold(), settings.captureLimit());
        server.requestTimeout = settings.requestTimeout();
        return server;
    }

    /**
     * From now on, forward every request (record with a recorder as sink, passthrough with {@link FlowSink#NONE}).
     *
     * @throws IOException if the upstream TLS context cannot be read
     */
    public void forward(FlowSink sink) throws IOException {
        // passthrough records nothing: copying every body into a capture (and a temporary file past 1 MiB) is waste
        CaptureLimits kept = sink == FlowSink.NONE ? CaptureLimits.NOTHING : limits;
        pipeline.use(new ForwardingPipeline(
                new Forwarder(upstream.connections(), kept, sink, upstream.responseTimeout(), requestTimeout)), true);
    }

    /**
     * From now on, answer from a HAR. With a {@code recorder} (auto mode) misses are forwarded and recorded; with
     * null (replay mode) nothing touches the network, CONNECT included.
     *
     * @throws IOException with a recorder, if the upstream TLS context cannot be read
     */
    public void replay(HarReplay replay, Latency latency, FlowSink recorder) throws IOException {
        Forwarder forwarder = recorder == null ? null
                : new Forwarder(upstream.connections(), limits, recorder, upstream.responseTimeout(), requestTimeout);
        pipeline.use(new ReplayPipeline(replay, forwarder, recorder, latency, limits, requestTimeout),
                recorder != null);
    }

    static ProxyServer start(Settings s, Interception tls, BooleanSupplier networkAllowed, ExchangePipeline pipeline,
                             AutoCloseable... owned) throws IOException {
        DefaultByteBufferPool pool = new DefaultByteBufferPool(true, 16 * 1024);
        ConnectSlot connect = new ConnectSlot();
        HttpHandler root = new HttpContinueAcceptingHandler(new EntryHandler(new Targets(s.reverseUpstream()), pipeline, connect,
                s.proxyAuth()));
        if (tls != null) {
            OptionMap inner = httpOptions(s);
            MitmAcceptor mitm = new MitmAcceptor(tls.serverContext(), root, inner, pool, tls.handshakeTimeout());
            connect.tunnel = new ConnectTunnel(mitm, new HostGlobs(tls.noIntercept()).negate(), networkAllowed, pool,
                    tls.handshakeTimeout());
        }
        Listener listener;
        try {
            listener = Listener.start(s.bindAddress(), s.port(), Math.max(2, Runtime.getRuntime().availableProcessors()), 64,
                    httpOptions(s),
                    OptionMap.builder()
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.CONNECTION_HIGH_WATER, s.maxConnections())
                            .set(Options.CONNECTION_LOW_WATER, Math.max(1, s.maxConnections() * 9 / 10))
                            .getMap(),
                    pool, root);
        } catch (BindException e) {
            throw new PortInUseException(s.bindAddress(), s.port(), e);
        } catch (IOException | RuntimeException e) {
            Throwable c = e;
            while (c != null && !(c instanceof BindException)) {
                c = c.getCause();
            }
            if (c != null) {
                throw new PortInUseException(s.bindAddress(), s.port(), c);
            }
            throw new IOException("cannot listen on " + s.bindAddress() + ":" + s.port() + ": " + e.getMessage(), e);
        }
        InetSocketAddress bound = listener.address();
        warnIfExposed(s.bindAddress(), bound, s.proxyAuth() != null);
        AutoCloseable[] all = java.util.Arrays.copyOf(owned, owned.length + 1);
        all[owned.length] = pool;
        return new ProxyServer(listener, bound, all);
    }

    /** A listener other machines can reach is worth a word: it relays for anyone who can connect to it. */
    private static void warnIfExposed(String bind, InetSocketAddress bound, boolean authenticated) {
        if (bound.getAddress() == null || bound.getAddress().isLoopbackAddress()) {
            return;
        }
        String where = (bind.indexOf(':') >= 0 && !bind.startsWith("[") ? "[" + bind + "]" : bind) + ":" + bound.getPort();
        if (authenticated) {
            LOG.warn("Harp listens on {}, reachable from other machines; clients must present the proxy credentials"
                    + " (--proxy-auth). Whoever has them can reach this machine's loopback-only services and open raw"
                    + " tunnels through it. Bind to 127.0.0.1 (the default) unless other machines need it.", where);
        } else {
            LOG.warn("Harp listens on {}, reachable from other machines, WITHOUT authentication: anyone who can connect"
                    + " can use it to reach this machine's loopback-only services and other hosts, open raw tunnels"
                    + " through it and see what it replays. Bind to 127.0.0.1 (the default), or require credentials"
                    + " with --proxy-auth USER:PASSWORD (or HARP_PROXY_AUTH) and firewall the port.", where);
        }
    }

    /** The CONNECT handler, set once interception is built (it needs the root handler for its inner listeners). */
    private static final class ConnectSlot implements HttpHandler {
        private HttpHandler tunnel;

        @Override
        public void handleRequest(io.undertow.server.HttpServerExchange ex) throws Exception {
            if (tunnel == null) {
                Exchanges.sendPlain(ex, 405, "Harp: HTTPS interception is not enabled on this proxy");
            } else {
                tunnel.handleRequest(ex);
            }
        }
    }

    /** The address and port the proxy listens on. */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        listener.stop();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** The HTTP parser options of both listeners (the outer one and the one inside intercepted tunnels). */
    private static OptionMap httpOptions(Settings s) {
        return OptionMap.builder()
                .set(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .set(UndertowOptions.DECODE_URL, false)
                .set(UndertowOptions.ALWAYS_SET_DATE, false)
                .set(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) s.idleTimeout().toMillis())
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) s.requestTimeout().toMillis())
                .set(UndertowOptions.MAX_HEADER_SIZE, s.maxHeaderSize())
                .getMap();
    }
}
