package dev.harp.tls;

import static dev.harp.tls.TlsTestSupport.handshake;
import static dev.harp.tls.TlsTestSupport.sans;
import static dev.harp.tls.TlsTestSupport.strictClientEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes against the MITM server context, with clients that trust only the Harp CA. */
class MitmTlsTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final int TIMEOUT_MS = 10_000;

    private final LeafCertificates leaves = new LeafCertificates(CA);
    private final SSLContext server = MitmTls.serverContext(leaves);
    private SSLContext client;
    private SSLServerSocket listener;
    private ExecutorService acceptor;

    @BeforeEach
    void setUp() throws Exception {
        client = TlsTestSupport.clientTrustingOnly(CA);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (acceptor != null) {
            acceptor.shutdownNow();
            assertThat(acceptor.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    // --- SSLEngine, the path Undertow takes ---

    @Test
    void engineChoosesTheLeafFromSni() throws Exception {
        SSLEngine clientEngine = strictClientEngine(client, "example.test");
        SSLEngine serverEngine = serverEngine(null);

        handshake(clientEngine, serverEngine);

        assertThat(sans(clientEngine.getSession().getPeerCertificates())).containsExactly("dns:example.test");
        assertThat(clientEngine.getSession().getPeerCertificates()).hasSize(2);
    }

    @Test
    void sniWinsOverThePeerHostHint() throws Exception {
        SSLEngine clientEngine = strictClientEngine(client, "example.test");

        handshake(clientEngine, serverEngine("10.1.2.3"));

        assertThat(sans(clientEngine.getSession().getPeerCertificates())).containsExactly("dns:example.test");
    }

    @Test
    void engineWithoutSniUsesThePeerHostHintForIpv4() throws Exception {
        SSLEngine clientEngine = strictClientEngine(client, "127.0.0.1");

        handshake(clientEngine, serverEngine("127.0.0.1"));

        assertThat(sans(clientEngine.getSession().getPeerCertificates())).containsExactly("ip:127.0.0.1");
    }

    @Test
    void engineWithoutSniUsesThePeerHostHintForIpv6() throws Exception {
        SSLEngine clientEngine = strictClientEngine(client, "::1");

        handshake(clientEngine, serverEngine("[::1]"));

        assertThat(sans(clientEngine.getSession().getPeerCertificates())).containsExactly("ip:0:0:0:0:0:0:0:1");
    }

    @Test
    void engineWithNeitherSniNorHintUsesTheFallback() throws Exception {
        SSLEngine clientEngine = strictClientEngine(client, "localhost"); // the JDK sends no SNI for dotless names

        handshake(clientEngine, serverEngine(null));

        assertThat(sans(clientEngine.getSession().getPeerCertificates())).containsExactly("dns:localhost");
    }

    @Test
    void configuredFallbackIsUsed() throws Exception {
        SSLEngine clientEngine = withoutSni(strictClientEngine(client, "fallback.test"));
        SSLEngine serverEngine = MitmTls.serverContext(leaves, "fallback.test").createSSLEngine();
        serverEngine.setUseClientMode(false);

        handshake(clientEngine, serverEngine);

        assertThat(sans(clientEngine.getSession().getPeerCertificates())).containsExactly("dns:fallback.test");
    }

    @Test
    void clientRejectsALeafForAnotherHost() {
        SSLEngine clientEngine = withoutSni(strictClientEngine(client, "example.test"));

        assertThatThrownBy(() -> handshake(clientEngine, serverEngine(null)))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative DNS name matching example.test");
    }

    @Test
    void clientTrustingOtherCasRejectsTheLeaf() throws Exception {
        SSLContext stranger = TlsTestSupport.clientTrustingOnly(CertificateAuthority.inMemory());
        SSLEngine clientEngine = strictClientEngine(stranger, "example.test");

        assertThatThrownBy(() -> handshake(clientEngine, serverEngine(null)))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path");
    }

    @Test
    void tls12ClientNegotiatesAnEcdsaSuite() throws Exception {
        SSLEngine clientEngine = strictClientEngine(client, "example.test");
        clientEngine.setEnabledProtocols(new String[] {"TLSv1.2"});

        handshake(clientEngine, serverEngine(null));

        assertThat(clientEngine.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(clientEngine.getSession().getCipherSuite()).startsWith("TLS_ECDHE_ECDSA_");
    }

    @Test
    void tls13IsPreferred() throws Exception {
        SSLEngine clientEngine = strictClientEngine(client, "example.test");
        handshake(clientEngine, serverEngine(null));
        assertThat(clientEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void rsaLeavesWorkToo() throws Exception {
        SSLContext rsaServer = MitmTls.serverContext(new LeafCertificates(CA, 10, KeyAlgorithm.RSA_2048));
        SSLEngine clientEngine = strictClientEngine(client, "example.test");
        SSLEngine serverEngine = rsaServer.createSSLEngine();
        serverEngine.setUseClientMode(false);

        handshake(clientEngine, serverEngine);

        assertThat(clientEngine.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void onlyTls12And13AreEnabledAndH2CipherSuiteIsKept() throws Exception {
        SSLEngine engine = serverEngine("example.test");
        assertThat(engine.getEnabledProtocols()).isNotEmpty().isSubsetOf(MitmTls.PROTOCOLS);
        assertThat(engine.getEnabledCipherSuites()).contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(server.getDefaultSSLParameters().getProtocols()).isSubsetOf(MitmTls.PROTOCOLS);
        try (SSLServerSocket socket = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getEnabledProtocols()).isNotEmpty().isSubsetOf(MitmTls.PROTOCOLS);
        }
        assertThatThrownBy(() -> server.init(null, null, null)).isInstanceOf(java.security.KeyManagementException.class);
    }

    // --- SSLServerSocket on loopback ---

    @Test
    void socketServerChoosesTheLeafFromSni() throws Exception {
        int port = serveHttp();
        try (SSLSocket socket = strictClientSocket(port, "example.test")) {
            socket.startHandshake();
            assertThat(sans(socket.getSession().getPeerCertificates())).containsExactly("dns:example.test");
        }
    }

    @Test
    void socketServerWithoutSniUsesTheAddressTheClientDialled() throws Exception {
        int port = serveHttp();
        try (SSLSocket socket = strictClientSocket(port, "127.0.0.1")) {
            socket.startHandshake();
            assertThat(sans(socket.getSession().getPeerCertificates())).containsExactly("ip:127.0.0.1");
        }
    }

    @Test
    void httpsUrlConnectionVerifiesTheLeafStrictly() throws Exception {
        int port = serveHttp();
        HttpsURLConnection connection = (HttpsURLConnection)
                new URL("https://127.0.0.1:" + port + "/hello").openConnection(Proxy.NO_PROXY);
        connection.setSSLSocketFactory(client.getSocketFactory());
        connection.setConnectTimeout(TIMEOUT_MS);
        connection.setReadTimeout(TIMEOUT_MS);
        try {
            assertThat(connection.getResponseCode()).isEqualTo(HttpURLConnection.HTTP_OK);
            assertThat(sans(connection.getServerCertificates())).containsExactly("ip:127.0.0.1");
            try (InputStream body = connection.getInputStream()) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            }
        } finally {
            connection.disconnect();
        }
    }

    private SSLEngine serverEngine(String peerHostHint) {
        SSLEngine engine = peerHostHint == null ? server.createSSLEngine() : server.createSSLEngine(peerHostHint, 0);
        engine.setUseClientMode(false);
        return engine;
    }

    private static SSLEngine withoutSni(SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of());
        engine.setSSLParameters(parameters);
        return engine;
    }

    private SSLSocket strictClientSocket(int port, String host) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        plain.setSoTimeout(TIMEOUT_MS);
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Starts a loopback TLS server answering every request with "ok"; returns its port. */
    private int serveHttp() throws Exception {
        listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = Executors.newSingleThreadExecutor();
        acceptor.submit(() -> {
            while (!listener.isClosed()) {
                try (Socket connection = listener.accept()) {
                    connection.setSoTimeout(TIMEOUT_MS);
                    readHead(connection.getInputStream());
                    OutputStream out = connection.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception e) {
                    // a client that only handshakes, or the listener closing: next connection
                }
            }
            return null;
        });
        return listener.getLocalPort();
    }

    private static void readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
    }
}
