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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a client of Harp needs to accept Harp's certificates: a trust manager and an {@link SSLContext} that trust
 * Harp's CA <em>and</em> the JDK's own CAs (so the same client still reaches real hosts directly), plus the same
 * trust as a PEM bundle and a PKCS#12 trust store for other processes and containers. Built at once, or when first
 * needed for a CA still being made ({@link #deferred}). Thread-safe.
 */
public final class ClientTls {
    private final FutureTask<Built> built;
    private final SSLContext sslContext;

    /** The trust once made: Harp's CA, the trust manager of it and the JDK's CAs, a context using it. */
    private record Built(X509Certificate harpCa, X509ExtendedTrustManager trustManager, SSLContext sslContext) {
        static Built of(X509Certificate harpCa) {
            X509ExtendedTrustManager trustManager = UpstreamTls.trustingAlso(Objects.requireNonNull(harpCa, "harpCa"));
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {trustManager}, null);
                return new Built(harpCa, trustManager, context);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's TLS implementation is not available", e);
            }
        }
    }

    private ClientTls(Callable<X509Certificate> harpCa, boolean now) {
        this.built = new FutureTask<>(() -> Built.of(harpCa.call()));
        if (now) {
            this.sslContext = built().sslContext();
        } else {
            this.sslContext = DeferredClientContext.of(() -> built().sslContext(), this::ready);
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
        Objects.requireNonNull(harpCa, "harpCa");
        return new ClientTls(() -> harpCa, true);
    }

    /**
     * The trust for a Harp CA that may still be being made: nothing is built, or waited for, until something needs
     * it: a TLS connection of {@link #sslContext()} (which can be installed as a JVM's default at once), or one of the
     * other methods; {@link #prepare()} builds it ahead. The JDK's CAs are read then.
     *
     * @param harpCa gives Harp's CA certificate, waiting for it if need be; called once
     * @return the client trust
     */
    public static ClientTls deferred(Callable<X509Certificate> harpCa) {
        return new ClientTls(Objects.requireNonNull(harpCa, "harpCa"), false);
    }

    /**
     * Builds the trust now, on this thread (a background thread getting it ready for the first connection), unless it
     * is built or being built already. Failures are kept for the first user to report.
     */
    public void prepare() {
        built.run();
    }

    private boolean ready() {
        if (!built.isDone()) {
            return false;
        }
        try {
            built.get();
            return true;
        } catch (ExecutionException | InterruptedException e) {
            return false;
        }
    }

    private Built built() {
        built.run(); // returns at once when done, or being built on another thread
        try {
            return built.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Harp's CA is not available: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Harp's CA", e);
        }
    }

    /** @return Harp's CA certificate */
    public X509Certificate harpCa() {
        return built().harpCa();
    }

    /** @return a trust manager trusting Harp's CA and the JDK's CAs, verifying host names when asked */
    public X509ExtendedTrustManager trustManager() {
        return built().trustManager();
    }

    /**
     * @return an initialised client context using {@link #trustManager()} and no client certificate (for a
     *         {@linkplain #deferred deferred} trust, one that builds it at its first connection)
     */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * @return Harp's CA followed by every CA the JDK trusts, as PEM: a complete bundle for {@code SSL_CERT_FILE},
     *         {@code CURL_CA_BUNDLE} or {@code REQUESTS_CA_BUNDLE}, which replace a tool's default bundle
     */
    public String pemBundle() {
        X509Certificate harpCa = harpCa();
        StringBuilder out = new StringBuilder(pem(harpCa));
        for (X509Certificate certificate : trustManager().getAcceptedIssuers()) {
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
            X509Certificate harpCa = harpCa();
            store.setCertificateEntry("harp-ca", harpCa);
            int index = 0;
            for (X509Certificate certificate : trustManager().getAcceptedIssuers()) {
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
