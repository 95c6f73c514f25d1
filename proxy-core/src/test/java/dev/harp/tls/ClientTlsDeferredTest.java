package dev.harp.tls;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ClientTls#deferred}: a trust that can be installed before Harp's CA exists (the JUnit extension wires the
 * JVM with it) and is built only when a TLS connection, or a caller, needs it.
 */
class ClientTlsDeferredTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final SSLContext SERVER = MitmTls.serverContext(new LeafCertificates(CA));

    @Test
    void creatingClientsAsksNothingOfTheCa() {
        AtomicInteger asked = new AtomicInteger();
        ClientTls tls = ClientTls.deferred(() -> {
            asked.incrementAndGet();
            return CA.certificate();
        });
        SSLContext context = tls.sslContext();
        SSLParameters parameters = context.getDefaultSSLParameters();
        assertThat(parameters.getProtocols()).contains("TLSv1.3", "TLSv1.2");
        assertThat(context.getSupportedSSLParameters().getCipherSuites()).isNotEmpty();
        assertThat(context.getSocketFactory()).isNotNull(); // HttpsURLConnection's default, installed by the wiring
        HttpClient client = HttpClient.newBuilder().sslContext(context).build(); // reads the default parameters
        assertThat(client.sslContext()).isSameAs(context);
        assertThat(asked).hasValue(0);
    }

    @Test
    void theFirstHandshakeBuildsTheTrustOnceAndTrustsHarpsCa() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ClientTls tls = ClientTls.deferred(() -> {
            asked.incrementAndGet();
            return CA.certificate();
        });
        for (String host : new String[] {"api.example.test", "other.example.test"}) {
            SSLEngine client = TlsTestSupport.strictClientEngine(tls.sslContext(), host);
            SSLEngine server = SERVER.createSSLEngine(host, 443);
            server.setUseClientMode(false);
            TlsTestSupport.handshake(client, server);
            assertThat(((X509Certificate) client.getSession().getPeerCertificates()[1]))
                    .isEqualTo(CA.certificate());
        }
        assertThat(asked).hasValue(1);
        assertThat(tls.harpCa()).isEqualTo(CA.certificate());
        assertThat(tls.sslContext().getDefaultSSLParameters().getProtocols()).contains("TLSv1.3");
    }

    @Test
    void prepareBuildsAheadOnTheCallersThread() {
        CompletableFuture<X509Certificate> made = new CompletableFuture<>();
        ClientTls tls = ClientTls.deferred(made::join);
        made.complete(CA.certificate());
        tls.prepare();
        tls.prepare(); // once only
        assertThat(tls.trustManager().getAcceptedIssuers()).contains(CA.certificate());
        assertThat(tls.pemBundle()).startsWith(ClientTls.pem(CA.certificate()));
    }

    @Test
    void aCaThatCouldNotBeMadeFailsTheConnectionsWithItsCause() {
        ClientTls tls = ClientTls.deferred(() -> {
            throw new IllegalStateException("no key pair generator");
        });
        assertThat(tls.sslContext().getDefaultSSLParameters().getProtocols()).contains("TLSv1.3"); // still created
        assertThatThrownBy(() -> tls.sslContext().createSSLEngine("api.example.test", 443))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no key pair generator");
        assertThatThrownBy(tls::harpCa).hasMessageContaining("no key pair generator");
        assertThatThrownBy(() -> tls.sslContext().getSocketFactory().createSocket("127.0.0.1", 9))
                .hasMessageContaining("no key pair generator");
    }

    @Test
    void aTrustBuiltAtOnceIsTheSameAsBefore() throws Exception {
        ClientTls tls = ClientTls.trusting(CA.certificate());
        SSLEngine client = TlsTestSupport.strictClientEngine(tls.sslContext(), "api.example.test");
        SSLEngine server = SERVER.createSSLEngine("api.example.test", 443);
        server.setUseClientMode(false);
        TlsTestSupport.handshake(client, server);
        assertThat(tls.sslContext().getProvider().getName()) // the real context, built now
                .isEqualTo(SSLContext.getInstance("TLS").getProvider().getName());
    }

    @Test
    void parametersAnsweredBeforeTheBuildAreThoseOfTheBuiltContext() {
        ClientTls tls = ClientTls.deferred(CA::certificate);
        SSLParameters before = tls.sslContext().getDefaultSSLParameters();
        SSLParameters supportedBefore = tls.sslContext().getSupportedSSLParameters();
        tls.prepare();
        SSLParameters after = tls.sslContext().getDefaultSSLParameters();
        assertThat(before.getProtocols()).containsExactly(after.getProtocols());
        assertThat(before.getCipherSuites()).containsExactly(after.getCipherSuites());
        assertThat(supportedBefore.getProtocols())
                .containsExactly(tls.sslContext().getSupportedSSLParameters().getProtocols());
        assertThat(supportedBefore.getCipherSuites())
                .containsExactly(tls.sslContext().getSupportedSSLParameters().getCipherSuites());
    }
}
