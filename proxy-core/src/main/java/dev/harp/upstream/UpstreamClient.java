package dev.harp.upstream;

import dev.harp.flow.Headers;
import dev.harp.flow.HttpHeader;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Sends requests to real servers with {@link HttpClient}: pooled connections, HTTP/2 by ALPN for {@code https},
 * HTTP/1.1 for {@code http} (never an h2c upgrade), no redirects followed, no decompression, no cookies.
 *
 * <p>Hop-by-hop headers are dropped on the way out; headers the JDK client sets itself ({@code Host},
 * {@code Content-Length}, {@code Expect}) follow from the URI and the body.
 */
public final class UpstreamClient implements AutoCloseable {
    /** Headers that the JDK client refuses or computes itself. */
    private static final Set<String> MANAGED_BY_CLIENT = Set.of("host", "content-length", "expect", "connection", "upgrade");

    private final TlsSource tlsSource;
    private SSLContext sslContext;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private HttpClient client;
    private Http1Upstream http1;
    private ExecutorService executor;
    private ExecutorService calls;
    private boolean closed;

    /**
     * @param sslContext      TLS towards upstreams (see {@code dev.harp.tls.UpstreamTls})
     * @param connectTimeout  bound on establishing a connection
     * @param responseTimeout bound on waiting for the response head
     */
    public UpstreamClient(SSLContext sslContext, Duration connectTimeout, Duration responseTimeout) {
        this(() -> sslContext, connectTimeout, responseTimeout);
    }

    /**
     * @param tlsSource       TLS towards upstreams, asked for once when forwarding first needs it (or by
     *                        {@link #tls()}): a replaying proxy never reads trust files it does not use
     * @param connectTimeout  bound on establishing a connection
     * @param responseTimeout bound on waiting for the response head
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

    /** The JDK client, built on first use: a replaying proxy never needs one and starts faster without it. */
    private synchronized HttpClient client() throws IOException {
        if (closed) {
            throw new IllegalStateException("the upstream client is closed");
        }
        if (client == null) {
            SSLContext context = tls();
            executor = Executors.newCachedThreadPool(daemonThreads("harp-upstream-"));
            client = HttpClient.newBuilder()
                    .sslContext(context)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    // never the JVM's default proxy selector: a test JVM wired to Harp would send Harp to itself
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(connectTimeout)
                    .executor(executor)
                    .version(HttpClient.Version.HTTP_2)
                    .build();
        }
        return client;
    }

    /**
     * The non-blocking HTTP/1.1 client on the proxy's I/O threads, with the same TLS and connect timeout, built on
     * first use.
     *
     * @throws IOException if the TLS context cannot be read (see {@link #tls()})
     */
    public synchronized Http1Upstream http1() throws IOException {
        if (closed) {
            throw new IllegalStateException("the upstream client is closed");
        }
        if (http1 == null) {
            http1 = new Http1Upstream(tls(), connectTimeout);
        }
        return http1;
    }

