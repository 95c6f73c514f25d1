package dev.harp.proxy;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Buffers;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Answers CONNECT with 200 at once (never connecting upstream first, so replay touches no network), takes over
 * the raw connection and looks at its first bytes: a TLS record goes to the MITM acceptor, an HTTP request line to a
 * plain HTTP listener of the same pipeline (so {@code ws://} through a proxy is relayed and recorded like the rest),
 * anything else (or a host excluded from interception) is relayed as a raw tunnel.
 */
final class ConnectTunnel implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectTunnel.class);
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    /** Bytes enough for the longest method Harp recognizes ({@code OPTIONS}) and its space. */
    private static final int HTTP_SNIFF = 8;

    private final MitmAcceptor mitm;
    private final Predicate<String> intercepted;
    private final BooleanSupplier networkAllowed;
    private final ByteBufferPool pool;
    private final Duration firstByteTimeout;

    ConnectTunnel(MitmAcceptor mitm, Predicate<String> intercepted, BooleanSupplier networkAllowed, ByteBufferPool pool,
                  Duration firstByteTimeout) {
        this.mitm = mitm;
        this.intercepted = intercepted;
        this.networkAllowed = networkAllowed;
        this.pool = pool;
        this.firstByteTimeout = firstByteTimeout;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        Target target = parse(ex.getRequestURI());
        if (target == null) {
            Exchanges.sendPlain(ex, 400, "Harp: CONNECT needs host:port, not '" + ex.getRequestURI() + "'");
            return;
        }
        boolean intercept = intercepted.test(target.host());
        if (!intercept && !networkAllowed.getAsBoolean()) {
            Exchanges.sendPlain(ex, 502, "Harp: " + target.host() + " is excluded from interception, and replay mode"
                    + " never connects to the network");
            return;
        }
        ex.acceptConnectRequest((raw, e) -> {
            if (intercept) {
                sniff(raw, target);
            } else {
                RawTunnel.open(raw, target, pool);
            }
        });
        // HTTP/1.0 CONNECT (Python's http.client) would otherwise be non-persistent and the tunnel closed at once
        ex.setPersistent(true);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, "0");
        ex.setStatusCode(200);
        ex.endExchange();
    }

    /**
     * Reads the first bytes of the tunnel (a TLS record's first byte, or up to an HTTP method and its space), pushes
     * them back, and picks TLS interception, plain HTTP interception, or a raw relay.
     */
    private void sniff(StreamConnection raw, Target target) {
        ConduitStreamSourceChannel source = raw.getSourceChannel();
        ByteBuffer first = ByteBuffer.allocate(HTTP_SNIFF);
        XnioExecutor.Key timeout = raw.getIoThread().executeAfter(() -> {
            ClientAborts.log("CONNECT " + target.authority(), "nothing sent within " + firstByteTimeout.toSeconds() + " s");
            IoUtils.safeClose(raw);
        }, firstByteTimeout.toMillis(), TimeUnit.MILLISECONDS);
        source.getReadSetter().set(channel -> {
            int n;
            try {
                n = channel.read(first);
            } catch (IOException e) {
                timeout.remove();
                ClientAborts.log("CONNECT " + target.authority(), e.toString());
                IoUtils.safeClose(raw);
                return;
            }
            if (n == 0 || n > 0 && HttpSniff.undecided(first)) {
                return;
            }
            timeout.remove();
            channel.suspendReads();
            channel.getReadSetter().set(null);
            if (n < 0 && first.position() == 0) {
                ClientAborts.log("CONNECT " + target.authority(), "closed before sending anything");
                IoUtils.safeClose(raw);
                return;
            }
            first.flip();
            PushBackStreamSourceConduit pushBack = new PushBackStreamSourceConduit(source.getConduit());
            pushBack.pushBack(Buffers.pooledWrapper(first));
            source.setConduit(pushBack);
            if (first.get(0) == TLS_HANDSHAKE_RECORD) {
                try {
                    mitm.accept(raw, target);
                } catch (RuntimeException e) { // no TLS material (a CA that could not be made): say so, end the tunnel
                    LOG.error("Harp cannot intercept CONNECT {}: {}", target.authority(), e.getMessage());
                    IoUtils.safeClose(raw);
                }
            } else if (HttpSniff.isHttp(first)) {
                // plain HTTP in a tunnel (a WebSocket client's ws:// through a proxy): intercepted like one inside TLS
                mitm.acceptPlain(raw, new Target("http", target.host(), target.port(), "/"));
            } else if (networkAllowed.getAsBoolean()) {
                LOG.info("Harp: the tunnel to {} speaks neither TLS nor HTTP; relaying it unrecorded", target.authority());
                RawTunnel.open(raw, target, pool);
            } else {
                ClientAborts.log("CONNECT " + target.authority(), "neither TLS nor HTTP, and replay mode never relays raw tunnels");
                IoUtils.safeClose(raw);
            }
        });
        source.resumeReads();
    }

    /** Parses {@code host:port} or {@code [v6]:port}; null when malformed. */
    static Target parse(String authority) {
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        if (colon < 0 || colon < bracket) {
            return null;
        }
        String host = authority.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(authority.substring(colon + 1));
            if (host.isEmpty() || port <= 0 || port > 65535) {
                return null;
            }
            return new Target("https", host, port, "/");
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
