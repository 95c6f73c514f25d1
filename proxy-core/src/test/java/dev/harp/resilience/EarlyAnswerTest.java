package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that answers before it has read the request body (a 413 for a too-large upload, a 401): the client gets
 * the answer and then its connection closed, because the rest of its body is still on its way and nobody will read
 * it. Left open, such a connection would hold a descriptor for good.
 */
class EarlyAnswerTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void anUpstreamAnsweringBeforeTheBodyEndsGetsItsAnswerRelayedAndTheClientConnectionClosed(Mode mode) throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        try (RawUpstream up = answersEarly(released);
             HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + ".har")).port(0).environment(Map.of())
                     .systemProperties(Map.of()).start();
             Socket s = Wire.connect(harp.port())) {
            Wire.write(s, Wire.head("POST", "http://127.0.0.1:" + up.port() + "/upload", "Content-Length: 100000")
                    + "x".repeat(1000));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 413").endsWith("too large\n");
            s.setSoTimeout(5_000);
            int next;
            try {
                next = s.getInputStream().read();
            } catch (SocketTimeoutException stillOpen) {
                next = -2;
            }
            assertThat(next).as("the proxy closed the connection after the answer").isEqualTo(-1);
            assertThat(released.await(5, TimeUnit.SECONDS)).as("the upstream connection was closed too").isTrue();
        }
    }

    /**
     * An interim response (103 Early Hints) before the real one: Undertow's client would take it for the final answer
     * and drop the real one, so an HTTP/1.1 client gets a prompt 502 that says why, never a wrong answer or a hang.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void anInterimResponseIsRefusedWithAClear502(Mode mode) throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        try (RawUpstream up = new RawUpstream("hints-upstream", (c, n) -> {
                 Wire.readHead(c.getInputStream());
                 c.getOutputStream().write(("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                         + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nfinal\n").getBytes(StandardCharsets.US_ASCII));
                 try {
                     c.getInputStream().read(); // until Harp lets go
                 } finally {
                     released.countDown();
                 }
             });
             HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + "-hints.har")).port(0).environment(Map.of())
                     .systemProperties(Map.of()).start();
             Socket s = Wire.connect(harp.port())) {
            s.setSoTimeout(10_000);
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/page"));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 502")
                    .contains("sent an interim response (103)");
            assertThat(released.await(5, TimeUnit.SECONDS)).as("the upstream connection was closed").isTrue();
        }
    }

    /**
     * Reads a request head, answers 413 at once and reads nothing more for a second (a server busy elsewhere); then
     * counts {@code released} down when Harp lets go of the connection (end of stream or a reset).
     */
    private static RawUpstream answersEarly(CountDownLatch released) throws IOException {
        return new RawUpstream("answers-early", (c, n) -> {
            InputStream in = c.getInputStream();
            Wire.readHead(in);
            c.getOutputStream().write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 10\r\n\r\ntoo large\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(1_000);
            try {
                while (in.read(new byte[8192]) >= 0) {
                    // what Harp had sent of the body
                }
            } finally {
                released.countDown();
            }
        });
    }
}
