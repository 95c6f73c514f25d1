package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.tls.CertificateAuthority;
import dev.harp.testing.LogCapture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos: in every mode, clients walk away at every stage of plain HTTP, CONNECT/TLS and HTTP/2 exchanges, each kind
 * {@value #ROUNDS} times, shuffled across four threads, while two other threads send normal requests (HTTP/1.1 and
 * h2 inside TLS) that must all get their own answers. Afterwards the proxy serves, descriptors and threads are back
 * at their baseline, nothing was logged at WARN or above and no stack trace was printed, the upstream saw every
 * abandoned call cancelled, and (record, auto) the HAR is valid and holds every completed normal flow.
 */
class ChaosTest {
    private static final int ROUNDS = 200;
    private static final int WARM_UP = 10;
    private static final long LARGE = 4L << 20;
    private static final int RECORDED_IDS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Harp's Undertow worker pool (threads are created on demand up to this and then kept). */
    private static final int HARP_WORKERS = 64;
    /** The test upstream's Undertow worker pool. */
    private static final int UPSTREAM_WORKERS = 16;
    /**
     * Harp's upstream HTTP client pools (the JDK client's executor, and the threads blocked in its send): idle threads
     * end after 60 s; a bound generous for this test's concurrency.
     */
    private static final int UPSTREAM_CLIENT_THREADS = 64;
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final SSLContext TRUST_HARP = Wire.trusting(CA);
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();
    private static byte[] clientHello;

    enum Kind {
        /** The request head stops half-way, then FIN. */
        PARTIAL_HEAD,
        /** FIN after the head and 256 KiB of a 4 MiB upload. */
        MID_UPLOAD,
        /**
         * The client leaves once the upstream has the request and is still thinking: with an RST (Harp cancels the
         * upstream call), or a FIN, in turn (to Harp a half-close: the upstream answers, and the write finds the
         * client gone).
         */
        THINKING,
        /** FIN after 64 KiB of a 4 MiB response. */
        MID_DOWNLOAD,
        /** RST (SO_LINGER 0) after the request, mid-upload or mid-download, in turn. */
        RESET,
        /** CONNECT answered, then FIN before any ClientHello. */
        CONNECT_ONLY,
        /** Half a ClientHello, then FIN. */
        HALF_CLIENT_HELLO,
        /** Bytes that are not TLS (in turn: starting like a TLS record, or not at all). */
        GARBAGE,
        /** A whole HTTPS request and response, then RST. */
        HTTPS_THEN_RESET,
        /** The JDK client resets its h2 stream: while the upstream thinks, or mid-response, in turn. */
        H2_STREAM_RESET,
        /** A raw h2 client leaves mid-stream: GOAWAY and close, or RST, in turn. */
        H2_CONNECTION_CLOSE
    }

    @TempDir
    Path dir;

