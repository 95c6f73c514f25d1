package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay and auto never hold a request body beyond the capture limit in memory (here 1,000 bytes): bodies of
 * unknown length (chunked) are still compared when they fit, bodies beyond the limit are not compared (the HAR does
 * not keep them either) and, on a miss in auto mode, reach the upstream whole.
 */
class ReplayBodyLimitTest {
    private static final int LIMIT = 1000;
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();

    @TempDir
    Path dir;

    @Test
    void chunkedBodiesAreComparedAndBodiesBeyondTheLimitAreNot() throws Exception {
        Path har = dir.resolve("bodies.har");
        try (HarpServer recorder = harp(Mode.RECORD, har); Socket s = Wire.connect(recorder.port())) {
            assertThat(chunked(s, "/sink?kind=chunked", "hello")).endsWith("received 5\n");
            assertThat(sized(s, "/sink?kind=large", body(5000, 'a'))).endsWith("received 5000\n");
        }
        try (HarpServer replay = harp(Mode.REPLAY, har); Socket s = Wire.connect(replay.port())) {
            assertThat(chunked(s, "/sink?kind=chunked", "hello")).as("same chunked body").endsWith("received 5\n");
            assertThat(chunked(s, "/sink?kind=chunked", "other")).as("another chunked body").startsWith("HTTP/1.1 502");
            assertThat(sized(s, "/sink?kind=large", body(5000, 'b'))).as("a body beyond the limit is not compared")
                    .startsWith("HTTP/1.1 200").endsWith("received 5000\n");
            assertThat(chunked(s, "/sink?kind=large", new String(body(3000, 'c')))).as("chunked and beyond the limit")
                    .startsWith("HTTP/1.1 200").endsWith("received 5000\n");
        }
        try (HarpServer auto = harp(Mode.AUTO, har); Socket s = Wire.connect(auto.port())) {
            assertThat(sized(s, "/sink?kind=new", body(200_000, 'd'))).as("a miss forwards the whole body")
                    .startsWith("HTTP/1.1 200").endsWith("received 200000\n");
            assertThat(chunked(s, "/sink?kind=new-chunked", new String(body(50_000, 'e'))))
                    .startsWith("HTTP/1.1 200").endsWith("received 50000\n");
        }
    }

    private static HarpServer harp(Mode mode, Path har) throws IOException {
        return HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                .captureLimit(LIMIT).memoryThreshold(100).start();
    }

    private static byte[] body(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static String sized(Socket s, String path, byte[] body) throws IOException {
        Wire.write(s, Wire.head("POST", upstream.http(path), "Content-Length: " + body.length));
        s.getOutputStream().write(body);
        return Wire.readResponse(s.getInputStream());
    }

    private static String chunked(Socket s, String path, String body) throws IOException {
        Wire.write(s, Wire.head("POST", upstream.http(path), "Transfer-Encoding: chunked")
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
        return Wire.readResponse(s.getInputStream());
    }
}
