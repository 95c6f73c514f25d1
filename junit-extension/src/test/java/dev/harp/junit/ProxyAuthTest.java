package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxyAuth} reaches the proxy (407 without credentials) and the clients the extension hands out or wires
 * authenticate by themselves: {@link HarpProxy#httpClient()}, and HttpURLConnection through the JVM's default
 * authenticator.
 */
class ProxyAuthTest {
    @TempDir
    Path basedir;
    TestUpstream upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = TestUpstream.http();
        Upstreams.http(upstream);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Harp(mode = Mode.PASSTHROUGH, proxyAuth = "tester:pa55:word")
    @Scenario
    static class Annotated {
        @Test
        void clientsAuthenticate(HarpProxy proxy) throws IOException {
            assertThat(raw(proxy.port(), "GET " + Upstreams.http().uri("/clock") + " HTTP/1.1\r\nHost: " + Upstreams.http().uri("/").getAuthority() + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 407");
            assertThat(Http.get(proxy.httpClient(), Upstreams.http().uri("/clock")).statusCode()).isEqualTo(200);
            assertThat(Http.getWithUrlConnection(Upstreams.http().uri("/clock")))
                    .isEqualTo(TestUpstream.expected("/clock"));
        }
    }

    @Scenario
    static class Built {
        @RegisterExtension
        static HarpExtension harp = HarpExtension.builder().mode(Mode.PASSTHROUGH).wireJvm(false)
                .proxyAuth("tester:other").build();

        @Test
        void theHandedOutClientAuthenticates(HarpProxy proxy) throws IOException {
            assertThat(raw(proxy.port(), "GET " + Upstreams.http().uri("/clock") + " HTTP/1.1\r\nHost: " + Upstreams.http().uri("/").getAuthority() + "\r\n"
                    + "Proxy-Authorization: Basic dGVzdGVyOndyb25n\r\n\r\n")).startsWith("HTTP/1.1 407");
            assertThat(Http.get(proxy.httpClient(), Upstreams.http().uri("/clock")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void annotationAndBuilderBothRequireAndSupplyCredentials() {
        assertThat(Scenarios.failures(Scenarios.run(basedir, Scenarios.params(), Annotated.class))).isEmpty();
        assertThat(Scenarios.failures(Scenarios.run(basedir, Scenarios.params(), Built.class))).isEmpty();
    }

    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, head.length);
            return new String(head, 0, n, StandardCharsets.ISO_8859_1);
        }
    }
}