    /** How long an upstream may take to start answering a request it has been sent. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /**
     * Starts sending a request; the body is read from {@code body} as the upstream takes it.
     *
     * @param contentLength the body length, -1 when unknown (chunked), 0 for none
     */
    public CompletableFuture<HttpResponse<InputStream>> send(String method, URI uri, List<HttpHeader> headers,
                                                             InputStream body, long contentLength) {
        HttpRequest.BodyPublisher publisher;
        if (contentLength == 0 || body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            HttpRequest.BodyPublisher streamed = HttpRequest.BodyPublishers.ofInputStream(() -> body);
            publisher = contentLength > 0 ? HttpRequest.BodyPublishers.fromPublisher(streamed, contentLength) : streamed;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .method(method, publisher)
                .timeout(responseTimeout)
                .version("https".equalsIgnoreCase(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        for (HttpHeader h : Headers.withoutHopByHop(headers)) {
            if (!MANAGED_BY_CLIENT.contains(h.name().toLowerCase(Locale.ROOT))) {
                try {
                    b.header(h.name(), h.value());
                } catch (IllegalArgumentException restricted) {
                    // a header the JDK client will not send (its own restricted set); the client computes it
                }
            }
        }
        HttpClient c;
        try {
            c = client();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return call(c, b.build());
    }

    /**
     * Runs the blocking {@link HttpClient#send} on a pooled thread. Not {@code sendAsync}: in JDK 17 it hands every
     * completion to {@code CompletableFuture}'s default executor, which on a machine with two or fewer cores starts
     * a new thread per request (the benchmark measured a third of the throughput). Cancelling the returned future
     * interrupts {@code send}, which makes the JDK client abort the exchange (connection closed, or h2 stream reset).
     */
    private CompletableFuture<HttpResponse<InputStream>> call(HttpClient c, HttpRequest request) {
        Call call = new Call();
        call.task = calls().submit(() -> {
            try {
                HttpResponse<InputStream> response = c.send(request, info -> new UpstreamBody());
                if (!call.complete(response)) {
                    response.body().close(); // cancelled meanwhile: release the connection
                }
            } catch (InterruptedException e) {
                call.completeExceptionally(new IOException("upstream request cancelled", e));
            } catch (IOException | RuntimeException e) {
                call.completeExceptionally(e);
            }
            return null;
        });
        if (call.isCancelled()) {
            call.task.cancel(true);
        }
        return call;
    }

    private synchronized ExecutorService calls() {
        if (closed) {
            throw new IllegalStateException("the upstream client is closed");
        }
        if (calls == null) {
            calls = Executors.newCachedThreadPool(daemonThreads("harp-upstream-call-"));
        }
        return calls;
    }

    /** A pending upstream call whose cancellation interrupts the thread blocked in {@code send}. */
    private static final class Call extends CompletableFuture<HttpResponse<InputStream>> {
        private volatile Future<?> task;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Future<?> t = task;
            if (t != null) {
                t.cancel(true);
            }
            return cancelled;
        }
    }

    /** Waits for a response head, turning the future's wrappers back into the exception that happened. */
    public static HttpResponse<InputStream> await(CompletableFuture<HttpResponse<InputStream>> pending)
            throws IOException, InterruptedException {
        try {
            return await(pending, Duration.ofDays(365));
        } catch (TimeoutException e) {
            throw new IOException("upstream did not answer", e);
        }
    }

    /**
     * Waits at most {@code wait} for a response head, turning the future's wrappers back into the exception that
     * happened. Cancelling the future ({@code cancel(true)}) aborts the upstream exchange: on HTTP/1.1 the JDK client
     * closes the connection (verified on JDK 17.0.15), on HTTP/2 it resets the stream.
     *
     * @throws TimeoutException when no head arrived in time; the request is still running
     */
    public static HttpResponse<InputStream> await(CompletableFuture<HttpResponse<InputStream>> pending, Duration wait)
            throws IOException, InterruptedException, TimeoutException {
        try {
            return pending.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "upstream failed" : cause.toString(), cause);
        } catch (CancellationException e) {
            throw new IOException("upstream request cancelled", e);
        }
    }

    /** The response headers as a list (the JDK client groups them by name; values of one name keep their order). */
    public static List<HttpHeader> headersOf(HttpResponse<?> response) {
        List<HttpHeader> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
            if (e.getKey().startsWith(":")) {
                continue;
            }
            for (String v : e.getValue()) {
                out.add(new HttpHeader(e.getKey(), v));
            }
        }
        return out;
    }

    /** {@code HTTP/1.1} or {@code HTTP/2.0}, the HAR spelling of the upstream protocol. */
    public static String versionOf(HttpResponse<?> response) {
        return response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
    }

    /** Stops the client's threads; in-flight requests fail. */
    @Override
    public void close() {
        Object c;
        ExecutorService pool;
        synchronized (this) {
            closed = true;
            c = client;
            pool = executor;
            if (calls != null) {
                calls.shutdownNow();
            }
            if (http1 != null) {
                http1.close();
            }
        }
        if (pool == null) {
            return;
        }
        if (c instanceof AutoCloseable closeable) { // HttpClient is AutoCloseable from Java 21 on
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
