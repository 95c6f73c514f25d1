package dev.harp.proxy;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import dev.harp.tls.MitmTls;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.Xnio;
import org.xnio.ssl.SslConnection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Terminates TLS on a taken-over CONNECT tunnel with a leaf for the requested host, then feeds the decrypted
 * connection to inner HTTP/1.1 and HTTP/2 (ALPN) listeners whose root handler is the proxy's own.
 */
final class MitmAcceptor {
    /**
     * Stream resets one client h2 connection may see in Undertow's 30 s window, sent and received counted apart.
     * Undertow's default, 200, guards public servers against reset floods, and it counts the RST_STREAM that Harp
     * sends for every exchange whose client went away: a test suite cancelling more than 200 downloads in 30 s on one
     * connection would have it answered with GOAWAY and closed, and the client's next streams would hang. Harp's
     * clients are the tests it serves, which may well cancel that often; a flood is still cut off.
     */
    static final int H2_RESETS_PER_WINDOW = 100_000;
    private final SSLContext serverContext;
    private final Duration handshakeTimeout;
    private final HttpHandler root;
    private final OptionMap innerOptions;
    private final ByteBufferPool pool;
    private Inner inner;

    /** The TLS side and the listeners behind it, made once: loading them is no part of a proxy's start. */
    private record Inner(UndertowXnioSsl ssl, AlpnOpenListener alpn) {
    }

    MitmAcceptor(SSLContext serverContext, HttpHandler root, OptionMap innerOptions, ByteBufferPool pool,
                 Duration handshakeTimeout) {
        this.serverContext = serverContext;
        this.handshakeTimeout = handshakeTimeout;
        this.root = root;
        this.innerOptions = innerOptions;
        this.pool = pool;
        // made by the thread that prepares the context's TLS material (see MitmTls), or by the first CONNECT
        MitmTls.whenPrepared(serverContext, this::inner);
    }

    private synchronized Inner inner() {
        if (inner == null) {
            UndertowXnioSsl ssl = new UndertowXnioSsl(Xnio.getInstance(Undertow.class.getClassLoader()), OptionMap.EMPTY,
                    serverContext);
            HttpOpenListener http1 = new HttpOpenListener(pool, innerOptions);
            http1.setRootHandler(root);
            Http2OpenListener http2 = new Http2OpenListener(pool, OptionMap.builder().addAll(innerOptions)
                    .set(UndertowOptions.MAX_RST_FRAMES_PER_WINDOW, H2_RESETS_PER_WINDOW).getMap());
            http2.setRootHandler(root);
            AlpnOpenListener alpn = new AlpnOpenListener(pool, innerOptions, http1);
            alpn.addProtocol(Http2OpenListener.HTTP2, http2, 10);
            inner = new Inner(ssl, alpn);
        }
        return inner;
    }

    /** Starts the server-side handshake on the raw tunnel, with the CONNECT host as the leaf hint. */
    void accept(StreamConnection raw, Target target) {
        Inner inner = inner();
        SslConnection tls = inner.ssl().wrapExistingConnection(raw,
                OptionMap.create(Options.SSL_PEER_HOST_NAME, target.host(), Options.SSL_PEER_PORT, target.port()), false);
        XnioExecutor.Key timeout = raw.getIoThread().executeAfter(() -> {
            ClientAborts.log("CONNECT " + target.authority(), "no TLS handshake within " + handshakeTimeout.toSeconds() + " s");
            IoUtils.safeClose(tls);
        }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        tls.getHandshakeSetter().set(c -> timeout.remove());
        inner.alpn().handleEvent(tls);
    }

    /**
     * Serves plain HTTP/1.1 inside a CONNECT tunnel with the same root handler, each exchange marked with the tunnel's
     * target ({@link Targets#PLAIN_TUNNEL}): {@code ws://} through a proxy (the JDK's client, browsers) is then relayed
     * and recorded like any other request, where it used to pass through blind.
     */
    void acceptPlain(StreamConnection raw, Target target) {
        HttpOpenListener http1 = new HttpOpenListener(pool, innerOptions);
        http1.setRootHandler(ex -> {
            ex.putAttachment(Targets.PLAIN_TUNNEL, target);
            root.handleRequest(ex);
        });
        http1.handleEvent(raw);
    }
}
