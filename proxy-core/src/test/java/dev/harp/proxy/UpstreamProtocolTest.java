package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Harp forwards over HTTP/1.1 whatever its client speaks, also to an HTTPS upstream that offers h2 (why:
 * {@code dev.harp.upstream.UpstreamPool}): the upstream sees HTTP/1.1 from HTTP/2 and HTTP/1.1 clients alike, and the
 * HAR records the client's protocol for the request and the upstream's for the response, never an h2 pseudo-header
 * as a header.
 */
class UpstreamProtocolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static Undertow upstream;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = Undertow.builder()
                .addHttpsListener(0, "127.0.0.1", MitmTls.serverContext(new LeafCertificates(CA), "127.0.0.1"))
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setIoThreads(1).setWorkerThreads(2)
                .setHandler(ex -> {
                    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    ex.getResponseSender().send(ex.getProtocol() + " " + ex.getRequestMethod());
                })
                .build();
        upstream.start();
        port = ((InetSocketAddress) upstream.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop();
    }

    @ParameterizedTest
    @CsvSource({"HTTP_2, HTTP/1.1", "HTTP_1_1, HTTP/1.1"})
    void theUpstreamGetsHttp11WhateverTheClientSpeaks(HttpClient.Version version, String upstreamProtocol) throws Exception {
        Path har = dir.resolve("protocol.har");
        try (HarpServer harp = HarpServer.builder().mode(Mode.RECORD).har(har).port(0).environment(Map.of())
                .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start()) {
            HttpClient client = HttpClient.newBuilder().version(version).proxy(ProxySelector.of(harp.address()))
                    .sslContext(trusting(CA)).connectTimeout(TIMEOUT).build();
            for (String method : List.of("GET", "DELETE")) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create("https://127.0.0.1:" + port + "/protocol"))
                        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.version()).as("protocol between the client and Harp").isEqualTo(version);
                assertThat(response.body()).as("protocol between Harp and the upstream").isEqualTo(upstreamProtocol + " " + method);
            }
        }
        List<HarEntry> entries = HarReader.read(har).log().entries();
        assertThat(entries).hasSize(2);
        for (HarEntry e : entries) {
            String client = version == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
            assertThat(e.request().httpVersion()).isEqualTo(client);
            assertThat(e.response().httpVersion()).isEqualTo(upstreamProtocol);
            assertThat(e.response().headers()).noneMatch(h -> h.name().startsWith(":"));
            assertThat(e.response().status()).isEqualTo(200);
        }
    }

    private static SSLContext trusting(CertificateAuthority ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("harp", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
