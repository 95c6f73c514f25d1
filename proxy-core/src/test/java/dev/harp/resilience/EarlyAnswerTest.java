package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that answers before it has read the request body (a 413 for a too-large upload, a 401): the client gets
 * the answer and then its connection closed, because the rest of its body is still on its way and nobody will read
 * it. Left open, such a connection would hold a descriptor for good.
 */
class EarlyAnswerTest {
    /**
     * How long the upstream side waits for Harp to let go of its connection: generous for a loaded machine, yet shorter
     * than every fallback that would also end the connection (Undertow's clean close waits up to 10 s for the upstream,
     * Harp's pool keeps idle connections 30 s, the upstream's own read timeout below is 20 s), so only Harp's close
     * can meet it.
     */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(5);
    /** The upstream's own read timeout while it waits for Harp to let go: longer than {@link #CLOSED_WITHIN}. */
    private static final int UPSTREAM_READ_TIMEOUT_MS = 20_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void anUpstreamAnsweringBeforeTheBodyEndsGetsItsAnswerRelayedAndTheClientConnectionClosed(Mode mode) throws Exception {
        CompletableFuture<String> released = new CompletableFuture<>();
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
            assertClosedByHarp(released, "the upstream connection was closed too");
        }
    }

    /**
     * An interim response (103 Early Hints) before the real one: Undertow's client alone would take it for the final
     * answer and drop the real one; Harp takes it out beneath that client and passes it on to an HTTP/1.1 client,
     * then the answer, on the same connection.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void anInterimResponseIsPassedOnBeforeTheAnswer(Mode mode) throws Exception {
        try (RawUpstream up = new RawUpstream("hints-upstream", (c, n) -> {
                 Wire.readHead(c.getInputStream());
                 c.getOutputStream().write(("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                         + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nfinal\n").getBytes(StandardCharsets.US_ASCII));
                 c.getInputStream().read(); // until Harp lets go of the connection
             });
             HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + "-hints.har")).port(0).environment(Map.of())
                     .systemProperties(Map.of()).start();
             Socket s = Wire.connect(harp.port())) {
            s.setSoTimeout(10_000);
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/page"));
            assertThat(readUntil(s.getInputStream(), "final\n")).startsWith("HTTP/1.1 103 Early Hints\r\n")
                    .contains("Link: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n")
                    .endsWith("\r\n\r\nfinal\n");
        }
    }

    /**
     * Interim responses that arrive in pieces: a 102 and a 103 whose status lines and heads are split across writes
     * (a pause after each piece), then the answer split too. Harp holds the bytes until a whole head is there, passes
     * each interim head on, then the answer, byte for byte; the next request on the connection is served as usual.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void interimResponsesSplitAcrossWritesArePassedOnWhole(Mode mode) throws Exception {
        String[] pieces = {"HTTP/1.1 1", "02 Processing\r\n", "\r\nHTTP/1.1 103 Ea", "rly Hints\r\nLink: </b.css>",
                "; rel=preload\r\n\r", "\nHTT", "P/1.1 200 OK\r\nContent-Length: 6\r\n\r\nfin", "al\n"};
        try (RawUpstream up = new RawUpstream("split-hints-upstream", (c, n) -> {
                 java.io.InputStream in = c.getInputStream();
                 java.io.OutputStream out = c.getOutputStream();
                 Wire.readHead(in);
                 for (String piece : pieces) {
                     out.write(piece.getBytes(StandardCharsets.US_ASCII));
                     out.flush();
                     Thread.sleep(20); // so that each piece arrives on its own, as a slow upstream sends them
                 }
                 Wire.readHead(in); // the next request on the same connection
                 out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nnext\n".getBytes(StandardCharsets.US_ASCII));
                 out.flush();
                 in.read();
             });
             HarpServer harp = HarpServer.builder().mode(mode).har(dir.resolve(mode + "-split.har")).port(0)
                     .environment(Map.of()).systemProperties(Map.of()).start();
             Socket s = Wire.connect(harp.port())) {
            s.setSoTimeout(10_000);
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/page"));
            assertThat(readUntil(s.getInputStream(), "final\n"))
                    .startsWith("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\n")
                    .contains("Link: </b.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n")
                    .endsWith("\r\n\r\nfinal\n");
            Wire.write(s, Wire.head("GET", "http://127.0.0.1:" + up.port() + "/next"));
            assertThat(readUntil(s.getInputStream(), "next\n")).startsWith("HTTP/1.1 200 OK\r\n").endsWith("next\n");
            assertThat(up.connections()).as("both requests went over one upstream connection").isEqualTo(1);
        }
    }

    /** The bytes of {@code in} up to and including {@code end} (or up to its end), bounded by the socket timeout. */
    private static String readUntil(java.io.InputStream in, String end) throws IOException {
        StringBuilder got = new StringBuilder();
        while (!got.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.append((char) b);
        }
        return got.toString();
    }

    /**
     * Reads a request head, answers 413 at once and reads nothing more for a second (a server busy elsewhere); then
     * completes {@code released} with how Harp let go of the connection.
     */
    private static RawUpstream answersEarly(CompletableFuture<String> released) throws IOException {
        return new RawUpstream("answers-early", (c, n) -> {
            Wire.readHead(c.getInputStream());
            c.getOutputStream().write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 10\r\n\r\ntoo large\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(1_000);
            released.complete(howHarpLetGo(c));
        });
    }

    /**
     * Reads (and drops) whatever Harp still sends on the upstream connection until it ends: "end of stream" (Harp
     * closed it) or "reset" (Harp aborted it); "still open" when the upstream's own read timeout, longer than the
     * test waits, expired first, so a connection Harp kept open can never pass for a closed one.
     */
    private static String howHarpLetGo(Socket c) throws IOException {
        c.setSoTimeout(UPSTREAM_READ_TIMEOUT_MS);
        InputStream in = c.getInputStream();
        try {
            while (in.read(new byte[8192]) >= 0) {
                // what Harp had sent of the body
            }
            return "end of stream";
        } catch (SocketTimeoutException stillOpen) {
            return "still open after " + UPSTREAM_READ_TIMEOUT_MS + " ms";
        } catch (SocketException reset) {
            return "reset";
        }
    }

    private static void assertClosedByHarp(CompletableFuture<String> released, String what) throws Exception {
        String how;
        try {
            how = released.get(CLOSED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException open) {
            how = "still open after " + CLOSED_WITHIN.toMillis() + " ms";
        }
        assertThat(how).as(what + " by Harp within " + CLOSED_WITHIN).isIn("end of stream", "reset");
    }
}
