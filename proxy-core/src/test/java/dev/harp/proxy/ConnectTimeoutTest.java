package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An upstream that never accepts the connection (its SYN goes unanswered): Harp answers {@code 504} when its connect
 * timeout passes and closes that socket at once, instead of leaving it in SYN_SENT until the kernel gives up (about
 * two minutes). The unanswering upstream is a loopback listener whose accept queue is full: Linux drops further
 * SYNs to it, as a firewall that drops packets would. The check reads the kernel's socket table
 * ({@code /proc/net/tcp}, {@code tcp6}), so it runs on Linux only.
 */
class ConnectTimeoutTest {
    private static final Path TCP_TABLE = Path.of("/proc/net/tcp");
    /** Java's sockets are IPv6 ones where it can: 127.0.0.1 appears there as an IPv4-mapped address. */
    private static final Path TCP6_TABLE = Path.of("/proc/net/tcp6");
    private static final String SYN_SENT = "02";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"http", "https"})
    void aConnectThatTimesOutIsClosedAtOnce(String scheme) throws Exception {
        assumeTrue(Files.isReadable(TCP_TABLE), "needs Linux's /proc/net/tcp");
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Filler queue = new Filler(silent.getLocalPort());
             HarpServer harp = HarpServer.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("x.har")).port(0)
                     .environment(Map.of()).systemProperties(Map.of()).certificateAuthority(CertificateAuthority.inMemory())
                     .upstreamConnectTimeout(Duration.ofMillis(300)).start()) {
            assumeTrue(queue.full(), "the listener's accept queue could not be filled on this kernel");
            int port = silent.getLocalPort();
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address()))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            if (scheme.equals("http")) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(504);
                assertThat(response.body()).contains("connect timeout");
            } else {
                // through a CONNECT tunnel Harp intercepts; the upstream connect happens for the first request
                HttpClient tls = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), HttpClient.Version.HTTP_1_1);
                HttpResponse<String> response = tls.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(504);
            }
            // the answer came once the socket was cancelled: none of Harp's may still wait for this port
            assertThat(synSentTo(port, queue.ownPorts()))
                    .as("Harp's sockets still in SYN_SENT to the silent upstream").isZero();
        }
    }

    /** Sockets of this machine in SYN_SENT towards 127.0.0.1:{@code port}, but for those from {@code except} ports. */
    private static int synSentTo(int port, Set<Integer> except) throws IOException {
        String remote = String.format(Locale.ROOT, "0100007F:%04X", port);
        List<String> lines = new ArrayList<>(Files.readAllLines(TCP_TABLE));
        if (Files.isReadable(TCP6_TABLE)) {
            lines.addAll(Files.readAllLines(TCP6_TABLE));
        }
        int n = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[2].endsWith(remote) && f[3].equals(SYN_SENT)
                    && !except.contains(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16))) {
                n++;
            }
        }
        return n;
    }

    /** Non-blocking connects that fill a listener's accept queue (backlog 1) so that later SYNs are dropped. */
    private static final class Filler implements AutoCloseable {
        private final List<SocketChannel> channels = new ArrayList<>();
        private final int port;

        Filler(int port) throws IOException {
            this.port = port;
            for (int i = 0; i < 4; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // its port is known before the connect ends
                c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                channels.add(c);
            }
        }

        /** Whether at least one of the test's own connects is left waiting: the queue is full. */
        boolean full() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < deadline) {
                int connected = 0;
                for (SocketChannel c : channels) {
                    if (c.isConnected() || c.finishConnect()) {
                        connected++;
                    }
                }
                if (connected >= 1 && synSentTo(port, Set.of()) >= 1) {
                    return true;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // bounded by the deadline; no busy loop
            }
            return false;
        }

        /** The local ports of the test's own connects. */
        Set<Integer> ownPorts() throws IOException {
            Set<Integer> ports = new HashSet<>();
            for (SocketChannel c : channels) {
                ports.add(((InetSocketAddress) c.getLocalAddress()).getPort());
            }
            return ports;
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }
}
