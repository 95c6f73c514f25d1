package dev.harp.upstream;

import io.undertow.UndertowOptions;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Non-blocking HTTP/1.1 connections to upstreams, on the proxy's own I/O threads (Undertow's client), kept alive and
 * pooled per I/O thread and per {@link Origin}, one exchange at a time: cancelling an exchange closes its connection
 * at once, which every upstream understands. Each connection has an {@link InterimResponses} beneath the client.
 *
 * <p>HTTP/2 towards upstreams is not offered, for HTTP/2 clients either: Undertow's h2 client (2.3) takes the HEADERS
 * that follow an interim response other than 100 for trailers and loses the final response (an origin sending
 * {@code 103 Early Hints} would never be answered), and it does not give back the connection's flow-control credit
 * for the data of streams it resets (a shared connection stalled after a few cancelled downloads).
 *
 * <p>Every method must be called on the I/O thread it names: a connection lives on the thread that opened it, and
 * each thread's pool is touched by that thread only, so nothing here takes a lock on the request path. An idle
 * pooled connection that its upstream closes leaves the pool at once (Undertow reads idle connections to notice).
 * TLS towards {@code https} upstreams uses the same {@link SSLContext} as {@link UpstreamClient} (host names
 * verified unless the context says otherwise) and offers only {@code http/1.1} by ALPN; cleartext upstreams get no
 * h2c upgrade headers.
 */
