package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.replay.MatchOptions;
import dev.harp.testing.TestHttpsUpstream;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.harp.proxy.HttpsSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A proxy given a CA still being made ({@code HarpConfig.Builder.certificateAuthority(Future)}, as the JUnit extension
 * does): it listens without waiting for it, asks for it in the background only when its session may intercept HTTPS
 * (a mode that forwards, a replayed HAR with an {@code https:} entry), and never when replaying plain HTTP.
 */
class PendingCaTest {
    @RegisterExtension
    static final TestHttpsUpstream upstream = TestHttpsUpstream.perTestClass();

    @TempDir
    Path dir;

    /** A CA future that counts who waits for it. */
    static final class Watched extends CompletableFuture<CertificateAuthority> {
        final AtomicInteger asked = new AtomicInteger();
        final CountDownLatch firstAsked = new CountDownLatch(1);

        @Override
        public CertificateAuthority get() throws InterruptedException, ExecutionException {
            asked.incrementAndGet();
            firstAsked.countDown();
            return super.get();
        }
    }

    private static HarpServer start(Mode mode, Path har, Watched ca) throws Exception {
        return HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                .insecureUpstream(true).certificateAuthority(ca).start();
    }

    private Path har(String url) throws Exception {
        Path har = dir.resolve("fixture.har");
        Files.writeString(har, """
                {"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[
                {"startedDateTime":"2026-01-01T00:00:00.000Z","time":1,
                 "request":{"method":"GET","url":"%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                  "queryString":[],"headersSize":-1,"bodySize":0},
                 "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],
                  "headers":[{"name":"Content-Type","value":"text/plain"}],
                  "content":{"size":5,"mimeType":"text/plain","text":"hello"},"redirectURL":"","headersSize":-1,
                  "bodySize":5},
                 "cache":{},"timings":{"send":0,"wait":1,"receive":0}}]}}
                """.formatted(url));
        return har;
    }

    @Test
    void replayOfPlainHttpNeverAsksForTheCa() throws Exception {
        Watched ca = new Watched(); // never made
        HarpServer harp = start(Mode.REPLAY, har("http://plain.example.test/hi"), ca);
        try {
            HttpClient client = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(harp.address()))
                    .connectTimeout(TIMEOUT).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://plain.example.test/hi"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
        } finally {
            harp.close(); // does not wait for the CA either
        }
        assertThat(ca.asked).hasValue(0);
        assertThat(ca).isNotDone();
    }

    @Test
    void replayOfAnHttpsHarAsksForTheCaOnceListening() throws Exception {
        Watched ca = new Watched();
        try (HarpServer harp = start(Mode.REPLAY, har("https://secure.example.test/hi"), ca)) {
            assertThat(ca.firstAsked.await(10, TimeUnit.SECONDS)).as("the TLS material is prepared in the background")
                    .isTrue();
            CertificateAuthority made = CertificateAuthority.inMemory();
            ca.complete(made);
            assertThat(harp.certificateAuthority()).isSameAs(made);
        }
    }

    @Test
    void replayWithHostAliasesAsksForTheCaOnceListening() throws Exception {
        Watched ca = new Watched(); // an alias may map a live https host onto the recorded http one
        try (HarpServer harp = HarpServer.builder().mode(Mode.REPLAY).har(har("http://plain.example.test/hi")).port(0)
                .environment(Map.of()).systemProperties(Map.of()).certificateAuthority(ca)
                .matchOptions(MatchOptions.builder().hostAlias("api.example.test", "plain.example.test").build())
                .start()) {
            assertThat(ca.firstAsked.await(10, TimeUnit.SECONDS)).isTrue();
            ca.complete(CertificateAuthority.inMemory());
            assertThat(harp.address().getPort()).isPositive();
        }
    }

    @Test
    void aCaThatCouldNotBeMadeEndsTheTunnelAtOnce() throws Exception {
        Watched ca = new Watched();
        ca.completeExceptionally(new IllegalStateException("no EC key pair generator"));
        try (HarpServer harp = start(Mode.RECORD, dir.resolve("never.har"), ca)) { // listens all the same
            HttpClient client = HttpsSupport.client(harp, TestHttpsUpstream.trustingOnly(CertificateAuthority.inMemory().certificate()),
                    HttpClient.Version.HTTP_1_1);
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(upstream.url("/hello")))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("the tunnel is closed, not left waiting for the client's timeout")
                    .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
            assertThatThrownBy(harp::certificateAuthority).hasMessageContaining("no EC key pair generator");
        }
    }

    @Test
    void aRecordingProxyListensBeforeItsCaExistsAndInterceptsWithItOnceMade() throws Exception {
        Watched ca = new Watched();
        HarpServer harp = start(Mode.RECORD, dir.resolve("recorded.har"), ca); // returns with the CA not made
        try {
            assertThat(ca).isNotDone();
            assertThat(ca.firstAsked.await(10, TimeUnit.SECONDS)).isTrue();
            CertificateAuthority made = CertificateAuthority.inMemory();
            ca.complete(made);
            HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), HttpClient.Version.HTTP_1_1);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/hello")))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello harp\n");
            assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
                    .satisfies(c -> c.verify(made.certificate().getPublicKey()));
        } finally {
            harp.close();
        }
        assertThat(HttpsSupport.closeAndReadHar(harp)).hasSize(1);
    }
}
