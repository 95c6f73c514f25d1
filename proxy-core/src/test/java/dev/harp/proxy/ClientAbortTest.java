package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarReader;
import dev.harp.testing.LogCapture;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that go away at every stage of a plain HTTP exchange: the proxy keeps serving, and descriptors and
 * threads come back to where they were.
 */
class ClientAbortTest {
    enum Abort { PARTIAL_HEAD, MID_UPLOAD, MID_DOWNLOAD, RESET_MID_DOWNLOAD, RESET_AFTER_REQUEST }

    @TempDir
    Path dir;
    TestUpstream upstream;
    HarpServer harp;

    @BeforeEach
    void start() throws Exception {
        upstream = TestUpstream.start();
    }

    @AfterEach
    void stop() {
        if (harp != null) {
            harp.close();
        }
        upstream.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyAbortKindLeavesTheProxyHealthyAndLeaksNothing(Mode mode) throws Exception {
        Path har = dir.resolve("aborts.har");
        if (mode == Mode.REPLAY) {
            try (HarpServer recorder = HarpServer.builder().mode(Mode.RECORD).har(har).port(0).environment(Map.of())
                    .systemProperties(Map.of()).start()) {
                get(recorder.port(), "/hello");
                get(recorder.port(), "/large?size=4194304");
            }
        }
        harp = HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of()).start();
        try (LogCapture logs = LogCapture.start()) {
            abortRounds();
            assertThat(logs.problems()).as("log lines at WARN or above, or stack traces, in %s mode", mode).isEmpty();
        }
        harp.close();
        if (mode != Mode.PASSTHROUGH) {
            assertThat(Files.exists(har)).isTrue();
            assertThat(HarReader.read(har).entries()).isNotEmpty();
        }
    }

    private void abortRounds() throws IOException {
        for (Abort kind : Abort.values()) {
            abort(kind); // warm-up: worker threads and buffers are created lazily
        }
        assertThat(get(harp.port(), "/hello")).endsWith("hello harp\n");
        int fdBaseline = openDescriptors();
        int threadBaseline = Thread.activeCount();
        for (int round = 0; round < 20; round++) {
            for (Abort kind : Abort.values()) {
                abort(kind);
            }
            assertThat(get(harp.port(), "/hello")).as("normal request after round %d", round).endsWith("hello harp\n");
        }
        awaitAtMost(fdBaseline + 6, ClientAbortTest::openDescriptors, "open file descriptors");
        awaitAtMost(threadBaseline + 4, Thread::activeCount, "live threads");
    }

    private void abort(Abort kind) throws IOException {
        String up = "127.0.0.1:" + upstream.port();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), harp.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            switch (kind) {
                case PARTIAL_HEAD -> out.write(("GET http://" + up + "/hello HTTP/1.1\r\nHost: " + up + "\r\nX-Partial: ye")
                        .getBytes(StandardCharsets.US_ASCII));
                case MID_UPLOAD -> {
                    out.write(("POST http://" + up + "/echo HTTP/1.1\r\nHost: " + up + "\r\nContent-Length: 1000000\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[64 * 1024]);
                }
                case MID_DOWNLOAD, RESET_MID_DOWNLOAD -> {
                    out.write(("GET http://" + up + "/large?size=4194304 HTTP/1.1\r\nHost: " + up + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    in.readNBytes(32 * 1024);
                    if (kind == Abort.RESET_MID_DOWNLOAD) {
                        s.setSoLinger(true, 0);
                    }
                }
                case RESET_AFTER_REQUEST -> {
                    out.write(("GET http://" + up + "/hello HTTP/1.1\r\nHost: " + up + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.setSoLinger(true, 0);
                }
            }
            out.flush();
        } catch (IOException expectedSometimes) {
            // the proxy may close first (e.g. a replay miss on an upload); that is part of the exercise
        }
    }

    /** A raw GET through the proxy with {@code Connection: close}; returns the whole response text. */
    private String get(int port, String path) throws IOException {
        return get(port, path, upstream);
    }

    private static String get(int port, String path, TestUpstream upstream) throws IOException {
        String up = "127.0.0.1:" + upstream.port();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET http://" + up + path + " HTTP/1.1\r\nHost: " + up + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int openDescriptors() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static void awaitAtMost(int limit, java.util.function.IntSupplier value, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value.getAsInt() > limit && System.nanoTime() < deadline) {
            System.gc();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertThat(value.getAsInt()).as(what).isLessThanOrEqualTo(limit);
    }
}
