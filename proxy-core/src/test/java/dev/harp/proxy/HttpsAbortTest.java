package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.testing.LogCapture;
import dev.harp.testing.TestHttpsUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that give up at every stage of an intercepted HTTPS exchange, each {@value #ROUNDS} times. Afterwards a
 * normal request must work, the proxy's file descriptors and threads must come back to where they were (HarpServer runs
 * in this JVM, so {@code /proc/self/fd} is its fd table), and nothing may have been logged at WARN or above.
 */
class HttpsAbortTest {
    static final int ROUNDS = 50;
    private static final int WARM_UP_ROUNDS = 10;
    private static final long SETTLE_MILLIS = 10_000;
    /** Well below one fd or thread per aborted connection ({@value #ROUNDS}), above what pool jitter adds. */
    private static final int FD_MARGIN = 8;
    private static final int THREAD_MARGIN = 6;

    @TempDir
    static Path dir;
    static TestHttpsUpstream upstream;
    static HarpServer harp;
    static SSLContext trust;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestHttpsUpstream.start();
        harp = HttpsSupport.startRecording(dir.resolve("aborts.har"));
        trust = HttpsSupport.trustingHarp(harp);
        // warm up: lazily started pools, JIT, the upstream connection pool, the leaf cache
        for (int i = 0; i < 2; i++) {
            normalRequest();
            for (Abort abort : Abort.values()) {
                abort.run();
            }
        }
        normalRequest();
    }

    @AfterAll
    static void stop() {
        if (harp != null) {
            harp.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The ways a client gives up. */
    enum Abort {
        /** CONNECT, read the 200, close without a byte. */
        CONNECT_THEN_CLOSE {
            @Override
            void run() throws IOException {
                HttpsSupport.connect(harp, target(), "HTTP/1.1").close();
            }
        },
        /** CONNECT, then a reset instead of a ClientHello. */
        CONNECT_THEN_RESET {
            @Override
            void run() throws IOException {
                Socket s = HttpsSupport.connect(harp, target(), "HTTP/1.1");
                s.setSoLinger(true, 0);
                s.close();
            }
        },
        /** CONNECT, half a ClientHello, close. */
        HALF_CLIENT_HELLO {
            @Override
            void run() throws IOException {
                byte[] hello = HttpsSupport.clientHello();
                try (Socket s = HttpsSupport.connect(harp, target(), "HTTP/1.1")) {
                    s.getOutputStream().write(hello, 0, hello.length / 2);
                    s.getOutputStream().flush();
                }
            }
        },
        /** CONNECT, then a TLS handshake record header followed by garbage: Harp's handshake fails. */
        GARBAGE_TLS_RECORD {
            @Override
            void run() throws IOException {
                byte[] garbage = new byte[64];
                Arrays.fill(garbage, (byte) 0x5a);
                garbage[0] = 0x16;
                garbage[1] = 0x03;
                garbage[2] = 0x01;
                garbage[3] = 0x00;
                garbage[4] = 0x3b;
                try (Socket s = HttpsSupport.connect(harp, target(), "HTTP/1.1")) {
                    s.getOutputStream().write(garbage);
                    s.getOutputStream().flush();
                    drain(s.getInputStream()); // Harp answers with an alert and closes
                }
            }
        },
        /** CONNECT, then bytes that are not TLS at all (relayed raw; the HTTPS upstream rejects them). */
        GARBAGE_NOT_TLS {
            @Override
            void run() throws IOException {
                try (Socket s = HttpsSupport.connect(harp, target(), "HTTP/1.1")) {
                    s.getOutputStream().write("\u0000\u0001 not a client hello\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    s.shutdownOutput();
                    drain(s.getInputStream());
                }
            }
        },
        /** A whole HTTPS request on a keep-alive connection, then a reset instead of close_notify. */
        FULL_REQUEST_THEN_RESET {
            @Override
            void run() throws IOException {
                Socket tunnel = HttpsSupport.connect(harp, target(), "HTTP/1.1");
                try {
                    SSLSocket tls = tls(tunnel);
                    tls.getOutputStream().write(("GET /hello HTTP/1.1\r\nHost: " + target() + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    tls.getOutputStream().flush();
                    String head = HttpsSupport.readHead(tls.getInputStream());
                    assertThat(head).startsWith("HTTP/1.1 200");
                    assertThat(tls.getInputStream().readNBytes("hello harp\n".length())).asString(StandardCharsets.UTF_8)
                            .isEqualTo("hello harp\n");
                } finally {
                    tunnel.setSoLinger(true, 0);
                    tunnel.close();
                }
            }
        },
        /** Half of a declared request body, then a reset. */
        UPLOAD_THEN_RESET {
            @Override
            void run() throws IOException {
                Socket tunnel = HttpsSupport.connect(harp, target(), "HTTP/1.1");
                try {
                    SSLSocket tls = tls(tunnel);
                    OutputStream out = tls.getOutputStream();
                    out.write(("POST /echo HTTP/1.1\r\nHost: " + target() + "\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[50_000]);
                    out.flush();
                } finally {
                    tunnel.setSoLinger(true, 0);
                    tunnel.close();
                }
            }
        },
        /** A large download read only in part, then a reset. */
        DOWNLOAD_THEN_RESET {
            @Override
            void run() throws IOException {
                Socket tunnel = HttpsSupport.connect(harp, target(), "HTTP/1.1");
                try {
                    SSLSocket tls = tls(tunnel);
                    tls.getOutputStream().write(("GET /large?size=8388608 HTTP/1.1\r\nHost: " + target() + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    tls.getOutputStream().flush();
                    assertThat(HttpsSupport.readHead(tls.getInputStream())).startsWith("HTTP/1.1 200");
                    tls.getInputStream().readNBytes(64 * 1024);
                } finally {
                    tunnel.setSoLinger(true, 0);
                    tunnel.close();
                }
            }
        };

        abstract void run() throws IOException;
    }

    @ParameterizedTest
    @EnumSource(Abort.class)
    void abortsLeaveNoTrace(Abort abort) throws Exception {
        List<String> problems;
        try (LogCapture logs = LogCapture.start()) {
            // a few rounds first, so that whatever this scenario grows lazily (Undertow's workers with their
            // per-thread selectors, the upstream client's executor and connection pool, the test upstream's
            // executor) has its size before the baseline is taken
            for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                abortAndUnwind(abort);
            }
            normalRequest();
            Resources baseline = Resources.now();
            for (int i = 0; i < ROUNDS; i++) {
                abortAndUnwind(abort);
            }
            normalRequest();
            awaitBaseline(baseline);
            problems = logs.problems();
        }
        assertThat(problems).as("log lines at WARN or above, or stack traces, after %s", abort).isEmpty();
    }

    /** A client that CONNECTs and then stalls, before or inside its handshake, is cut off by the handshake bound. */
    @Test
    void stalledTunnelsAreClosedByTheHandshakeTimeout() throws Exception {
        HarpServer impatient = HttpsSupport.startRecording(dir.resolve("stalled.har"),
                b -> b.insecureUpstream(true).handshakeTimeout(Duration.ofMillis(300)));
        List<String> problems;
        try (LogCapture logs = LogCapture.start()) {
            byte[] hello = HttpsSupport.clientHello();
            for (int sent : new int[] {0, hello.length / 2}) {
                try (Socket s = HttpsSupport.connect(impatient, target(), "HTTP/1.1")) {
                    s.getOutputStream().write(hello, 0, sent);
                    s.getOutputStream().flush();
                    long started = System.nanoTime();
                    // SO_TIMEOUT (10 s) bounds this read; Harp must close long before
                    HttpsSupport.assertClosedByPeer(s);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                }
            }
            problems = logs.problems();
        } finally {
            impatient.close();
        }
        assertThat(problems).isEmpty();
    }

    /**
     * One abort, then a bounded wait until the upstream has finished whatever request it was handling: aborts of
     * exchanges that reached the upstream then do not pile up, so the pools do not grow with the repetition.
     */
    static void abortAndUnwind(Abort abort) throws IOException, InterruptedException {
        abort.run();
        assertThat(upstream.awaitIdle(Duration.ofSeconds(10))).as("the upstream finished the aborted exchange").isTrue();
    }

    static void normalRequest() throws IOException {
        String response = HttpsSupport.getThroughTunnel(harp, trust, "localhost", upstream.port(), "/hello");
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nhello harp\n");
    }

    static String target() {
        return "localhost:" + upstream.port();
    }

    static SSLSocket tls(Socket tunnel) throws IOException {
        SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(tunnel, "localhost", upstream.port(), false);
        tls.startHandshake();
        return tls;
    }

    static void drain(InputStream in) {
        try {
            in.readAllBytes();
        } catch (IOException e) {
            // a reset is as good as an end here
        }
    }

    /** Polls until fds and threads are back within the margins, or fails with what is left over. */
    static void awaitBaseline(Resources baseline) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        Resources now = Resources.now();
        while (!now.within(baseline) && System.nanoTime() < deadline) {
            Thread.sleep(50); // the polling interval of a bounded wait
            now = Resources.now();
        }
        if (!now.within(baseline)) {
            throw new AssertionError("resources did not return to the baseline within " + SETTLE_MILLIS + " ms:\n"
                    + "fds " + baseline.fds.size() + " -> " + now.fds.size() + ", new: " + now.newFds(baseline) + "\n"
                    + "threads " + baseline.threads.size() + " -> " + now.threads.size() + ", new: "
                    + now.newThreads(baseline));
        }
    }

    /** Open fds (with their targets) and live threads (by name) of this JVM. */
    record Resources(Map<String, String> fds, List<String> threads) {
        static Resources now() throws IOException {
            Map<String, String> fds = new TreeMap<>();
            try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : list.collect(Collectors.toList())) {
                    try {
                        fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                    } catch (IOException e) {
                        // closed since listing (the listing's own fd, for one)
                    }
                }
            }
            List<String> threads = new ArrayList<>();
            for (var info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                threads.add(info.getThreadName());
            }
            return new Resources(fds, threads);
        }

        boolean within(Resources baseline) {
            return fds.size() <= baseline.fds.size() + FD_MARGIN && threads.size() <= baseline.threads.size() + THREAD_MARGIN;
        }

        List<String> newFds(Resources baseline) {
            List<String> out = new ArrayList<>();
            fds.forEach((fd, target) -> {
                if (!target.equals(baseline.fds.get(fd))) {
                    out.add(fd + "->" + target);
                }
            });
            return out;
        }

        List<String> newThreads(Resources baseline) {
            List<String> out = new ArrayList<>(threads);
            baseline.threads.forEach(out::remove);
            return out;
        }
    }
}
