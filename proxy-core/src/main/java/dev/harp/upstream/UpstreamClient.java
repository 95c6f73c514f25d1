package dev.harp.upstream;

import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * What forwarding needs to reach real servers: the TLS context towards them (read only when forwarding first needs
 * it), the connect and response timeouts, and the non-blocking connections ({@link UpstreamPool}: HTTP/1.1, or HTTP/2
 * by ALPN for HTTP/2 clients) that every forwarded exchange uses. No redirects are followed, nothing is decompressed,
 * no cookies are kept: the upstream gets what the client sent.
 */
public final class UpstreamClient implements AutoCloseable {
    private final TlsSource tlsSource;
    private SSLContext sslContext;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private UpstreamPool connections;
    private boolean closed;

    /**
     * @param sslContext      TLS towards upstreams (see {@code dev.harp.tls.UpstreamTls})
     * @param connectTimeout  bound on establishing a connection
     * @param responseTimeout bound on waiting for the response head once the whole request is sent
     */
    public UpstreamClient(SSLContext sslContext, Duration connectTimeout, Duration responseTimeout) {
        this(() -> sslContext, connectTimeout, responseTimeout);
    }

    /**
     * @param tlsSource       TLS towards upstreams, asked for once when forwarding first needs it (or by
     *                        {@link #tls()}): a replaying proxy never reads trust files it does not use
     * @param connectTimeout  bound on establishing a connection
     * @param responseTimeout bound on waiting for the response head once the whole request is sent
     */
    public UpstreamClient(TlsSource tlsSource, Duration connectTimeout, Duration responseTimeout) {
        this.tlsSource = tlsSource;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
    }

    /** Where the TLS context towards upstreams comes from; it may read files, so it is asked only when needed. */
    @FunctionalInterface
    public interface TlsSource {
        /**
         * @return the context
         * @throws IOException if its material cannot be read; the message names the file
         */
        SSLContext get() throws IOException;
    }

    /**
     * The TLS context towards upstreams, read on the first call and kept; a failed read is retried next time.
     *
     * @throws IOException if its material cannot be read (for example a missing extra-trust PEM file)
     */
    public synchronized SSLContext tls() throws IOException {
        if (sslContext == null) {
            sslContext = tlsSource.get();
        }
        return sslContext;
    }

    /**
     * The connections to upstreams on the proxy's I/O threads, with this TLS context and connect timeout,
     * made on first use.
     *
     * @throws IOException if the TLS context cannot be read (see {@link #tls()})
     */
    public synchronized UpstreamPool connections() throws IOException {
        if (closed) {
            throw new IllegalStateException("the upstream client is closed");
        }
        if (connections == null) {
            connections = new UpstreamPool(this::tls, connectTimeout); // TLS read at the first https connect
        }
        return connections;
    }

    /** How long an upstream may take to start answering a request it has been sent whole. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** Closes idle connections; connections in use end with their exchanges. */
    @Override
    public synchronized void close() {
        closed = true;
        if (connections != null) {
            connections.close();
        }
    }
}
