package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.LogCapture;
import dev.harp.testing.TestHttpsUpstream;
import dev.harp.testing.TestUpstream;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static dev.harp.proxy.HttpsSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONNECT tunnels Harp does not decrypt (hosts excluded from interception, plain HTTP in a tunnel, tunnels that speak
 * neither TLS nor HTTP),
 * and how Harp verifies the upstream's certificate on the tunnels it does decrypt.
 */
class HttpsTunnelTest {
    static TestHttpsUpstream https;
    static TestUpstream http;

    @TempDir
    Path dir;

    @BeforeAll
    static void startUpstreams() throws Exception {
        https = TestHttpsUpstream.start();
        http = TestUpstream.start();
    }

    @AfterAll
    static void stopUpstreams() {
        https.close();
        http.close();
    }

    @Test
    void excludedHostIsTunnelledWithTheUpstreamsOwnCertificate() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("raw.har"), b -> b.noIntercept(List.of("localhost")));
        int before = https.requests();
        boolean curl = Prerequisites.optional(Prerequisite.CURL);
        try {
            // the client trusts only the upstream's CA: Harp's leaf would be rejected
            HttpClient client = HttpsSupport.client(harp, https.clientContext(), HttpClient.Version.HTTP_1_1);
            for (String path : List.of("/hello", "/json")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https.url(path))).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                X509Certificate leaf = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
                assertThat(leaf.getIssuerX500Principal()).isEqualTo(https.caCertificate().getSubjectX500Principal());
            }
            if (curl) {
                Path upstreamCa = https.writeCaPem(dir.resolve("upstream-ca.pem"));
                HttpsSupport.Run run = HttpsSupport.run(List.of("curl", "-sS", "--max-time", "10", "--cacert",
                        upstreamCa.toString(), "--proxy", "http://127.0.0.1:" + harp.port(), https.url("/hello")),
                        Duration.ofSeconds(30), dir);
                assertThat(run.exit()).as("%s", run).isZero();
                assertThat(run.stdout()).isEqualTo("hello harp\n");
            }
        } finally {
            harp.close();
        }
        assertThat(https.requests() - before).isEqualTo(curl ? 3 : 2);
        assertThat(HttpsSupport.closeAndReadHar(harp)).as("tunnelled traffic is never recorded").isEmpty();
    }

    @Test
    void excludedHostThatRefusesEndsTheTunnel() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("refused.har"), b -> b.noIntercept(List.of("127.0.0.1")));
        try (LogCapture logs = LogCapture.start();
             Socket s = HttpsSupport.connect(harp, "127.0.0.1:" + closedPort, "HTTP/1.1")) {
            s.getOutputStream().write(HttpsSupport.clientHello());
            s.getOutputStream().flush();
            // SO_TIMEOUT bounds the wait: Harp must end the tunnel, not leave the client hanging
            HttpsSupport.assertClosedByPeer(s);
            assertThat(logs.problems()).isEmpty();
        } finally {
            harp.close();
        }
    }

    @Test
    void passthroughInterceptsAndRecordsNothing() throws Exception {
        Path har = dir.resolve("passthrough.har");
        List<String> problems;
        try (LogCapture logs = LogCapture.start()) {
            HarpServer harp = HttpsSupport.startRecording(har, b -> b.mode(Mode.PASSTHROUGH).insecureUpstream(true));
            try {
                HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), HttpClient.Version.HTTP_2);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https.url("/hello")))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            } finally {
                harp.close();
            }
            problems = logs.problems();
        }
        assertThat(problems).as("log lines at WARN or above").isEmpty();
        assertThat(har).doesNotExist();
    }

    @Test
    void plainHttpInATunnelIsInterceptedAndRecorded() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("plain.har"));
        try (Socket s = HttpsSupport.connect(harp, "127.0.0.1:" + http.port(), "HTTP/1.1")) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /hello HTTP/1.1\r\nHost: 127.0.0.1:" + http.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nhello harp\n");
        } finally {
            harp.close();
        }
        List<dev.harp.har.HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).request().url()).isEqualTo("http://127.0.0.1:" + http.port() + "/hello");
    }

    @Test
    void plainHttpInATunnelIsReplayedWithoutTheNetwork() throws Exception {
        Path har = dir.resolve("plain-replay.har");
        HarpServer recording = HttpsSupport.startRecording(har);
        try {
            assertThat(getInPlainTunnel(recording)).startsWith("HTTP/1.1 200").endsWith("hello harp\n");
        } finally {
            recording.close();
        }
        int before = http.requests();
        HarpServer replaying = HttpsSupport.startRecording(har, b -> b.mode(Mode.REPLAY));
        try {
            assertThat(getInPlainTunnel(replaying)).startsWith("HTTP/1.1 200").endsWith("hello harp\n");
        } finally {
            replaying.close();
        }
        assertThat(http.requests()).as("replay never touches the network").isEqualTo(before);
    }

    private static String getInPlainTunnel(HarpServer harp) throws Exception {
        try (Socket s = HttpsSupport.connect(harp, "127.0.0.1:" + http.port(), "HTTP/1.1")) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /hello HTTP/1.1\r\nHost: 127.0.0.1:" + http.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void tunnelSpeakingNeitherTlsNorHttpIsRelayedRaw() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("raw-bytes.har"));
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket peer = echo.accept()) {
                    peer.setSoTimeout(10_000);
                    byte[] hello = peer.getInputStream().readNBytes(5);
                    peer.getOutputStream().write(hello);
                } catch (java.io.IOException ignored) {
                    // the test fails on the client side
                }
            });
            server.start();
            try (Socket s = HttpsSupport.connect(harp, "127.0.0.1:" + echo.getLocalPort(), "HTTP/1.1")) {
                s.getOutputStream().write("SSH-2".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("SSH-2");
            }
            server.join(10_000);
        } finally {
            harp.close();
        }
        assertThat(HttpsSupport.closeAndReadHar(harp)).isEmpty();
    }

    /** HTTP/2 clients are forwarded by the JDK client, HTTP/1.1 clients by the I/O-thread relay: both explain. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(HttpClient.Version.class)
    void selfSignedUpstreamIsRejectedUnlessTrusted(HttpClient.Version version) throws Exception {
        HarpServer strict = HttpsSupport.startRecording(dir.resolve("strict.har"), b -> b);
        try {
            HttpClient client = HttpsSupport.client(strict, HttpsSupport.trustingHarp(strict), version);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https.url("/hello"))).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("localhost:" + https.port()).contains("TLS handshake")
                    .contains("--upstream-trust");
        } finally {
            strict.close();
        }
        assertThat(HttpsSupport.closeAndReadHar(strict)).isEmpty();

        Path pem = https.writeCaPem(dir.resolve("upstream-ca.pem"));
        HarpServer trusting = HttpsSupport.startRecording(dir.resolve("trusting.har"), b -> b.upstreamTrust(pem));
        try {
            HttpClient client = HttpsSupport.client(trusting, HttpsSupport.trustingHarp(trusting), version);
            for (String url : List.of(https.url("/hello"), "https://127.0.0.1:" + https.port() + "/hello")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(url).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello harp\n");
            }
        } finally {
            trusting.close();
        }
        assertThat(HttpsSupport.closeAndReadHar(trusting)).hasSize(2);
    }

    @Test
    void pythonReachesAnExcludedHost() throws Exception {
        Prerequisites.require(Prerequisite.PYTHON3);
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("py-raw.har"), b -> b.noIntercept(List.of("local*")));
        try {
            Path upstreamCa = https.writeCaPem(dir.resolve("upstream-ca.pem"));
            String script = String.join("\n",
                    "import ssl, sys, urllib.request",
                    "ctx = ssl.create_default_context(cafile=sys.argv[2])",
                    "opener = urllib.request.build_opener(urllib.request.ProxyHandler({'https': sys.argv[1]}),",
                    "                                     urllib.request.HTTPSHandler(context=ctx))",
                    "with opener.open(sys.argv[3], timeout=10) as r:",
                    "    sys.stdout.write(r.read().decode())",
                    "");
            HttpsSupport.Run run = HttpsSupport.run(List.of("python3", "-c", script, "http://127.0.0.1:" + harp.port(),
                    upstreamCa.toString(), https.url("/hello")), Duration.ofSeconds(30), dir);
            assertThat(run.exit()).as("%s", run).isZero();
            assertThat(run.stdout()).isEqualTo("hello harp\n");
        } finally {
            harp.close();
        }
        assertThat(HttpsSupport.closeAndReadHar(harp)).isEmpty();
    }
}
