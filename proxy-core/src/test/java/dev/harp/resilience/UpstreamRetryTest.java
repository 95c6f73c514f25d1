package dev.harp.resilience;

import dev.harp.Harp;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream whose connection or stream breaks just as a request arrives (what a pooled connection hitting the
 * upstream's idle timeout, or an h2 GOAWAY, looks like): a safe request without a body is retried once, anything
 * else is answered 502 at once, and nothing is retried forever.
 */
class UpstreamRetryTest {
    @TempDir
    Path dir;

    /** HTTP/2 upstream: JDK 17's client retries nothing there itself, so these attempts are Harp's alone. */
    @Test
    void aSafeRequestIsRetriedOnceWhenItsUpstreamStreamBreaksBeforeAnAnswer() throws Exception {
        try (ResettingH2Upstream up = new ResettingH2Upstream(1); Harp harp = harp(); Socket s = tunnel(harp, up)) {
            Wire.write(s, Wire.originHead("GET", "127.0.0.1:" + up.port(), "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("fine\n");
            assertThat(up.attempts.get()).isEqualTo(2);
        }
    }

    @Test
    void aRequestWithABodyIsNotRetried() throws Exception {
        try (ResettingH2Upstream up = new ResettingH2Upstream(1); Harp harp = harp(); Socket s = tunnel(harp, up)) {
            Wire.write(s, Wire.originHead("POST", "127.0.0.1:" + up.port(), "/a", "Content-Length: 2") + "hi");
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 502")
                    .endsWith("Harp: upstream 127.0.0.1:" + up.port() + " closed the connection without answering\n");
            assertThat(up.attempts.get()).isEqualTo(1);
        }
    }

    @Test
    void aSafeRequestIsRetriedOnlyOnce() throws Exception {
        try (ResettingH2Upstream up = new ResettingH2Upstream(5); Harp harp = harp(); Socket s = tunnel(harp, up)) {
            Wire.write(s, Wire.originHead("GET", "127.0.0.1:" + up.port(), "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 502");
            assertThat(up.attempts.get()).isEqualTo(2);
        }
    }

    /** HTTP/1.1 upstream that closes the connection on the request: one retry on a new connection, then a 502. */
    @Test
    void aBrokenHttp1ConnectionIsRetriedAFewTimesAtMost() throws Exception {
        try (FlakyUpstream up = new FlakyUpstream(100); Harp harp = harp(); Socket s = Wire.connect(harp.port())) {
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 502");
            assertThat(up.connections.get()).as("the request and one retry").isEqualTo(2);
        }
        try (FlakyUpstream up = new FlakyUpstream(1); Harp harp = harp(); Socket s = Wire.connect(harp.port())) {
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("fine\n");
        }
    }

    private static final CertificateAuthority CA = CertificateAuthority.inMemory();

    private Harp harp() throws IOException {
        return Harp.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("x.har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start();
    }

    private static Socket tunnel(Harp harp, ResettingH2Upstream up) throws IOException {
        Socket s = Wire.connect(harp.port());
        assertThat(Wire.connectTunnel(s, "127.0.0.1:" + up.port())).startsWith("HTTP/1.1 200");
        return Wire.tls(s, Wire.trusting(CA), "127.0.0.1", up.port(), "http/1.1");
    }

    /** An h2 (TLS) upstream that resets the stream of its first {@code failures} requests, then answers "fine". */
    private static final class ResettingH2Upstream implements AutoCloseable {
        final AtomicInteger attempts = new AtomicInteger();
        final Undertow server;

        ResettingH2Upstream(int failures) {
            server = Undertow.builder()
                    .addHttpsListener(0, "127.0.0.1", MitmTls.serverContext(new LeafCertificates(CA), "127.0.0.1"))
                    .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                    .setIoThreads(1).setWorkerThreads(2)
                    .setHandler(ex -> {
                        if (attempts.incrementAndGet() <= failures) {
                            ex.getConnection().close(); // on h2: RST_STREAM(CANCEL) for this stream only
                        } else {
                            ex.getResponseSender().send("fine\n");
                        }
                    }).build();
            server.start();
        }

        int port() {
            return ((java.net.InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    /** Closes its first {@code failures} connections as soon as a request head arrived, then answers "fine". */
    private static final class FlakyUpstream implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final Thread thread;

        FlakyUpstream(int failures) throws IOException {
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket c = server.accept()) {
                        c.setSoTimeout(5000);
                        int n = connections.incrementAndGet();
                        InputStream in = c.getInputStream();
                        Wire.readHead(in);
                        if (n > failures) {
                            c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfine\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                        }
                    } catch (IOException closed) {
                        // the test is over, or the proxy went away
                    }
                }
            }, "flaky-upstream");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }
}