public final class UpstreamPool implements AutoCloseable {
    /** Idle connections kept per upstream and I/O thread; more are closed when released. */
    private static final int MAX_IDLE = 64;
    /**
     * An idle connection older than this is not reused but closed: a NAT or firewall may have dropped it silently,
     * and a request sent on it would wait for the whole response timeout.
     */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Duration connectTimeout;
    private final UpstreamClient.TlsSource tls;
    private final Dialer dialer;
    private final DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024);
    private final OptionMap options = OptionMap.builder()
            .set(Options.TCP_NODELAY, true)
            .set(UndertowOptions.ENABLE_HTTP2, false)
            // Undertow's default too, unless -Dio.undertow.client.https.disableEndpointIdentification turns it off for
            // the whole JVM (a test JVM may): Harp's --insecure-upstream is the only way to skip the host name check
            .set(UndertowOptions.ENDPOINT_IDENTIFICATION_ALGORITHM, "HTTPS")
            .getMap();
    private final Map<XnioIoThread, Map<String, ArrayDeque<Idle>>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param sslContext     TLS towards {@code https} upstreams
     * @param connectTimeout bound on opening a connection (TCP and, for {@code https}, the first write's handshake
     *                       is bounded by the response timeout of the caller)
     */
    public UpstreamPool(SSLContext sslContext, Duration connectTimeout) {
        this(() -> sslContext, connectTimeout);
    }

    /**
     * @param tls            TLS towards {@code https} upstreams, asked for at the first {@code https} connect
     * @param connectTimeout bound on opening a connection
     */
    public UpstreamPool(UpstreamClient.TlsSource tls, Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.tls = tls;
        this.dialer = new Dialer(tls, buffers);
    }

    /**
     * Where an exchange goes; connections are pooled per origin.
     *
     * @param scheme {@code http} or {@code https}
     * @param host   host name or IP literal
     * @param port   port
     */
    public record Origin(String scheme, String host, int port) {
        String key() {
            return scheme + "://" + host + ":" + port;
        }
    }

    /** The buffers this client's connections use, for callers copying bodies to and from them. */
    public ByteBufferPool buffers() {
        return buffers;
    }

    /**
     * Hands {@code callback} a connection to {@code scheme://host:port}: an idle pooled one when there is one (then
     * {@code reused} is true), else a new one. Connect failures and the connect timeout arrive as
     * {@link ClientCallback#failed}; the timeout as an {@link HttpConnectTimeoutException}.
     */
    public void acquire(XnioIoThread thread, Origin origin, Acquired callback) {
        if (closed) {
            callback.failed(new IOException("the proxy is stopping"));
            return;
        }
        ArrayDeque<Idle> pool = poolOf(thread, origin.key());
        Idle idle;
        while ((idle = pool.pollLast()) != null) {
            if (System.nanoTime() - idle.since() > MAX_IDLE_NANOS) {
                IoUtils.safeClose(idle.connection());
            } else if (idle.connection().isOpen()) {
                callback.acquired(idle.connection(), idle.interim(), true);
                return;
            }
        }
        connect(thread, origin, callback);
    }

    /** Like {@link #acquire}, but always with a new connection (a retry after a pooled one broke). */
    public void acquireNew(XnioIoThread thread, Origin origin, Acquired callback) {
        if (closed) {
            callback.failed(new IOException("the proxy is stopping"));
            return;
        }
        connect(thread, origin, callback);
    }

    private void connect(XnioIoThread thread, Origin origin, Acquired callback) {
        try {
            open(thread, origin, callback);
        } catch (RejectedExecutionException terminating) {
            // thrown here it would reach XNIO, which logs it at ERROR: the I/O thread stops with the proxy
            callback.failed(new IOException("the proxy is stopping", terminating));
        }
    }

    private void open(XnioIoThread thread, Origin origin, Acquired callback) {
        String scheme = origin.scheme();
        String host = origin.host();
        int port = origin.port();
        URI uri;
        try {
            uri = new URI(scheme, null, host, port, null, null, null);
        } catch (URISyntaxException e) {
            callback.failed(new IOException("not a valid upstream host: " + host, e));
            return;
        }
        ArrayDeque<Idle> pool = poolOf(thread, origin.key());
        ConnectAttempt attempt = new ConnectAttempt(callback, pool);
        attempt.timer = thread.executeAfter(attempt::timedOut, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        Runnable open = () -> {
            if (attempt.done) {
                return;
            }
            try {
                attempt.pending = dialer.dial(thread, uri, options, attempt,
                        filter -> attempt.interim = filter);
            } catch (RuntimeException e) {
                attempt.failed(new IOException("cannot connect to " + host + ":" + port + ": " + e, e));
            }
        };
        if (isIpLiteral(host)) {
            open.run();
            return;
        }
        // Undertow resolves the name where it connects, on this I/O thread: look it up on a worker first, so that a
        // slow DNS server stalls this request only, and the connect then finds the answer in the JVM's cache
        thread.getWorker().execute(() -> {
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException | SecurityException e) {
                // the connect below reports it, as an unresolved address
            }
            try {
                thread.execute(open);
            } catch (RejectedExecutionException terminating) {
                // the proxy is stopping: the exchange that asked is being closed with it
            }
        });
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Returns a connection whose exchange is over (request sent, response read to its end) for reuse, with the
     * {@code interim} it was acquired with; a closed connection, or one beyond the pool's size, is closed instead.
     */
    public void release(XnioIoThread thread, Origin origin, ClientConnection connection, InterimResponses interim) {
        if (closed || !connection.isOpen()) {
            IoUtils.safeClose(connection);
            return;
        }
        ArrayDeque<Idle> pool = poolOf(thread, origin.key());
        if (pool.size() >= MAX_IDLE) {
            IoUtils.safeClose(connection);
            return;
        }
        pool.addLast(new Idle(connection, interim, System.nanoTime()));
    }

    /**
     * Finds out why an {@code https} upstream closed a new connection before answering: Undertow's client reports a
     * failed TLS handshake as a closed connection, without the reason. On a worker, this makes one handshake of its
     * own with the same TLS settings and hands {@code then}, on {@code thread}, the {@link SSLException} it got, or
     * null when the handshake succeeds (so the closure had another cause).
     */
    public void explainClosure(XnioIoThread thread, String host, int port, Consumer<SSLException> then) {
        try {
            thread.getWorker().execute(() -> {
                SSLException why = handshakeFailure(host, port);
                try {
                    thread.execute(() -> then.accept(why));
                } catch (RejectedExecutionException terminating) {
                    // the proxy is stopping: the exchange that asked is being closed with it
                }
            });
        } catch (RejectedExecutionException terminating) {
            then.accept(null);
        }
    }

    private SSLException handshakeFailure(String host, int port) {
        int timeout = (int) Math.max(1, connectTimeout.toMillis());
        try (SSLSocket socket = (SSLSocket) tls.get().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), timeout);
            socket.setSoTimeout(timeout);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(host)) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return null;
        } catch (SSLException e) {
            return e;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Closes a connection at once, cancelling whatever exchange it carries. {@code ClientConnection.close()} is a
     * clean close: it sends FIN and then waits up to ten seconds for the upstream to finish, so an upstream still
     * thinking about a cancelled request would not notice. Undertow's public way to reach the socket is
     * {@code performUpgrade()}, which hands the raw connection over; closing that releases the descriptor now. An
     * HTTP/2 connection (which cannot be upgraded) is closed with a GOAWAY, at once too.
     */
    public static void abort(ClientConnection connection) {
        if (connection == null) {
            return;
        }
        try {
            IoUtils.safeClose(connection.performUpgrade());
        } catch (IOException | RuntimeException alreadyClosed) {
            IoUtils.safeClose(connection);
        }
    }

    private ArrayDeque<Idle> poolOf(XnioIoThread thread, String key) {
        return idle.computeIfAbsent(thread, t -> new HashMap<>()).computeIfAbsent(key, k -> new ArrayDeque<>());
    }

    /** Closes every idle connection; connections in use are closed by their exchanges (or the stopping server). */
    @Override
    public void close() {
        closed = true;
        for (Map.Entry<XnioIoThread, Map<String, ArrayDeque<Idle>>> perThread : idle.entrySet()) {
            Map<String, ArrayDeque<Idle>> pools = perThread.getValue();
            Runnable closeAll = () -> pools.values().forEach(pool -> {
                Idle idle;
                while ((idle = pool.pollFirst()) != null) {
                    IoUtils.safeClose(idle.connection());
                }
            });
            try {
                perThread.getKey().execute(closeAll);
            } catch (RuntimeException stopped) {
                closeAll.run(); // the I/O thread is gone: nobody else touches the pool any more
            }
        }
        buffers.close();
    }

    /** A pooled connection, what takes interim responses out of it, and when it became idle. */
    private record Idle(ClientConnection connection, InterimResponses interim, long since) {
    }

    /** What {@link #acquire} reports to. */
    public interface Acquired {
        /**
         * A connection, new or {@code reused} from the pool, and what takes interim responses out of it, to arm before
         * each request (null for one opened without it, should Undertow's client connection not be reachable, see
         * {@link Dialer}); both go back by {@link #release}.
         */
        void acquired(ClientConnection connection, InterimResponses interim, boolean reused);

        /** No connection could be made. */
        void failed(IOException error);
    }

    /** One connection attempt: reports once, whichever of connect, failure or timeout comes first. */
    private final class ConnectAttempt implements ClientCallback<ClientConnection> {
        private final Acquired callback;
        private final ArrayDeque<Idle> pool;
        private XnioExecutor.Key timer;
        /** What takes interim responses out of the connection, once it is open. */
        private InterimResponses interim;
        /** The connect under way (TCP, and TLS for {@code https}), or null when it could not be had. */
        private org.xnio.IoFuture<?> pending;
        private boolean done;

        ConnectAttempt(Acquired callback, ArrayDeque<Idle> pool) {
            this.callback = callback;
            this.pool = pool;
        }

        @Override
        public void completed(ClientConnection connection) {
            if (done) {
                IoUtils.safeClose(connection); // too late: the caller already gave up on it
                return;
            }
            done = true;
            timer.remove();
            // on the connection's I/O thread, like every use of its pool: a closed idle connection leaves the pool
            connection.addCloseListener(gone -> pool.removeIf(idle -> idle.connection() == gone));
            callback.acquired(connection, interim, false);
        }

        @Override
        public void failed(IOException e) {
            if (done) {
                return;
            }
            done = true;
            if (timer != null) {
                timer.remove();
            }
            callback.failed(e);
        }

        void timedOut() {
            if (!done) {
                done = true;
                if (pending != null) {
                    pending.cancel(); // closes the socket now, instead of when the kernel gives up on it
                }
                callback.failed(new HttpConnectTimeoutException("connect timed out"));
            }
        }
    }
}
