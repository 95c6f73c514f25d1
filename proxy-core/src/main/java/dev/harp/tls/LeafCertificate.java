package dev.harp.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A leaf certificate for one host, with the chain a TLS server sends (leaf, then CA) and the
 * private key that goes with it. Immutable; {@link #toString()} never shows key material.
 */
public final class LeafCertificate {
    private final String host;
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;

    LeafCertificate(String host, X509Certificate leaf, X509Certificate ca, PrivateKey privateKey) {
        this.host = Objects.requireNonNull(host, "host");
        this.chain = List.of(leaf, ca);
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * The normalized host the certificate names: lower-case ASCII, or the canonical IP text.
     *
     * @return the host, for example {@code "example.test"} or {@code "::1"}
     */
    public String host() {
        return host;
    }

    /**
     * The leaf certificate itself.
     *
     * @return the first element of {@link #chain()}
     */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * The chain to present: the leaf, then the CA certificate that signed it.
     *
     * @return an unmodifiable two-element list
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * The chain as a new array, the form {@link javax.net.ssl.X509KeyManager} returns.
     *
     * @return a fresh two-element array
     */
    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    /**
     * The leaf private key (shared by all leaves of one {@link LeafCertificates}).
     *
     * @return the private key
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "LeafCertificate[" + host + ", serial " + certificate().getSerialNumber().toString(16)
                + ", valid until " + certificate().getNotAfter().toInstant() + "]";
    }
}
