package dev.harp.upstream;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoFuture;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.channels.BoundChannel;
import org.xnio.ssl.SslConnection;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Opens upstream connections with Undertow's client while keeping hold of the pending connect, so that a connect
 * timeout cancels it and its socket is closed at once (otherwise it would wait in SYN_SENT until the kernel gives up,
 * about two minutes). Undertow's client does not hand the pending connect out:
 * <ul>
 * <li>{@code https}: the connect goes through this class's {@link XnioSslWithHandle}, which notes the future it
 *     returns; cancelling that future cancels the TCP connect beneath it.</li>
 * <li>{@code http}: the TCP connect is made here ({@code openStreamConnection}, a cancellable future), and the
 *     connection handed to Undertow's HTTP/1.1 client connection, whose constructor is not public and is reached by
 *     reflection, looked up once. Should a later Undertow change it, the connect goes through
 *     {@link UndertowClient} as before, and a timed-out connect's socket lingers until the kernel gives up.</li>
 * </ul>
 * <p>Beneath Undertow's client, every connection gets an {@link InterimResponses} on its source channel (handed to
 * {@code installed} before the connection reaches the callback), which HTTP/1.1 exchanges arm to take interim
 * responses out. Called on the I/O thread that the connection will live on.
 */
final class Dialer {
    private static final Constructor<?> HTTP1 = http1Constructor();

    private final UpstreamClient.TlsSource tls;
    private final ByteBufferPool buffers;
    private volatile XnioSslWithHandle ssl;

    /**
     * @param tls     TLS towards {@code https} upstreams, asked for at the first {@code https} connect (loading the
     *                JDK's trust store is no part of a proxy's start; see {@link UpstreamClient#tls()})
     * @param buffers the buffers of the connections
     */
    Dialer(UpstreamClient.TlsSource tls, ByteBufferPool buffers) {
        this.tls = tls;
        this.buffers = buffers;
    }

    private XnioSslWithHandle ssl() throws IOException {
        XnioSslWithHandle made = ssl;
        if (made == null) {
            synchronized (this) {
                made = ssl;
                if (made == null) {
                    made = new XnioSslWithHandle(Xnio.getInstance(UndertowClient.class.getClassLoader()), tls.get());
                    ssl = made;
                }
            }
        }
        return made;
    }

    /**
     * Starts a connect to {@code uri} on {@code thread}; {@code callback} hears of the connection or the failure.
     *
     * @return the pending connect, to {@link IoFuture#cancel() cancel} on a timeout, or null when it cannot be had
     */
    IoFuture<?> dial(XnioIoThread thread, URI uri, OptionMap options, ClientCallback<ClientConnection> callback,
                     Consumer<InterimResponses> installed) {
        if ("https".equals(uri.getScheme())) {
            XnioSslWithHandle ssl;
            try {
                ssl = ssl();
            } catch (IOException | RuntimeException e) {
                callback.failed(e instanceof IOException io ? io
                        : new IOException("cannot set up TLS towards upstreams: " + e, e));
                return null;
            }
            XnioSslWithHandle.INSTALLED.set(installed);
            try {
                UndertowClient.getInstance().connect(callback, uri, thread, ssl, buffers, options);
                return XnioSslWithHandle.LAST.get();
            } finally {
                XnioSslWithHandle.LAST.remove();
                XnioSslWithHandle.INSTALLED.remove();
            }
        }
        if (HTTP1 == null) {
            UndertowClient.getInstance().connect(callback, uri, thread, null, buffers, options);
            return null;
        }
        ChannelListener<StreamConnection> opened = connection -> {
            installed.accept(install(connection));
            ClientConnection client;
            try {
                client = (ClientConnection) HTTP1.newInstance(connection, options, buffers);
            } catch (ReflectiveOperationException | RuntimeException e) {
                org.xnio.IoUtils.safeClose(connection);
                callback.failed(new IOException("cannot set up the upstream connection: " + e, e));
                return;
            }
            callback.completed(client);
        };
        IoFuture<StreamConnection> pending = thread.openStreamConnection(
                new InetSocketAddress(uri.getHost(), uri.getPort()), opened, options);
        pending.addNotifier((future, attachment) -> {
            if (future.getStatus() == IoFuture.Status.FAILED) {
                callback.failed(future.getException());
            }
        }, null);
        return pending;
    }

    /** Puts an {@link InterimResponses} beneath whatever will read the connection. */
    static InterimResponses install(StreamConnection connection) {
        InterimResponses filter = new InterimResponses(connection.getSourceChannel().getConduit());
        connection.getSourceChannel().setConduit(filter);
        return filter;
    }

    private static Constructor<?> http1Constructor() {
        try {
            Constructor<?> c = Class.forName("io.undertow.client.http.HttpClientConnection").getDeclaredConstructor(
                    StreamConnection.class, OptionMap.class, ByteBufferPool.class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(Dialer.class).debug("Harp cannot make cancellable plain upstream connects: {}",
                    e.toString());
            return null;
        }
    }

    /**
     * Undertow's TLS, noting (per thread) the pending connect of the last connection it opened, and putting an
     * {@link InterimResponses} beneath the client on each connection it opens.
     */
    static final class XnioSslWithHandle extends UndertowXnioSsl {
        static final ThreadLocal<IoFuture<?>> LAST = new ThreadLocal<>();
        static final ThreadLocal<Consumer<InterimResponses>> INSTALLED = new ThreadLocal<>();

        XnioSslWithHandle(Xnio xnio, SSLContext context) {
            super(xnio, OptionMap.EMPTY, context);
        }

        @Override
        public IoFuture<SslConnection> openSslConnection(XnioIoThread ioThread, InetSocketAddress bindAddress,
                                                         InetSocketAddress destination,
                                                         ChannelListener<? super SslConnection> openListener,
                                                         ChannelListener<? super BoundChannel> bindListener,
                                                         OptionMap optionMap) {
            Consumer<InterimResponses> installed = INSTALLED.get();
            ChannelListener<SslConnection> opened = connection -> {
                if (installed != null) {
                    installed.accept(install(connection));
                }
                openListener.handleEvent(connection);
            };
            IoFuture<SslConnection> pending = super.openSslConnection(ioThread, bindAddress, destination, opened,
                    bindListener, optionMap);
            LAST.set(pending);
            return pending;
        }
    }
}
