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
 * ALPN) and through Harp (CONNECT, TLS with Harp's leaf, h2 by ALPN inside the tunnel), on one connection with 1
 * and 16 concurrent streams, for both bodies, rounds interleaved like the benchmark's other compared rows.
 *
 * <p>The load generator is the same on both routes, and each route reaches its server the way a real client does,
 * with nothing in between: that is what keeps "vs direct" fair. {@code h2load} when installed ({@link H2loadDriver}:
 * through Harp its socket is handed over after a preloaded {@code connect()} has done the CONNECT, so no relay
 * copies its bytes; a relay would cost only the proxied route, or, put on both, pull the ratio towards 1: a
 * {@code socat} relay on the direct route alone took h2load from 15,300 to 4,600 req/s at one stream). Otherwise the
 * JDK's {@link HttpClient} with {@link HttpClient.Version#HTTP_2} on both routes: one client per route (so one h2
 * connection, or one tunnel with one h2 connection inside), and N threads that each call {@code send} in a closed
 * loop, so N streams are in flight at once; it costs about ten times h2load's CPU per request, and that cost is in
 * both figures.
 *
 * <p>Before any load, each route must answer both bodies to the JDK client with 200, over HTTP/2, with the whole
 * body, or the part fails there.
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
        StringBuilder whyNot = new StringBuilder();
        H2loadDriver h2load = options.jdkDriverOnly() ? null : H2loadDriver.find(scratch, whyNot);
        if (h2load == null && whyNot.length() > 0) {
            progress.say("h2 rows: %s; falling back to the JDK HttpClient on both routes", whyNot);
        }
        String client = h2load != null ? h2load.version() : "JDK HttpClient h2";
        try (HarpServer passthrough = harp.start(Mode.PASSTHROUGH, scratch.resolve("unused-h2.har"));
             Route direct = new Route("direct HTTPS, h2, keep-alive", tls, null, 0);
             Route mitm = new Route("Harp MITM HTTPS, h2 in the tunnel, keep-alive", tls, passthrough.address(),
                     passthrough.port())) {
            List<Route> routes = List.of(direct, mitm);
            for (Route r : routes) {
                for (Bodies body : Bodies.values()) {
                    r.probe(uri(upstream, body), body); // 200, HTTP/2 and the whole body, or the part fails here
                }
            }
            Load load = h2load != null
                    ? (r, body, streams, warmup, d) -> h2load.run(r.proxyPort, upstream.httpsPort(), body, streams, warmup, d)
                    : (r, body, streams, warmup, d) -> driver.run(r.factory(uri(upstream, body), body), streams, warmup, d,
                    MAX_REQUESTS);
            for (Route r : routes) {
                load.run(r, Bodies.K1, 16, Duration.ZERO, options.scenarioWarmup());
            }
            for (Bodies body : Bodies.values()) {
                for (int streams : STREAMS) {
                    Map<Route, List<LoadResult>> rounds = new LinkedHashMap<>();
                    Map<Route, CpuMeter.Sum> cpuSums = new LinkedHashMap<>();
                    for (Route r : routes) {
                        load.run(r, body, streams, Duration.ZERO, options.warmup());
                        rounds.put(r, new ArrayList<>());
                        cpuSums.put(r, new CpuMeter.Sum());
                    }
                    for (int round = 0; round < options.rounds(); round++) {
                        for (int i = 0; i < routes.size(); i++) {
                            Route r = routes.get((i + round) % routes.size());
                            CpuMeter.Snapshot before = cpu.snapshot();
                            rounds.get(r).add(load.run(r, body, streams, Duration.ZERO, options.round()));
                            cpuSums.get(r).add(before, cpu.snapshot());
                        }
                    }
                    LoadResult d = LoadResult.median(rounds.get(direct));
                    for (Route r : routes) {
                        LoadResult m = LoadResult.median(rounds.get(r));
                        double ratio = m.requestsPerSecond() / d.requestsPerSecond();
                        boolean headline = r == mitm && body == Bodies.K1 && streams == 16;
                        String others = Report.percent(cpuSums.get(r).othersShare());
                        rows.add(new Row(r.label, body.label, "1 × " + streams + (streams == 1 ? " stream" : " streams"), client,
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
            String ways = "direct: TLS to nginx, h2 by ALPN; through Harp (passthrough mode): CONNECT, TLS with Harp's"
                    + " leaf, h2 by ALPN in the tunnel";
            if (h2load != null) {
                notes.add("h2 rows: " + client + " on both routes, one connection with 1 or 16 concurrent streams (`-c 1"
                        + " -m N`), a new h2load process per round whose first 0.5 s (connection, TLS, first requests)"
                        + " is not counted; " + ways + ". h2load cannot use a proxy: through Harp it runs with"
                        + " `--connect-to` Harp's port and a small preloaded `connect()` (`connect-via-proxy.c`, compiled"
                        + " with `cc`) that sends the CONNECT and reads Harp's 200 before h2load gets the socket, so no"
                        + " relay copies its bytes. p50 and p99 from h2load's per-request log. Before the loads, each route"
                        + " answered both bodies to the JDK HttpClient with 200, HTTP/2 and the whole body");
            } else {
                notes.add(String.format(Locale.ROOT, "h2 rows: the JDK HttpClient (`Version.HTTP_2`, trusting the"
                        + " benchmark's CA) on both routes%s, one client per route and so one connection (%s), N threads"
                        + " calling `send` in a closed loop for N concurrent streams; each response checked for status"
                        + " 200, HTTP/2 and its body length; TLS connections the clients opened in the whole part:"
                        + " direct %d, through Harp %d (1 each: every round ran on one kept-alive connection)",
                        whyNot.length() > 0 ? " (h2load not used: " + whyNot + ")" : "", ways,
                        direct.connections(), mitm.connections()));
            }
        }
    }

    /** One load on a route. */
    @FunctionalInterface
    private interface Load {
        LoadResult run(Route route, Bodies body, int streams, Duration warmup, Duration duration) throws Exception;
    }

    private static URI uri(Upstream upstream, Bodies body) {
        return URI.create("https://" + TlsMaterial.HOST + ":" + upstream.httpsPort() + body.path);
    }

    /** One way to the origin: its own HttpClient (and so its own h2 connection), direct or through a proxy. */
    private static final class Route implements AutoCloseable {
        final String label;
        /** Harp's port, or 0 for the direct route. */
        final int proxyPort;
        private final ExecutorService executor;
        private final HttpClient client;
        private final AtomicInteger threads = new AtomicInteger();
        private final AtomicInteger engines = new AtomicInteger();

        Route(String label, TlsMaterial tls, InetSocketAddress proxy, int proxyPort) throws GeneralSecurityException {
            this.label = label;
            this.proxyPort = proxyPort;
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
