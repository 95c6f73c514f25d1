package dev.harp.proxy;

import dev.harp.flow.FlowSink;
import dev.harp.upstream.UpstreamClient;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.HttpContinueAcceptingHandler;
import org.xnio.Options;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The listening side of Harp: an Undertow server whose root handler routes CONNECT to the tunnel and every
 * other request through the pipeline. Internal API: use {@code dev.harp.Harp}.
 */
public final class ProxyServer implements AutoCloseable {
    private final Undertow undertow;
    private final InetSocketAddress address;
    private final AutoCloseable[] owned;

    private ProxyServer(Undertow undertow, InetSocketAddress address, AutoCloseable... owned) {
        this.undertow = undertow;
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
     */
    public record Settings(String bindAddress, int port, URI reverseUpstream, int memoryThreshold, long captureLimit,
                           Duration idleTimeout, Duration requestTimeout) {
        /** Checks the values. */
        public Settings {
            Objects.requireNonNull(bindAddress, "bindAddress");
        }
    }

    /** Starts a forwarding proxy (record and passthrough). */
    public static ProxyServer startForwarding(Settings settings, UpstreamClient upstream, FlowSink sink) throws IOException {
        CaptureLimits limits = new CaptureLimits(settings.memoryThreshold(), settings.captureLimit());
        ExchangePipeline pipeline = new ForwardingPipeline(new Forwarder(upstream, limits, sink));
        return start(settings, pipeline, null, upstream);
    }

    static ProxyServer start(Settings s, ExchangePipeline pipeline, HttpHandler connect, AutoCloseable... owned)
            throws IOException {
        HttpHandler root = new HttpContinueAcceptingHandler(new EntryHandler(new Targets(s.reverseUpstream()), pipeline, connect));
        Undertow undertow = Undertow.builder()
                .addHttpListener(s.port(), s.bindAddress())
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(64)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) s.idleTimeout().toMillis())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) s.requestTimeout().toMillis())
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setHandler(root)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow.stop();
            Throwable c = e;
            while (c != null && !(c instanceof BindException)) {
                c = c.getCause();
            }
            if (c != null) {
                throw new PortInUseException(s.bindAddress(), s.port(), c);
            }
            throw new IOException("cannot listen on " + s.bindAddress() + ":" + s.port() + ": " + e.getMessage(), e);
        }
        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return new ProxyServer(undertow, bound, owned);
    }

    /** The address and port the proxy listens on. */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        undertow.stop();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
