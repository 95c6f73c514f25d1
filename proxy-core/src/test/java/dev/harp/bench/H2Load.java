package dev.harp.bench;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.bench.Report.Row;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The {@code h2} part (issue 16): HTTPS keep-alive with an HTTP/2 client, direct to the origin (nginx offers h2 by
 * ALPN) and through Harp (CONNECT, TLS with Harp's leaf, h2 by ALPN inside the tunnel), at 1 and 16 concurrent
 * streams on one connection, for both bodies.
 *
 * <p>The load generator is the JDK's {@link HttpClient} with {@link HttpClient.Version#HTTP_2} on both routes: one
 * client per route (so one h2 connection, or one tunnel with one h2 connection inside), and N threads that each
 * call {@code send} in a closed loop, so N streams are in flight at once. Debian's {@code h2load} would cost less
 * per request, but it cannot use a proxy: reaching Harp would take a relay that sends the CONNECT and then copies
 * every byte, a hop that only one route would pay (or that both would, which pulls the ratio towards 1). The same
 * client on both routes, each reaching its server the way a real client does, keeps the ratio fair; its own cost
 * is in both figures alike.
 *
 * <p>Every response is checked: status 200, HTTP/2, the body's length. A route that does not answer over HTTP/2
 * fails the part before anything is measured.
 */
final class H2Load {
    /** The name {@code --only} knows this part by. */
    static final String PART = "h2";
    private static final int[] STREAMS = {1, 16};
    private static final long MAX_REQUESTS = 20_000_000;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The target issue 16 states, at 1 KiB and 16 streams. */
    private static final double TARGET = 0.4;

    private H2Load() {
    }

    /**
     * Measures the rows, interleaved like the benchmark's other compared rows, and adds them and their notes.
     *
     * @param harp     starts a Harp with the benchmark's settings (its CA, any upstream certificate accepted)
     * @param cpu      for the others' CPU column
     * @param rows     where the rows go, in table order
     * @param notes    where the notes under the table go
     */
    static void rows(TlsMaterial tls, Upstream upstream, WebSocketLoad.HarpFactory harp, Path scratch, CpuMeter cpu,
                     Benchmark.Options options, List<Row> rows, List<String> notes, WebSocketLoad.Progress progress)
            throws Exception {
        JdkDriver driver = new JdkDriver();
        try (HarpServer passthrough = harp.start(Mode.PASSTHROUGH, scratch.resolve("unused-h2.har"));
             Route direct = new Route("direct HTTPS, h2, keep-alive", tls, null);
             Route mitm = new Route("Harp MITM HTTPS, h2 in the tunnel, keep-alive", tls, passthrough.address())) {
            List<Route> routes = List.of(direct, mitm);
            for (Route r : routes) {
                for (Bodies body : Bodies.values()) {
                    r.probe(uri(upstream, body), body);
                }
            }
            for (Route r : routes) {
                driver.run(r.factory(uri(upstream, Bodies.K1), Bodies.K1), 16, Duration.ZERO, options.scenarioWarmup(),
                        MAX_REQUESTS);
            }
            for (Bodies body : Bodies.values()) {
                URI uri = uri(upstream, body);
                for (int streams : STREAMS) {
                    Map<Route, List<LoadResult>> rounds = new LinkedHashMap<>();
                    Map<Route, CpuMeter.Sum> cpuSums = new LinkedHashMap<>();
                    for (Route r : routes) {
                        driver.run(r.factory(uri, body), streams, Duration.ZERO, options.warmup(), MAX_REQUESTS);
                        rounds.put(r, new ArrayList<>());
                        cpuSums.put(r, new CpuMeter.Sum());
                    }
                    for (int round = 0; round < options.rounds(); round++) {
                        for (int i = 0; i < routes.size(); i++) {
                            Route r = routes.get((i + round) % routes.size());
                            CpuMeter.Snapshot before = cpu.snapshot();
                            rounds.get(r).add(driver.run(r.factory(uri, body), streams, Duration.ZERO, options.round(),
                                    MAX_REQUESTS));
                            cpuSums.get(r).add(before, cpu.snapshot());
                        }
                    }
                    LoadResult d = LoadResult.median(rounds.get(direct));
                    for (Route r : routes) {
                        LoadResult m = LoadResult.median(rounds.get(r));
                        double ratio = m.requestsPerSecond() / d.requestsPerSecond();
                        boolean headline = r == mitm && body == Bodies.K1 && streams == 16;
                        String others = Report.percent(cpuSums.get(r).othersShare());
                        rows.add(new Row(r.label, body.label, "1 × " + streams + " streams", "JDK HttpClient h2",
                                Report.rps(m.requestsPerSecond()) + (m.errors() > 0 ? " (" + m.errors() + " errors)" : ""),
                                Report.millis(m.p50Millis()), Report.millis(m.p99Millis()),
                                r == direct ? "1.00×" : Report.ratio(ratio), others,
                                headline ? "≥ " + TARGET + "× direct h2" : "", headline ? Report.met(ratio >= TARGET) : ""));
                        progress.say("%-45s %-6s %2d streams %s p50 %s p99 %s, others' CPU %s%s", r.label, body.label,
                                streams, Report.rps(m.requestsPerSecond()), Report.millis(m.p50Millis()),
                                Report.millis(m.p99Millis()), others, m.errors() > 0 ? ", errors " + m.errors() : "");
                    }
                }
            }
            notes.add(String.format(Locale.ROOT, "h2 rows: the JDK HttpClient (`Version.HTTP_2`, trusting the benchmark's"
                    + " CA) on both routes, one client per route and so one connection (direct: TLS to nginx, h2 by ALPN;"
                    + " through Harp: CONNECT, TLS with Harp's leaf, h2 by ALPN in the tunnel, Harp in passthrough"
                    + " mode), N threads calling `send` in a closed loop for N concurrent streams; each response checked"
                    + " for status 200, HTTP/2 and its body length; connections opened by the clients in the whole"
                    + " part: direct %d, through Harp %d (1 each means every round ran on one kept-alive connection)",
                    direct.connections(), mitm.connections()));
        }
    }

    private static URI uri(Upstream upstream, Bodies body) {
        return URI.create("https://" + TlsMaterial.HOST + ":" + upstream.httpsPort() + body.path);
    }

    /** One way to the origin: its own HttpClient (and so its own h2 connection), direct or through a proxy. */
    private static final class Route implements AutoCloseable {
        final String label;
        private final ExecutorService executor;
        private final HttpClient client;
        private final AtomicInteger threads = new AtomicInteger();
        private final AtomicInteger engines = new AtomicInteger();

        Route(String label, TlsMaterial tls, InetSocketAddress proxy) throws GeneralSecurityException {
            this.label = label;
            this.executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "bench-h2-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            HttpClient.Builder b = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .sslContext(new CountingContext(dev.harp.testing.TestHttpsUpstream.trustingOnly(tls.ca.certificate()),
                            engines))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(WAIT)
                    .executor(executor);
            if (proxy != null) {
                b.proxy(ProxySelector.of(proxy));
            }
            this.client = b.build();
        }

        /** TLS connections this client has opened so far (counted as the SSL engines it asked its context for). */
        int connections() {
            return engines.get();
        }

        JdkDriver.ClientFactory factory(URI uri, Bodies body) {
            HttpRequest request = request(uri);
            JdkDriver.Client call = new JdkDriver.Client() {
                @Override
                public boolean call() throws IOException {
                    HttpResponse<Long> r = send(request);
                    return r.statusCode() == 200 && r.version() == HttpClient.Version.HTTP_2 && r.body() == body.length;
                }

                @Override
                public boolean reusable() {
                    return true;
                }

                @Override
                public void close() {
                    // the client keeps its connection for the next round
                }
            };
            return () -> call;
        }

        /** One request that must come back 200 over HTTP/2 with the whole body, or the part fails here. */
        void probe(URI uri, Bodies body) throws IOException {
            HttpResponse<Long> r = send(request(uri));
            if (r.statusCode() != 200 || r.version() != HttpClient.Version.HTTP_2 || r.body() != body.length) {
                throw new IOException(label + " " + uri + ": " + r.statusCode() + " over " + r.version() + " with "
                        + r.body() + " body bytes, expected 200 over HTTP_2 with " + body.length);
            }
        }

        private static HttpRequest request(URI uri) {
            return HttpRequest.newBuilder(uri).GET().timeout(WAIT).header("User-Agent", "harp-bench")
                    .header("Accept", "*/*").build();
        }

        private HttpResponse<Long> send(HttpRequest request) throws IOException {
            try {
                return client.send(request, info -> HttpResponse.BodySubscribers.fromSubscriber(new Counting(),
                        Counting::bytes));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    /**
     * An SSLContext that counts the engines asked of it: the JDK client asks one per TLS connection, and has no other
     * way to tell how many connections it opened.
     */
    private static final class CountingContext extends SSLContext {
        CountingContext(SSLContext real, AtomicInteger engines) {
            super(new SSLContextSpi() {
                @Override
                protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
                    // the real context is initialised already
                }

                @Override
                protected SSLSocketFactory engineGetSocketFactory() {
                    return real.getSocketFactory();
                }

                @Override
                protected SSLServerSocketFactory engineGetServerSocketFactory() {
                    return real.getServerSocketFactory();
                }

                @Override
                protected SSLEngine engineCreateSSLEngine() {
                    engines.incrementAndGet();
                    return real.createSSLEngine();
                }

                @Override
                protected SSLEngine engineCreateSSLEngine(String host, int port) {
                    engines.incrementAndGet();
                    return real.createSSLEngine(host, port);
                }

                @Override
                protected SSLSessionContext engineGetServerSessionContext() {
                    return real.getServerSessionContext();
                }

                @Override
                protected SSLSessionContext engineGetClientSessionContext() {
                    return real.getClientSessionContext();
                }

                @Override
                protected SSLParameters engineGetDefaultSSLParameters() {
                    return real.getDefaultSSLParameters();
                }

                @Override
                protected SSLParameters engineGetSupportedSSLParameters() {
                    return real.getSupportedSSLParameters();
                }
            }, real.getProvider(), real.getProtocol());
        }
    }

    /** Counts a body's bytes and keeps none of them. */
    private static final class Counting implements Flow.Subscriber<List<ByteBuffer>> {
        private long bytes;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            for (ByteBuffer b : item) {
                bytes += b.remaining();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // the send fails with it
        }

        @Override
        public void onComplete() {
            // bytes() is read after this
        }

        long bytes() {
            return bytes;
        }
    }
}