    @BeforeAll
    static void prepareClientHello() throws IOException {
        clientHello = Wire.clientHello(TRUST_HARP);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientsLeavingAtEveryStageAreNormalEvents(Mode mode) throws Exception {
        String only = System.getProperty("harp.chaos.modes"); // e.g. -Dharp.chaos.modes=REPLAY when investigating
        org.junit.jupiter.api.Assumptions.assumeTrue(only == null || only.contains(mode.name()),
                "-Dharp.chaos.modes=" + only + " leaves this mode out");
        Path har = dir.resolve("chaos.har");
        if (mode == Mode.REPLAY) {
            recordForReplay(har);
        }
        ExecutorService clientPool = Executors.newFixedThreadPool(4, named("chaos-http-client-"));
        ExecutorService abortThreads = Executors.newFixedThreadPool(4, named("chaos-abort-"));
        ExecutorService normalThreads = Executors.newFixedThreadPool(2, named("chaos-normal-"));
        try (LogCapture log = LogCapture.start()) {
            HarpServer harp = HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                    .certificateAuthority(CA).insecureUpstream(true).start();
            try {
                Scene scene = new Scene(mode, harp, clientPool);
                Outcome warmUp = scene.round(WARM_UP, abortThreads, normalThreads);
                assertThat(warmUp.failures).as("warm-up failures").isEmpty();
                int fdBaseline = Resources.settled(Resources::descriptorsOutsideSelectors, Duration.ofSeconds(5));
                String descriptorsAtBaseline = Resources.descriptorSummary();
                int threadBaseline = Resources.settled(Resources::threadsOutsidePools, Duration.ofSeconds(5));
                String threadsAtBaseline = Resources.threadSummary();
                int cancelledBefore = upstream.thinkingCancelled();

                long start = System.nanoTime();
                Outcome chaos = scene.round(ROUNDS, abortThreads, normalThreads);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("chaos %s: %d aborts and %d normal requests in %d ms%n", mode,
                        ROUNDS * Kind.values().length, chaos.normalUrls.size(), millis);

                assertThat(chaos.failures).as("failures during the chaos round").isEmpty();
                assertThat(chaos.normalUrls).as("normal requests served during the chaos").hasSizeGreaterThan(20);
                scene.normal(scene.id("after"), false);
                scene.normal(scene.id("after"), true);
                assertThat(scene.failures).as("normal requests after the chaos").isEmpty();
                if (mode != Mode.REPLAY) {
                    int abandoned = chaos.thinkingAbandoned.get();
                    assertThat(Resources.within(Duration.ofSeconds(5),
                            () -> upstream.thinkingCancelled() - cancelledBefore >= abandoned))
                            .as("the upstream saw all %d abandoned calls cancelled (saw %d)", abandoned,
                                    upstream.thinkingCancelled() - cancelledBefore).isTrue();
                }
                Resources.assertComesDownTo(fdBaseline + 4, Resources::descriptorsOutsideSelectors, Duration.ofSeconds(15),
                        "open descriptors other than selectors (baseline " + fdBaseline + ": " + descriptorsAtBaseline + ")");
                assertThat(Resources.selectors()).as("selectors (cached per thread): %s", Resources.descriptorSummary())
                        .isLessThanOrEqualTo(Resources.liveThreads());
                Resources.assertComesDownTo(threadBaseline + 2, Resources::threadsOutsidePools, Duration.ofSeconds(15),
                        "live threads outside worker pools (baseline " + threadBaseline + ": " + threadsAtBaseline + ")");
                assertThat(Resources.poolThreads()).as("worker pool threads: %s", Resources.threadSummary())
                        .isLessThanOrEqualTo(HARP_WORKERS + UPSTREAM_WORKERS + UPSTREAM_CLIENT_THREADS);
                harp.close();
                assertThat(log.problems()).as("log records at WARN or above, or stack traces").isEmpty();
                if (mode == Mode.RECORD || mode == Mode.AUTO) {
                    Set<String> recorded = HarReader.read(har).entries().stream().map(HarEntry::request)
                            .map(r -> r.url()).collect(Collectors.toSet());
                    assertThat(recorded).as("the HAR holds every completed normal flow").containsAll(chaos.normalUrls);
                }
            } finally {
                harp.close();
            }
        } finally {
            clientPool.shutdownNow();
            abortThreads.shutdownNow();
            normalThreads.shutdownNow();
        }
    }

    /** Replay needs every URL the chaos uses, recorded once. */
    private static void recordForReplay(Path har) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, named("chaos-record-"));
        try (HarpServer recorder = HarpServer.builder().mode(Mode.RECORD).har(har).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start()) {
            Scene scene = new Scene(Mode.RECORD, recorder, pool);
            for (boolean https : new boolean[] {false, true}) {
                for (int i = 0; i < RECORDED_IDS; i++) {
                    scene.normal("r" + i, https);
                }
                for (String path : List.of("/hello", "/large?size=" + LARGE, Scene.thinkPath("replay"))) {
                    HttpResponse<byte[]> r = scene.client(https).send(HttpRequest.newBuilder(URI.create(scene.url(path, https)))
                            .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(r.statusCode()).as("%s: %s", r.uri(), new String(r.body())).isEqualTo(200);
                }
            }
            assertThat(scene.failures).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** What one round produced. */
    static final class Outcome {
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final Queue<String> normalUrls = new ConcurrentLinkedQueue<>();
        final AtomicInteger thinkingAbandoned = new AtomicInteger();
    }

    /** One proxy in one mode, with the clients that talk to it. */
    static final class Scene {
        private static final AtomicInteger SEQUENCE = new AtomicInteger();
        final Mode mode;
        final HarpServer harp;
        final HttpClient http1;
        final HttpClient h2;
        final HttpClient h2Aborts;
        final Queue<String> failures = new ConcurrentLinkedQueue<>();

        Scene(Mode mode, HarpServer harp, ExecutorService clientPool) {
            this.mode = mode;
            this.harp = harp;
            this.http1 = client(HttpClient.Version.HTTP_1_1, clientPool);
            this.h2 = client(HttpClient.Version.HTTP_2, clientPool);
            this.h2Aborts = client(HttpClient.Version.HTTP_2, clientPool);
        }

        private HttpClient client(HttpClient.Version version, ExecutorService pool) {
            return HttpClient.newBuilder().version(version).proxy(ProxySelector.of(harp.address())).sslContext(TRUST_HARP)
                    .connectTimeout(TIMEOUT).executor(pool).build();
        }

        HttpClient client(boolean https) {
            return https ? h2 : http1;
        }

        String url(String path, boolean https) {
            return https ? upstream.https(path) : upstream.http(path);
        }

        static String thinkPath(String id) {
            return "/think?ms=2000&id=" + id;
        }

        boolean forwards() {
            return mode != Mode.REPLAY;
        }

        /** An id for a new request: fresh in forwarding modes, one of the recorded ones in replay. */
        String id(String prefix) {
            int n = SEQUENCE.incrementAndGet();
            return forwards() ? prefix + "-" + n : "r" + (n % RECORDED_IDS);
        }

        /** One normal request; returns its URL when it got exactly its answer, null (and a failure noted) otherwise. */
        String normal(String id, boolean https) {
            String url = url("/n/" + id, https);
            try {
                HttpResponse<String> r = client(https).send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !ChaosUpstream.answer(id).equals(r.body())) {
                    failures.add(url + " answered " + r.statusCode() + " " + r.body());
                    return null;
                }
                return url;
            } catch (IOException e) {
                failures.add(url + " failed: " + e);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(url + " interrupted");
                return null;
            }
        }

        Outcome round(int rounds, ExecutorService abortThreads, ExecutorService normalThreads) throws InterruptedException {
            Outcome outcome = new Outcome();
            List<Kind> kinds = new ArrayList<>();
            for (Kind k : Kind.values()) {
                kinds.addAll(Collections.nCopies(rounds, k));
            }
            Collections.shuffle(kinds, new Random(rounds));
            AtomicBoolean done = new AtomicBoolean();
            // one normal request per finished abort, at most: interleaved, and never starving the aborts of CPU
            Semaphore turns = new Semaphore(0);
            List<Future<?>> normals = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                boolean startWithHttps = t == 1;
                normals.add(normalThreads.submit(() -> {
                    boolean https = startWithHttps;
                    while (!done.get()) {
                        if (!turns.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        String url = normal(id("normal"), https);
                        if (url != null) {
                            outcome.normalUrls.add(url);
                        }
                        https = !https;
                    }
                    return null;
                }));
            }
            List<Future<?>> aborts = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                Kind kind = kinds.get(i);
                int seq = i;
                aborts.add(abortThreads.submit(() -> {
                    try {
                        abort(kind, seq, outcome);
                    } catch (java.net.SocketTimeoutException | java.net.http.HttpTimeoutException stuck) {
                        outcome.failures.add(kind + " #" + seq + ": the proxy went silent: " + stuck);
                    } catch (ExecutionException e) {
                        // only H2_STREAM_RESET waits on a call: a shared h2 connection may break first, part of the game
                        if (!(e.getCause() instanceof IOException) || e.getCause() instanceof java.net.http.HttpTimeoutException
                                || harpClosedTheConnection(e.getCause())) {
                            outcome.failures.add(kind + " #" + seq + ": " + e.getCause());
                        }
                    } catch (Throwable t) {
                        // an IOException of a step that must succeed (must), or an error no abort expects
                        outcome.failures.add(kind + " #" + seq + ": " + t);
                    } finally {
                        turns.release();
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            for (Future<?> f : aborts) {
                await(f, deadline, outcome, "abort");
            }
            done.set(true);
            for (Future<?> f : normals) {
                await(f, System.nanoTime() + TIMEOUT.toNanos() * 2, outcome, "normal traffic");
            }
            outcome.failures.addAll(failures);
            failures.clear();
            return outcome;
        }

        private static void await(Future<?> f, long deadline, Outcome outcome, String what) throws InterruptedException {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                outcome.failures.add(what + ": " + e.getCause());
            } catch (TimeoutException e) {
                StringBuilder stacks = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, frames) -> {
                    if (t.getName().startsWith("chaos-")) {
                        stacks.append('\n').append(t.getName()).append(':');
                        for (StackTraceElement f2 : frames) {
                            stacks.append("\n    ").append(f2);
                        }
                    }
                });
                f.cancel(true);
                outcome.failures.add(what + " did not finish in time" + stacks);
            }
        }

        private void abort(Kind kind, int seq, Outcome outcome) throws Exception {
            int port = harp.port();
            String httpsAuthority = "127.0.0.1:" + upstream.httpsPort();
            switch (kind) {
                case PARTIAL_HEAD -> {
                    try (Socket s = must("connect", () -> Wire.connect(port))) {
                        leaving(() -> Wire.write(s, Wire.head("GET", upstream.http("/hello")).replace("\r\n\r\n", "\r\nX-Partial: ye")));
                    }
                }
                case MID_UPLOAD -> {
                    try (Socket s = must("connect", () -> Wire.connect(port))) {
                        midUpload(s);
                    }
                }
                case THINKING -> {
                    Socket s = must("connect", () -> Wire.connect(port));
                    boolean reset = seq % 2 == 0;
                    try {
                        String id = forwards() ? "chaos-" + seq + "-" + SEQUENCE.incrementAndGet() : "replay";
                        must("request head", () -> Wire.write(s, Wire.head("GET", upstream.http(thinkPath(id)))));
                        if (reset) {
                            awaitThinking(id, outcome);
                        } else if (forwards()) {
                            assertThat(upstream.awaitThinking(id, TIMEOUT)).as("%s reached the upstream", id).isTrue();
                        }
                    } finally {
                        if (reset) {
                            Wire.reset(s);
                        } else {
                            s.close();
                        }
                    }
                }
                case MID_DOWNLOAD -> {
                    try (Socket s = must("connect", () -> Wire.connect(port))) {
                        midDownload(s);
                    }
                }
                case RESET -> {
                    Socket s = must("connect", () -> Wire.connect(port));
                    try {
                        switch (seq % 3) {
                            case 0 -> must("request head", () -> Wire.write(s, Wire.head("GET", upstream.http("/hello"))));
                            case 1 -> midUpload(s);
                            default -> midDownload(s);
                        }
                    } finally {
                        Wire.reset(s);
                    }
                }
                case CONNECT_ONLY -> {
                    try (Socket s = must("connect", () -> Wire.connect(port))) {
                        assertThat(must("CONNECT", () -> Wire.connectTunnel(s, httpsAuthority))).startsWith("HTTP/1.1 200");
                    }
                }
                case HALF_CLIENT_HELLO -> {
                    try (Socket s = must("connect", () -> Wire.connect(port))) {
                        assertThat(must("CONNECT", () -> Wire.connectTunnel(s, httpsAuthority))).startsWith("HTTP/1.1 200");
                        leaving(() -> {
                            s.getOutputStream().write(clientHello, 0, clientHello.length / 2);
                            s.getOutputStream().flush();
                        });
                    }
                }
                case GARBAGE -> {
                    try (Socket s = must("connect", () -> Wire.connect(port))) {
                        assertThat(must("CONNECT", () -> Wire.connectTunnel(s, httpsAuthority))).startsWith("HTTP/1.1 200");
                        leaving(() -> {
                            s.getOutputStream().write(Wire.garbage(seq % 2 == 0));
                            s.getOutputStream().flush();
                        });
                    }
                }
                case HTTPS_THEN_RESET -> {
                    Socket s = must("connect", () -> Wire.connect(port));
                    try {
                        // everything before the reset is a normal HTTPS exchange: any error of it is a failure
                        assertThat(must("CONNECT", () -> Wire.connectTunnel(s, httpsAuthority))).startsWith("HTTP/1.1 200");
                        SSLSocket tls = must("TLS handshake", () -> Wire.tls(s, TRUST_HARP, "127.0.0.1", upstream.httpsPort(), "http/1.1"));
                        String id = id("tls");
                        String response = must("HTTPS exchange", () -> {
                            Wire.write(tls, Wire.originHead("GET", httpsAuthority, "/n/" + id));
                            return Wire.readResponse(tls.getInputStream());
                        });
                        assertThat(response).startsWith("HTTP/1.1 200").endsWith(ChaosUpstream.answer(id));
                    } finally {
                        Wire.reset(s);
                    }
                }
                case H2_STREAM_RESET -> {
                    if (seq % 2 == 0) {
                        String id = forwards() ? "h2-" + seq + "-" + SEQUENCE.incrementAndGet() : "replay";
                        CompletableFuture<HttpResponse<InputStream>> call = h2Aborts.sendAsync(
                                HttpRequest.newBuilder(URI.create(upstream.https(thinkPath(id)))).timeout(TIMEOUT).build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                        if (forwards()) {
                            // the shared h2 connection may break first (a stream of it was reset mid-write): then the
                            // call fails instead of arriving, which is part of the game too
                            assertThat(Resources.within(TIMEOUT, () -> upstream.thinkingArrived(id) || call.isDone()))
                                    .as("%s reached the upstream or failed", id).isTrue();
                            if (!upstream.thinkingArrived(id)) {
                                HttpResponse<InputStream> early = call.get(1, TimeUnit.SECONDS); // throws when it failed
                                throw new AssertionError(id + " answered " + early.statusCode() + " before reaching the upstream: "
                                        + new String(early.body().readAllBytes()));
                            }
                            outcome.thinkingAbandoned.incrementAndGet();
                        }
                        call.cancel(true);
                    } else {
                        // read 64 KiB, then cancel the body subscription: the JDK client resets the stream
                        PartialBody partial = new PartialBody(64 * 1024);
                        CompletableFuture<HttpResponse<Void>> head = h2Aborts.sendAsync(HttpRequest.newBuilder(
                                URI.create(upstream.https("/large?size=" + LARGE))).timeout(TIMEOUT).build(), info -> partial);
                        // a call that fails before its head never meets the body subscriber: pass the failure on, or
                        // it would pass for a proxy gone silent (and a head timeout still fails the round below)
                        head.whenComplete((r, failed) -> {
                            if (failed != null) {
                                partial.onError(failed instanceof java.util.concurrent.CompletionException ? failed.getCause() : failed);
                            }
                        });
                        try {
                            partial.enough.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        } catch (TimeoutException e) {
                            String threads = Stalls.report();
                            partial.cancel();
                            throw new java.net.http.HttpTimeoutException("h2 body stalled after " + partial.received
                                    + " bytes; response head " + Stalls.state(head) + threads);
                        } catch (ExecutionException e) {
                            if (!(e.getCause() instanceof IOException) || e.getCause() instanceof java.net.http.HttpTimeoutException
                                    || harpClosedTheConnection(e.getCause())) {
                                throw e;
                            }
                            // the stream broke first (the upstream can be mid-reset too): part of the game
                        }
                    }
                }
                case H2_CONNECTION_CLOSE -> {
                    Socket s = must("connect", () -> Wire.connect(port));
                    try {
                        // the set-up and the request must work; only the leaving is the abort
                        assertThat(must("CONNECT", () -> Wire.connectTunnel(s, httpsAuthority))).startsWith("HTTP/1.1 200");
                        SSLSocket tls = must("TLS handshake", () -> Wire.tls(s, TRUST_HARP, "127.0.0.1", upstream.httpsPort(), "h2"));
                        assertThat(tls.getApplicationProtocol()).as("ALPN").isEqualTo("h2");
                        Wire.H2 client = must("h2 preface", () -> new Wire.H2(tls));
                        must("h2 request and response", () -> {
                            client.get(httpsAuthority, "/large?size=" + LARGE);
                            // may end short with an RST_STREAM: in forwarding modes the upstream h2 connection is
                            // shared, and another abort can break it first (see H2_STREAM_RESET)
                            client.readData(32 * 1024);
                        });
                        if (seq % 2 == 0) {
                            client.goAwayAndClose();
                        }
                    } finally {
                        Wire.reset(s);
                    }
                }
            }
        }

        /**
         * Whether Harp sent the client GOAWAY (JDK 17's client fails the connection's calls with "GOAWAY received"):
         * nothing in this test gives Harp a reason to drop a client's connection, so that is a failure, not an abort.
         */
        static boolean harpClosedTheConnection(Throwable t) {
            return t.getMessage() != null && t.getMessage().contains("GOAWAY");
        }

        private void awaitThinking(String id, Outcome outcome) throws InterruptedException {
            if (forwards()) {
                assertThat(upstream.awaitThinking(id, TIMEOUT)).as("%s reached the upstream", id).isTrue();
                outcome.thinkingAbandoned.incrementAndGet();
            }
        }

        private static void midUpload(Socket s) {
            must("request head", () -> Wire.write(s, Wire.head("POST", upstream.http("/sink"), "Content-Length: " + LARGE)));
            leaving(() -> { // the proxy may answer and close first (replay: /sink was never recorded)
                s.getOutputStream().write(new byte[256 * 1024]);
                s.getOutputStream().flush();
            });
        }

        private static void midDownload(Socket s) {
            must("request head", () -> Wire.write(s, Wire.head("GET", upstream.http("/large?size=" + LARGE))));
            int read = must("first 64 KiB of the download", () -> s.getInputStream().readNBytes(64 * 1024).length);
            assertThat(read).as("bytes of the download before leaving").isEqualTo(64 * 1024);
        }

        /** An I/O step of an abort scenario. */
        interface Step<T> {
            T run() throws IOException;
        }

        /** An I/O step with no result. */
        interface Move {
            void run() throws IOException;
        }

        /**
         * A step that must succeed (connecting, CONNECT, a handshake, a normal exchange before the client leaves): its
         * IOException fails the round instead of passing for part of the abort.
         */
        static <T> T must(String what, Step<T> step) {
            try {
                return step.run();
            } catch (IOException e) {
                throw new AssertionError(what + " failed: " + e, e);
            }
        }

        static void must(String what, Move move) {
            must(what, () -> {
                move.run();
                return null;
            });
        }

        /**
         * The client's last moves before it leaves: the proxy may have closed first (it answered, or refused what it
         * read), so a broken pipe or a reset here is part of the game.
         */
        static void leaving(Move move) {
            try {
                move.run();
            } catch (IOException proxyClosedFirst) {
                // expected: see above
            }
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
