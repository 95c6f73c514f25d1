package dev.harp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream contexts against a real loopback HTTPS server, through java.net.http.HttpClient. */
class UpstreamTlsTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final LeafCertificates LEAVES = new LeafCertificates(CA);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<HttpsServer> servers = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void insecureAcceptsAnUntrustedCertificateForAnotherHost() throws Exception {
        int port = serve(LEAVES.leafFor("other.test"));

        HttpResponse<String> response = get(UpstreamTls.insecure(), port);

        assertThat(System.getProperty("jdk.internal.httpclient.disableHostnameVerification"))
                .as("no global switch involved").isNull();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
    }

    @Test
    void verifiedRejectsAnUntrustedCertificate() throws Exception {
        int port = serve(LEAVES.leafFor("other.test"));

        assertThatThrownBy(() -> get(UpstreamTls.verified(), port))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path");
    }

    @Test
    void extraTrustAcceptsTheCaWhenTheNameMatches() throws Exception {
        int port = serve(LEAVES.leafFor("127.0.0.1"));
        Path pem = tmp.resolve("ca.pem");
        CA.exportPem(pem);

        HttpResponse<String> response = get(UpstreamTls.withExtraTrust(pem), port);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).startsWith("TLS"));
    }

    @Test
    void extraTrustStillVerifiesTheHostName() throws Exception {
        int port = serve(LEAVES.leafFor("other.test"));
        Path pem = tmp.resolve("ca.pem");
        CA.exportPem(pem);

        assertThatThrownBy(() -> get(UpstreamTls.withExtraTrust(pem), port))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("127.0.0.1");
    }

    /**
     * Why {@link UpstreamTls#insecure()} is built on an extended trust manager: against the same server, the plain
     * "trust all" manager that many snippets use still fails on the host name (JSSE wraps it and checks the host
     * itself), where Harp's context connects.
     */
    @Test
    void insecureSkipsTheHostCheckThatAPlainTrustAllManagerCannotSkip() throws Exception {
        int port = serve(LEAVES.leafFor("other.test"));
        SSLContext naive = SSLContext.getInstance("TLS");
        naive.init(null, new TrustManager[] {new PlainTrustAll()}, null);

        assertThatThrownBy(() -> get(naive, port))
                .as("JSSE wraps a non-extended trust manager and checks the host itself")
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("127.0.0.1");
        assertThat(get(UpstreamTls.insecure(), port).statusCode()).as("Harp's insecure context, same server").isEqualTo(200);
    }

    @Test
    void extraTrustNamesAMissingFile() {
        Path missing = tmp.resolve("nope.pem");
        assertThatThrownBy(() -> UpstreamTls.withExtraTrust(missing))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith(missing + ": ")
                .hasMessageContaining("no such file");
    }

    @Test
    void extraTrustNamesAFileWithoutCertificates() throws Exception {
        Path garbage = tmp.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        assertThatThrownBy(() -> UpstreamTls.withExtraTrust(garbage))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith(garbage + ": contains no PEM certificate");
    }

    @Test
    void trustingAlsoTrustsTheCaAndKeepsTheJdkDefaults() throws Exception {
        X509TrustManager jdk = jdkDefaultTrustManager();
        X509TrustManager merged = UpstreamTls.trustingAlso(CA.certificate());

        assertThat(jdk.getAcceptedIssuers()).isNotEmpty();
        assertThat(merged.getAcceptedIssuers())
                .contains(CA.certificate())
                .contains(jdk.getAcceptedIssuers())
                .hasSize(jdk.getAcceptedIssuers().length + 1);
        merged.checkServerTrusted(LEAVES.leafFor("example.test").chainArray(), "ECDHE_ECDSA");
        X509Certificate[] foreign = new LeafCertificates(CertificateAuthority.inMemory()).leafFor("example.test").chainArray();
        assertThatThrownBy(() -> merged.checkServerTrusted(foreign, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    private HttpResponse<String> get(SSLContext context, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(context)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                .timeout(TIMEOUT)
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** An HTTPS server on a loopback ephemeral port that always presents the given leaf. */
    private int serve(LeafCertificate leaf) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("leaf", leaf.privateKey(), new char[0], leaf.chainArray());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static X509TrustManager jdkDefaultTrustManager() throws Exception {
        javax.net.ssl.TrustManagerFactory factory =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    /** What many "trust all" snippets do: a plain X509TrustManager. */
    private static final class PlainTrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
