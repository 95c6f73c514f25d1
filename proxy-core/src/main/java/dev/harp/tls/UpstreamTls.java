package dev.harp.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the proxy's client side, towards the real servers: {@link SSLContext}s for
 * {@code java.net.http.HttpClient.Builder#sslContext} and trust managers for other clients.
 *
 * <ul>
 *   <li>{@link #verified()}: the JDK's default trust, with host name verification;
 *   <li>{@link #withExtraTrust(Path)}: the JDK's default CAs plus CAs from a PEM file (a company CA,
 *       a test server's self-signed certificate), still with host name verification;
 *   <li>{@link #insecure()}: accepts any certificate for any host, for {@code --insecure-upstream}.
 * </ul>
 */
public final class UpstreamTls {
    private UpstreamTls() {
    }

    /**
     * The JDK's default context: default CAs ({@code javax.net.ssl.trustStore} or the JDK's
     * {@code cacerts}) and host name verification by the clients that ask for it.
     *
     * @return the JDK default SSLContext
     */
    public static SSLContext verified() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's default TLS context is not available", e);
        }
    }

    /**
     * A context trusting the JDK's default CAs and every certificate in a PEM file. Host names are
     * still verified.
     *
     * @param pemFile one or more PEM certificates
     * @return an initialized client context
     * @throws IOException if the file cannot be read or holds no PEM certificate; the message
     *     starts with the file
     */
    public static SSLContext withExtraTrust(Path pemFile) throws IOException {
        return context(trustingAlso(PemFiles.readCertificates(pemFile)));
    }

    /**
     * A context that accepts any server certificate and skips host name verification.
     *
     * <p>Its trust manager is an {@link X509ExtendedTrustManager}: JSSE then leaves endpoint
     * identification to the trust manager, so the JDK {@code HttpClient} connects to a server whose
     * certificate names another host without the global
     * {@code jdk.internal.httpclient.disableHostnameVerification} property. (A plain
     * {@link X509TrustManager} that accepts everything is not enough: JSSE wraps it and still
     * checks the host name.)
     *
     * @return an initialized client context that verifies nothing
     */
    public static SSLContext insecure() {
        return context(new AcceptAll());
    }

    /**
     * A trust manager that trusts the given CA as well as the JDK's default CAs, verifying host
     * names when the connection asks for it. Meant for a client of the proxy that must trust Harp's
     * CA and keep reaching real hosts directly.
     *
     * @param extraCa a CA certificate to trust, for example {@link CertificateAuthority#certificate()}
     * @return a trust manager (an {@link X509ExtendedTrustManager})
     */
    public static X509ExtendedTrustManager trustingAlso(X509Certificate extraCa) {
        return trustingAlso(List.of(Objects.requireNonNull(extraCa, "extraCa")));
    }

    /**
     * One PKIX trust manager whose anchors are the extra certificates and the JDK's default CAs.
     * A single validator (rather than "try one, then the other") reports one clear reason, such
     * as a host name mismatch, when a chain is refused.
     */
    static X509ExtendedTrustManager trustingAlso(Collection<X509Certificate> extra) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int index = 0;
            for (X509Certificate certificate : extra) {
                anchors.setCertificateEntry("extra-" + index++, certificate);
            }
            for (X509Certificate certificate : defaultTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + index++, certificate);
            }
            return pkix(anchors);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager defaultTrustManager() throws GeneralSecurityException {
        return pkix(null);
    }

    private static X509ExtendedTrustManager pkix(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) manager;
            }
        }
        throw new GeneralSecurityException("the default TrustManagerFactory has no X509ExtendedTrustManager");
    }

    private static SSLContext context(TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS implementation is not available", e);
        }
    }

    /** Accepts every chain for every host; being an extended trust manager, it also owns the host check. */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
