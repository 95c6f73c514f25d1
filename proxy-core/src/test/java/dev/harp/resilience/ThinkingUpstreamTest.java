package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.LogCapture;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that goes away while the upstream is still thinking (request sent, no response head yet) cancels the
 * upstream call at once: the upstream sees its connection closed (or its h2 stream reset) within {@link #PROMPTLY},
 * long before its own answer (30 s) or Harp's response timeout (60 s), and no worker stays waiting for it.
 * "Goes away" means what Harp can tell from a client that only half-closed its plain connection after the request
 * (a FIN alone, which still gets its response: {@code dev.harp.proxy.HalfCloseTest}): an RST, a TLS close, an h2
 * stream reset or GOAWAY.
 */
class ThinkingUpstreamTest {
    /**
     * Harp checks the client every 200 ms ({@code ClientWatch.POLL}); on a loaded 2-core machine the check and the
     * upstream's view of the close can lag by a second or more, so the test allows 3 s. That is still far below every
     * fallback that would end the call anyway (Undertow's clean close waits 10 s, the upstream answers after 30 s,
     * Harp's response timeout is 60 s), so a departure Harp does not notice fails.
     */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final SSLContext TRUST_HARP = Wire.trusting(CA);
    private static final AtomicInteger IDS = new AtomicInteger();
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();

    @TempDir
    Path dir;

    enum Leave { RST, RST_AFTER_UPLOAD, TLS_CLOSE, H2_STREAM_RESET, H2_GOAWAY }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH", "AUTO"})
    void aClientLeavingWhileTheUpstreamThinksCancelsTheUpstreamCallPromptly(Mode mode) throws Exception {
        try (HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + ".har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start()) {
            HttpClient viaHarp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TRUST_HARP)
                    .proxy(ProxySelector.of(harp.address())).connectTimeout(Duration.ofSeconds(5)).build();
            for (Leave leave : Leave.values()) {
                String id = mode + "-" + leave + "-" + IDS.incrementAndGet();
                String path = "/think?ms=30000&id=" + id;
                long start = System.nanoTime();
                switch (leave) {
                    case RST -> {
                        Socket s = Wire.connect(harp.port());
                        Wire.write(s, Wire.head("GET", upstream.http(path)));
                        awaitThinking(id);
                        Wire.reset(s);
                    }
                    case RST_AFTER_UPLOAD -> {
                        Socket s = Wire.connect(harp.port());
                        Wire.write(s, Wire.head("POST", upstream.http(path), "Content-Length: 100000"));
                        s.getOutputStream().write(new byte[100_000]);
                        awaitThinking(id);
                        Wire.reset(s);
                    }
                    case TLS_CLOSE -> {
                        Socket s = Wire.connect(harp.port());
                        assertThat(Wire.connectTunnel(s, "127.0.0.1:" + upstream.httpsPort())).startsWith("HTTP/1.1 200");
                        try (SSLSocket tls = Wire.tls(s, TRUST_HARP, "127.0.0.1", upstream.httpsPort(), "http/1.1")) {
                            Wire.write(tls, Wire.originHead("GET", "127.0.0.1:" + upstream.httpsPort(), path));
                            awaitThinking(id);
                        }
                    }
                    case H2_STREAM_RESET -> {
                        CompletableFuture<HttpResponse<InputStream>> call = viaHarp.sendAsync(
                                HttpRequest.newBuilder(URI.create(upstream.https(path))).build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                        awaitThinking(id);
                        call.cancel(true); // the JDK client resets the h2 stream; the connection stays
                    }
                    case H2_GOAWAY -> {
                        Socket s = Wire.connect(harp.port());
                        assertThat(Wire.connectTunnel(s, "127.0.0.1:" + upstream.httpsPort())).startsWith("HTTP/1.1 200");
                        SSLSocket tls = Wire.tls(s, TRUST_HARP, "127.0.0.1", upstream.httpsPort(), "h2");
                        assertThat(tls.getApplicationProtocol()).isEqualTo("h2");
                        Wire.H2 client = new Wire.H2(tls);
                        client.get("127.0.0.1:" + upstream.httpsPort(), path);
                        awaitThinking(id);
                        client.goAwayAndClose();
                    }
                }
                assertThat(upstream.awaitCancelled(id, PROMPTLY))
                        .as("%s in %s: the upstream saw the call cancelled within %s", leave, mode, PROMPTLY).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
            // the h2 connection whose stream was reset still serves
            HttpResponse<String> after = viaHarp.send(HttpRequest.newBuilder(URI.create(upstream.https("/n/after")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.body()).isEqualTo(ChaosUpstream.answer("after"));
        }
    }

    /**
     * HTTP/1.1 clients, plain and inside a TLS tunnel: the upstream sends half of its body and pauses; the client
     * leaves (an RST on the plain connection, where a FIN would be a half-close; a TLS close in the tunnel). Nothing
     * is being written to the client then, so only Harp's watch notices, and it closes the upstream connection
     * promptly instead of holding both until the upstream resumes.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void aClientLeavingWhileTheUpstreamPausesMidBodyClosesTheUpstreamPromptly(Mode mode) throws Exception {
        try (HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + ".har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start()) {
            for (boolean tls : new boolean[] {false, true}) {
                String id = mode + "-paused-" + (tls ? "tls" : "plain") + "-" + IDS.incrementAndGet();
                String path = "/pause?ms=30000&id=" + id;
                Socket raw = Wire.connect(harp.port());
                Socket s = raw;
                if (tls) {
                    assertThat(Wire.connectTunnel(raw, "127.0.0.1:" + upstream.httpsPort())).startsWith("HTTP/1.1 200");
                    s = Wire.tls(raw, TRUST_HARP, "127.0.0.1", upstream.httpsPort(), "http/1.1");
                    Wire.write(s, Wire.originHead("GET", "127.0.0.1:" + upstream.httpsPort(), path));
                } else {
                    Wire.write(s, Wire.head("GET", upstream.http(path)));
                }
                assertThat(Wire.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
                assertThat(s.getInputStream().readNBytes(1000)).hasSize(1000);
                awaitThinking(id);
                if (tls) {
                    s.close();
                } else {
                    Wire.reset(s);
                }
                assertThat(upstream.awaitCancelled(id, PROMPTLY))
                        .as("%s, %s: the upstream saw its connection closed within %s", mode, tls ? "TLS" : "plain", PROMPTLY)
                        .isTrue();
            }
        }
    }

    /**
     * Stopping the proxy while exchanges wait for their upstream (a test JVM shutting down, a killed fork) closes
     * them all; the failures that follow on the I/O threads being torn down must stay quiet: no ERROR, no stack trace.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH", "AUTO"})
    void stoppingTheProxyWhileExchangesWaitLogsNoProblem(Mode mode) throws Exception {
        List<Socket> clients = new ArrayList<>();
        List<String> problems;
        HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + "-stop.har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).start();
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < 5; i++) {
                String id = mode + "-stop-" + IDS.incrementAndGet();
                Socket s = Wire.connect(harp.port());
                clients.add(s);
                Wire.write(s, Wire.head("GET", upstream.http("/think?ms=30000&id=" + id)));
                awaitThinking(id);
            }
            harp.close();
            for (Socket s : clients) {
                s.setSoTimeout(5_000);
                // a 502 may come first (the upstream connection was closed under the exchange); then the end
                String rest = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(rest).as("what the client got before its connection closed").satisfiesAnyOf(
                        r -> assertThat(r).isEmpty(), r -> assertThat(r).startsWith("HTTP/1.1 502"));
            }
            problems = log.problems();
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH", "AUTO"})
    void aPipelinedRequestIsNotMistakenForAnAbortAndIsServedAfterTheSlowOne(Mode mode) throws Exception {
        try (HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + ".har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).start();
             Socket s = Wire.connect(harp.port())) {
            String id = "pipelined-" + IDS.incrementAndGet();
            Wire.write(s, Wire.head("GET", upstream.http("/think?ms=800&id=" + id)));
            awaitThinking(id);
            Wire.write(s, Wire.head("GET", upstream.http("/n/" + id)));
            String first = Wire.readResponse(s.getInputStream());
            String second = Wire.readResponse(s.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 200").endsWith("thought " + id + "\n");
            assertThat(second).startsWith("HTTP/1.1 200").endsWith(ChaosUpstream.answer(id));
        }
    }

    private static void awaitThinking(String id) throws InterruptedException {
        assertThat(upstream.awaitThinking(id, Duration.ofSeconds(10))).as("the request reached the upstream").isTrue();
    }
}
