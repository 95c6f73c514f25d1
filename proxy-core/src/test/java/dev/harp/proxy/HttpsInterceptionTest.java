package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.har.HarEntry;
import dev.harp.testing.TestHttpsUpstream;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static dev.harp.proxy.HttpsSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS through a real Harp with JDK clients that trust only Harp's CA: HTTP/1.1 and h2 (ALPN) to Harp. */
class HttpsInterceptionTest {
    @RegisterExtension
    static final TestHttpsUpstream upstream = TestHttpsUpstream.perTestClass();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void getAndPostAreInterceptedAndRecorded(HttpClient.Version version) throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("flows.har"));
        try {
            HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), version);
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/hello")))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("hello harp\n");
            assertThat(get.version()).as("protocol negotiated with Harp").isEqualTo(version);
            assertThat(get.sslSession()).isPresent();
            assertThat(get.sslSession().orElseThrow().getPeerCertificates()[0])
                    .as("the leaf is Harp's, not the upstream's")
                    .satisfies(c -> c.verify(harp.certificateAuthority().certificate().getPublicKey()));

            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/echo?via=" + version)))
                    .timeout(TIMEOUT).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("posted through " + version)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.body()).isEqualTo("posted through " + version);
            assertThat(post.headers().firstValue("x-echo-method")).hasValue("POST");
        } finally {
            harp.close();
        }

        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).extracting(e -> e.request().url()).containsExactly(
                "https://localhost:" + upstream.port() + "/hello",
                "https://localhost:" + upstream.port() + "/echo?via=" + version);
        assertThat(entries.get(0).response().content().text()).isEqualTo("hello harp\n");
        assertThat(entries.get(1).request().method()).isEqualTo("POST");
        assertThat(entries.get(1).request().postData().text()).isEqualTo("posted through " + version);
        assertThat(entries.get(1).response().content().text()).isEqualTo("posted through " + version);
        assertThat(entries.get(0).request().httpVersion())
                .isEqualTo(version == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void largeBodiesAndConcurrentRequests(HttpClient.Version version) throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("large.har"));
        byte[] upload = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < upload.length; i++) {
            upload[i] = (byte) (i * 7 + (i >> 11));
        }
        try {
            HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), version);
            // a download larger than any flow-control window, and uploads of known and of unknown length
            HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(
                    URI.create(upstream.url("/large?size=" + (5 * 1024 * 1024)))).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).hasSize(5 * 1024 * 1024);
            assertThat(download.version()).isEqualTo(version);
            HttpResponse<byte[]> sized = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/echo")))
                    .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(sized.body()).isEqualTo(upload);
            HttpResponse<byte[]> streamed = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/echo")))
                    .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(upload)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(streamed.body()).isEqualTo(upload);

            // many requests at once: streams of one h2 connection, or several HTTP/1.1 connections
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pending.add(client.sendAsync(HttpRequest.newBuilder(URI.create(upstream.url("/query?n=" + i)))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = pending.get(i).get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("query=n=" + i + "\n");
            }
        } finally {
            harp.close();
        }
        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).hasSize(23);
        assertThat(entries.get(0).response().content().size()).isEqualTo(5 * 1024 * 1024);
    }

    @Test
    void ipAddressTargetsGetALeafForTheAddress() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("ip.har"));
        try {
            HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), HttpClient.Version.HTTP_2);
            String url = "https://127.0.0.1:" + upstream.port() + "/json";
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"name\":\"harp\"");
        } finally {
            harp.close();
        }
        assertThat(HttpsSupport.closeAndReadHar(harp)).extracting(e -> e.request().url())
                .containsExactly("https://127.0.0.1:" + upstream.port() + "/json");
    }

    /**
     * {@code CONNECT [::1]:P}. The JDK 17 HttpClient cannot tunnel to an IPv6 literal (it puts the bracketed
     * literal into an SNI host name and fails before sending anything), so a plain JSSE socket and curl are the
     * clients here; both verify Harp's leaf for the address strictly.
     */
    @Test
    void ipv6LoopbackTarget() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        Prerequisites.require(Prerequisite.IPV6_LOOPBACK);
        try (TestHttpsUpstream v6Upstream = TestHttpsUpstream.start(v6)) {
            HarpServer harp = HttpsSupport.startRecording(dir.resolve("v6.har"));
            String url = "https://[::1]:" + v6Upstream.port() + "/hello";
            boolean curl = Prerequisites.optional(Prerequisite.CURL);
            try {
                String response = HttpsSupport.getThroughTunnel(harp, HttpsSupport.trustingHarp(harp), "::1",
                        v6Upstream.port(), "/hello");
                assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nhello harp\n");
                if (curl) {
                    Path ca = HttpsSupport.exportCa(harp, dir);
                    for (String protocol : List.of("--http2", "--http1.1")) {
                        HttpsSupport.Run run = HttpsSupport.run(List.of("curl", "-sS", "--max-time", "10", protocol,
                                "--cacert", ca.toString(), "--proxy", "http://127.0.0.1:" + harp.port(), url),
                                java.time.Duration.ofSeconds(30), dir);
                        assertThat(run.exit()).as("%s", run).isZero();
                        assertThat(run.stdout()).isEqualTo("hello harp\n");
                    }
                }
            } finally {
                harp.close();
            }
            assertThat(v6Upstream.requests()).isEqualTo(curl ? 3 : 1);
            assertThat(HttpsSupport.closeAndReadHar(harp)).extracting(e -> e.request().url()).containsOnly(url)
                    .hasSize(curl ? 3 : 1);
        }
    }
}
