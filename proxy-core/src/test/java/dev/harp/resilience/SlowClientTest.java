package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and idle clients are cut off by the timeouts, while a normal client is served throughout: slow request heads
 * by {@code requestTimeout}, CONNECT tunnels that never finish a TLS handshake by {@code handshakeTimeout}, idle
 * keep-alive connections (plain or inside TLS) by {@code idleTimeout}. Every timeout is 2 s here; a connection must
 * be closed between 1.5 s and 2 s plus {@value #SLACK_MILLIS} ms after it started dawdling.
 *
 * <p>The bounds are about order, not speed: never before the timeout, and well before anything else would close the
 * connection (the defaults are 10 s for the handshake, 30 s for requests, 60 s idle; a trickling client never goes
 * idle), so a timeout that is not applied still fails. How promptly a timer fires on a loaded machine is not this
 * test's business.
 */
class SlowClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Lateness allowed after the timeout: a loaded 2-core machine delays timers and the test's own reads by seconds. */
    private static final long SLACK_MILLIS = 5000;
    private static final int SLOW_CLIENTS = 100;
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final SSLContext TRUST_HARP = Wire.trusting(CA);
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();

    @TempDir
    Path dir;
    HarpServer harp;
    HttpClient client;

    @BeforeEach
    void startHarp() throws IOException {
        harp = HarpServer.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("slow.har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true)
                .requestTimeout(TIMEOUT).handshakeTimeout(TIMEOUT).idleTimeout(TIMEOUT).start();
        client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address())).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stopHarp() {
        harp.close();
    }

    @Test
    void slowRequestHeadsAreCutOffAtTheRequestTimeout() throws Exception {
        byte[] head = (Wire.head("GET", upstream.http("/hello"), "X-Filler: " + "z".repeat(200))).getBytes(StandardCharsets.US_ASCII);
        assertCutOff(trickler -> {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                trickler.open(harp.port(), "", false, head);
            }
        }, "slow request head");
    }

    @Test
    void tunnelsThatNeverFinishTheirHandshakeAreCutOffAtTheHandshakeTimeout() throws Exception {
        byte[] hello = Wire.clientHello(TRUST_HARP);
        String connect = "CONNECT 127.0.0.1:" + upstream.httpsPort() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        assertCutOff(trickler -> {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                switch (i % 3) {
                    case 0 -> trickler.open(harp.port(), connect, true, new byte[0]); // CONNECT, then nothing
                    case 1 -> trickler.open(harp.port(), connect, true, hello); // a ClientHello, one byte at a time
                    default -> trickler.open(harp.port(), connect + new String(hello, 0, hello.length / 2,
                            StandardCharsets.ISO_8859_1), true, new byte[0]); // half a ClientHello, then nothing
                }
            }
        }, "unfinished TLS handshake");
    }

    /**
     * A request body trickling in is forwarded as it comes; once the request timeout has passed it must keep up 500
     * bytes a second, else the client gets a 408 and its connection is closed (and the upstream's), rather than the
     * exchange draining the rest of the body for as long as the client dawdles.
     */
    @Test
    void slowForwardedRequestBodiesGetA408AtTheRequestTimeoutAndTheirConnectionClosed() throws Exception {
        harp.close();
        harp = HarpServer.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("slow.har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).requestTimeout(TIMEOUT).upstreamResponseTimeout(TIMEOUT).start();
        client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address())).connectTimeout(Duration.ofSeconds(5)).build();
        String head = Wire.head("POST", upstream.http("/sink"), "Content-Length: 1000");
        assertCutOff(trickler -> {
            for (int i = 0; i < 20; i++) {
                trickler.open(harp.port(), head, false, new byte[1000]);
            }
        }, "slow forwarded request body");
        assertThat(Resources.within(Duration.ofSeconds(3), () -> threadsReadingClientBodies() == 0))
                .as("no thread still reads a client's body").isTrue();
    }

    /**
     * The upstream response timeout counts from the end of the request: an upload that honestly takes longer than it
     * (3 s at about 20 KB/s against a 1 s timeout) gets its answer.
     */
    @Test
    void anUploadLongerThanTheResponseTimeoutIsNotCutOff() throws Exception {
        harp.close();
        harp = HarpServer.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("slow.har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).requestTimeout(Duration.ofSeconds(1))
                .upstreamResponseTimeout(Duration.ofSeconds(1)).start();
        int chunks = 30;
        byte[] chunk = new byte[2000];
        try (Socket s = Wire.connect(harp.port())) {
            Wire.write(s, Wire.head("POST", upstream.http("/sink"), "Content-Length: " + chunks * chunk.length));
            for (int i = 0; i < chunks; i++) {
                s.getOutputStream().write(chunk);
                s.getOutputStream().flush();
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // a paced upload
            }
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200")
                    .endsWith("received " + chunks * chunk.length + "\n");
        }
    }

    /**
     * In auto and replay modes Harp reads request bodies itself (to match them): a body that is not complete within
     * the request timeout plus a second per 500 bytes received is cut off, whatever the upstream would do.
     */
    @Test
    void slowRequestBodiesReadForMatchingAreCutOffAfterTheRequestTimeout() throws Exception {
        harp.close();
        Path har = dir.resolve("auto.har");
        Files.writeString(har, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"test\",\"version\":\"1\"},"
                + "\"entries\":[]}}");
        harp = HarpServer.builder().mode(Mode.AUTO).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                .requestTimeout(TIMEOUT).start();
        client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address())).connectTimeout(Duration.ofSeconds(5)).build();
        String head = Wire.head("POST", upstream.http("/sink"), "Content-Length: 1000");
        assertCutOff(trickler -> {
            for (int i = 0; i < 20; i++) {
                trickler.open(harp.port(), head, false, new byte[1000]);
            }
        }, "slow request body read for matching");
    }

    private static long threadsReadingClientBodies() {
        return Thread.getAllStackTraces().values().stream().filter(frames -> java.util.Arrays.stream(frames)
                .anyMatch(f -> f.getClassName().equals("io.undertow.io.UndertowInputStream"))).count();
    }

    @Test
    void idleConnectionsAreClosedAtTheIdleTimeout() throws Exception {
        // keep-alive after a full exchange, plain and inside a TLS tunnel, and a connection that never says anything
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket plain = Wire.connect(harp.port());
                Wire.write(plain, Wire.head("GET", upstream.http("/n/keep-" + i)));
                assertThat(Wire.readResponse(plain.getInputStream())).endsWith(ChaosUpstream.answer("keep-" + i));
                idle.add(plain);

                Socket raw = Wire.connect(harp.port());
                assertThat(Wire.connectTunnel(raw, "127.0.0.1:" + upstream.httpsPort())).startsWith("HTTP/1.1 200");
                SSLSocket tls = Wire.tls(raw, TRUST_HARP, "127.0.0.1", upstream.httpsPort(), "http/1.1");
                Wire.write(tls, Wire.originHead("GET", "127.0.0.1:" + upstream.httpsPort(), "/n/tls-keep-" + i));
                assertThat(Wire.readResponse(tls.getInputStream())).endsWith(ChaosUpstream.answer("tls-keep-" + i));
                idle.add(tls);

                Socket silent = Wire.connect(harp.port());
                idle.add(silent);
            }
            long start = System.nanoTime();
            for (Socket s : idle) {
                s.setSoTimeout((int) (TIMEOUT.toMillis() + SLACK_MILLIS + 2000));
                assertThat(s.getInputStream().read()).as("the proxy closed the idle connection").isEqualTo(-1);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusMillis(SLACK_MILLIS));
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    interface Opener {
        void open(Trickler trickler) throws IOException;
    }

    private void assertCutOff(Opener opener, String what) throws Exception {
        normal("warm-up");
        int baseline = Resources.settled(Resources::descriptorsOutsideSelectors, Duration.ofSeconds(5));
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Thread normalTraffic = new Thread(() -> {
            int i = 0;
            while (!done.get()) {
                try {
                    normal("during-" + i++);
                    served.incrementAndGet();
                } catch (Exception | AssertionError e) {
                    failures.add(e.toString());
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // a client pacing itself, not a race
            }
        }, "normal-client");
        List<Trickler.Slow> slow;
        try (Trickler trickler = new Trickler()) {
            normalTraffic.start();
            opener.open(trickler);
            slow = trickler.run(TIMEOUT.plusMillis(SLACK_MILLIS).plusSeconds(5));
        } finally {
            done.set(true);
            normalTraffic.join(20_000);
        }
        assertThat(failures).as("normal requests while %d clients dawdled", SLOW_CLIENTS).isEmpty();
        // a proxy starved by the dawdlers fails the normal requests (5 s timeout each, see failures above); how many
        // fit in the window depends on the machine's load, so only ask that the normal client kept being served
        assertThat(served.get()).as("normal requests served meanwhile").isGreaterThanOrEqualTo(2);
        System.out.printf("%s: %d connections closed after %d..%d ms; %d normal requests served meanwhile%n", what,
                slow.size(), slow.stream().mapToLong(s -> s.lasted().toMillis()).min().orElse(-1),
                slow.stream().mapToLong(s -> s.lasted().toMillis()).max().orElse(-1), served.get());
        for (Trickler.Slow s : slow) {
            if (what.contains("forwarded")) {
                assertThat(s.received()).startsWith("HTTP/1.1 408").contains("Connection: close");
            }
            assertThat(s.closed()).as("%s closed by the proxy (sent %d bytes, got '%s')", what, s.sent, s.received()).isTrue();
            assertThat(s.lasted()).as("%s closed after", what)
                    .isBetween(TIMEOUT.minusMillis(500), TIMEOUT.plusMillis(SLACK_MILLIS));
        }
        Resources.assertComesDownTo(baseline + 4, Resources::descriptorsOutsideSelectors, Duration.ofSeconds(5),
                "open descriptors other than selectors (baseline " + baseline + ")");
        normal("after");
    }

    private void normal(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(upstream.http("/n/" + id)))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo(ChaosUpstream.answer(id));
    }
}
