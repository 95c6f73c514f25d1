package dev.harp.resilience;

import dev.harp.HarpServer;
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

    /**
     * A TLS upstream that also offers h2 (Harp forwards over HTTP/1.1, so it closes the connection of the failed
     * attempt): Undertow's client retries nothing itself, so these attempts are Harp's alone.
     */
    @Test
    void aSafeRequestIsRetriedOnceWhenItsUpstreamStreamBreaksBeforeAnAnswer() throws Exception {
        try (ResettingH2Upstream up = new ResettingH2Upstream(1); HarpServer harp = harp(); Socket s = tunnel(harp, up)) {
            Wire.write(s, Wire.originHead("GET", "127.0.0.1:" + up.port(), "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("fine\n");
            assertThat(up.attempts.get()).isEqualTo(2);
        }
    }

    @Test
    void aRequestWithABodyIsNotRetried() throws Exception {
        try (ResettingH2Upstream up = new ResettingH2Upstream(1); HarpServer harp = harp(); Socket s = tunnel(harp, up)) {
            Wire.write(s, Wire.originHead("POST", "127.0.0.1:" + up.port(), "/a", "Content-Length: 2") + "hi");
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 502")
                    .endsWith("Harp: upstream 127.0.0.1:" + up.port() + " closed the connection without answering\n");
            assertThat(up.attempts.get()).isEqualTo(1);
        }
    }

    @Test
    void aSafeRequestIsRetriedOnlyOnce() throws Exception {
        try (ResettingH2Upstream up = new ResettingH2Upstream(5); HarpServer harp = harp(); Socket s = tunnel(harp, up)) {
            Wire.write(s, Wire.originHead("GET", "127.0.0.1:" + up.port(), "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 502");
            assertThat(up.attempts.get()).isEqualTo(2);
        }
    }

    /** HTTP/1.1 upstream that closes the connection on the request: one retry on a new connection, then a 502. */
    @Test
    void aBrokenHttp1ConnectionIsRetriedAFewTimesAtMost() throws Exception {
        try (RawUpstream up = flaky(100); HarpServer harp = harp(); Socket s = Wire.connect(harp.port())) {
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 502");
            assertThat(up.connections()).as("the request and one retry").isEqualTo(2);
        }
        try (RawUpstream up = flaky(1); HarpServer harp = harp(); Socket s = Wire.connect(harp.port())) {
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/a"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("fine\n");
        }
    }

    /**
     * A pooled connection that the upstream closes just as Harp reuses it for a POST. In auto mode Harp holds the body
     * (it read it to look the request up), so it sends the request again on a new connection, as browsers do on
     * reused connections; in record mode the body streams from the client and cannot be sent twice: 502.
     */
    @Test
    void aBodyHarpHoldsIsSentAgainWhenItsPooledConnectionBreaks() throws Exception {
        Path har = dir.resolve("auto.har");
        java.nio.file.Files.writeString(har, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"t\",\"version\":\"1\"},"
                + "\"entries\":[]}}");
        for (Mode mode : new Mode[] {Mode.AUTO, Mode.RECORD}) {
            try (RawUpstream up = breaksOnReuse();
                 HarpServer harp = HarpServer.builder().mode(mode).har(mode == Mode.AUTO ? har : dir.resolve("rec.har")).port(0)
                         .environment(Map.of()).systemProperties(Map.of()).certificateAuthority(CA).start();
                 Socket s = Wire.connect(harp.port())) {
                Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/warm"));
                assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");
                Wire.write(s, Wire.head("POST", "http://127.0.0.1:" + up.port() + "/a", "Content-Length: 2") + "hi");
                String answer = Wire.readResponse(s.getInputStream());
                if (mode == Mode.AUTO) {
                    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("got hi\n");
                    assertThat(up.connections()).as("the broken pooled connection and a new one").isEqualTo(2);
                } else {
                    assertThat(answer).startsWith("HTTP/1.1 502");
                    assertThat(up.connections()).isEqualTo(1);
                }
            }
        }
    }

    /** Answers its first connection's first request and keeps it open, then closes it on the second; later connections answer. */
    private static RawUpstream breaksOnReuse() throws IOException {
        return new RawUpstream("breaks-on-reuse", (c, n) -> {
            InputStream in = c.getInputStream();
            if (n == 1) {
                Wire.readHead(in);
                c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nwarm\n".getBytes(StandardCharsets.US_ASCII));
                Wire.readHead(in); // the reused connection: closed without an answer
                return;
            }
            String head = Wire.readHead(in);
            int length = head.toLowerCase(java.util.Locale.ROOT).contains("content-length: 2") ? 2 : 0;
            String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
            c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + (5 + body.length())
                    + "\r\nConnection: close\r\n\r\ngot " + body + "\n").getBytes(StandardCharsets.US_ASCII));
        });
    }

    private static final CertificateAuthority CA = CertificateAuthority.inMemory();

    private HarpServer harp() throws IOException {
        return HarpServer.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("x.har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start();
    }

    private static Socket tunnel(HarpServer harp, ResettingH2Upstream up) throws IOException {
        Socket s = Wire.connect(harp.port());
        assertThat(Wire.connectTunnel(s, "127.0.0.1:" + up.port())).startsWith("HTTP/1.1 200");
        return Wire.tls(s, Wire.trusting(CA), "127.0.0.1", up.port(), "http/1.1");
    }

    /**
     * A TLS upstream offering h2 and http/1.1 that drops its first {@code failures} requests (an h2 stream reset, or
     * the connection closed for HTTP/1.1), then answers "fine".
     */
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
                            ex.getConnection().close(); // h2: RST_STREAM(CANCEL) for this stream; HTTP/1.1: closed
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
    private static RawUpstream flaky(int failures) throws IOException {
        return new RawUpstream("flaky-upstream", (c, n) -> {
            Wire.readHead(c.getInputStream());
            if (n > failures) {
                c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfine\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
        });
    }
}
