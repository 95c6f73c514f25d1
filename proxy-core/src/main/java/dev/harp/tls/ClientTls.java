package dev.harp.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a client of Harp needs to accept Harp's certificates: a trust manager and an {@link SSLContext} that trust
 * Harp's CA <em>and</em> the JDK's own CAs (so the same client still reaches real hosts directly), plus the same
 * trust as a PEM bundle and a PKCS#12 trust store for other processes and containers. Immutable and thread-safe.
 */
public final class ClientTls {
    private final X509Certificate harpCa;
    private final X509ExtendedTrustManager trustManager;
    private final SSLContext sslContext;

    private ClientTls(X509Certificate harpCa) {
        this.harpCa = harpCa;
        this.trustManager = UpstreamTls.trustingAlso(harpCa);
        try {
            this.sslContext = SSLContext.getInstance("TLS");
            sslContext.init(null, new TrustManager[] {trustManager}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS implementation is not available", e);
        }
    }

    /**
     * Builds the trust for one Harp CA; the JDK's CAs are read now ({@code javax.net.ssl.trustStore} or
     * {@code cacerts}).
     *
     * @param harpCa Harp's CA certificate
     * @return the client trust
     */
    public static ClientTls trusting(X509Certificate harpCa) {
        return new ClientTls(Objects.requireNonNull(harpCa, "harpCa"));
    }

    /** @return Harp's CA certificate */
    public X509Certificate harpCa() {
        return harpCa;
    }

    /** @return a trust manager trusting Harp's CA and the JDK's CAs, verifying host names when asked */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** @return an initialised client context using {@link #trustManager()} and no client certificate */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * @return Harp's CA followed by every CA the JDK trusts, as PEM: a complete bundle for {@code SSL_CERT_FILE},
     *         {@code CURL_CA_BUNDLE} or {@code REQUESTS_CA_BUNDLE}, which replace a tool's default bundle
     */
    public String pemBundle() {
        StringBuilder out = new StringBuilder(pem(harpCa));
        for (X509Certificate certificate : trustManager.getAcceptedIssuers()) {
            if (!certificate.equals(harpCa)) {
                out.append(pem(certificate));
            }
        }
        return out.toString();
    }

    /**
     * @param password the store password
     * @return a PKCS#12 trust store with the same certificates as {@link #pemBundle()}, encoded
     */
    public byte[] pkcs12TrustStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("harp-ca", harpCa);
            int index = 0;
            for (X509Certificate certificate : trustManager.getAcceptedIssuers()) {
                if (!certificate.equals(harpCa)) {
                    store.setCertificateEntry("jdk-" + index++, certificate);
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            return bytes.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 trust store: " + e.getMessage(), e);
        }
    }

    /**
     * @param certificate a certificate
     * @return its PEM text with {@code \n} line ends and 64-character lines
     */
    public static String pem(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate: " + e.getMessage(), e);
        }
    }
}
