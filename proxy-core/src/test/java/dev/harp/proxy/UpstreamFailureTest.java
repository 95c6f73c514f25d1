package dev.harp.proxy;

import com.sun.net.httpserver.HttpServer;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An upstream that refuses or never answers gives the client a short explanation, not a hang. */
class UpstreamFailureTest {
    @TempDir
    Path dir;
    HarpServer harp;
    HttpClient client;

    @BeforeEach
    void start() throws Exception {
        harp = HarpServer.builder().mode(Mode.RECORD).har(dir.resolve("f.har")).port(0).environment(Map.of())
                .systemProperties(Map.of()).upstreamResponseTimeout(Duration.ofMillis(500)).start();
        client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address())).build();
    }

    @AfterEach
    void stop() {
        harp.close();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedConnectionIs502NamingTheUpstream() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HttpResponse<String> r = get("http://127.0.0.1:" + closedPort + "/x");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("127.0.0.1:" + closedPort).contains("refused");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    @Test
    void anUpstreamThatNeverAnswersIs504() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.createContext("/", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        slow.start();
        try {
            HttpResponse<String> r = get("http://127.0.0.1:" + slow.getAddress().getPort() + "/think");
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("did not answer in time");
        } finally {
            release.countDown();
            slow.stop(0);
        }
    }

    @Test
    void anUnresolvableHostIs502() throws Exception {
        HttpResponse<String> r = get("http://harp-no-such-host.invalid/x");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("harp-no-such-host.invalid");
    }

    @Test
    void theProxyKeepsServingAfterFailures() throws Exception {
        aRefusedConnectionIs502NamingTheUpstream();
        try (TestUpstream up = TestUpstream.start()) {
            assertThat(get(up.url("/hello")).body()).isEqualTo("hello harp\n");
        }
    }
}
