package dev.harp.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Locale;

/**
 * The kinds of key pair Harp generates for its certificate authority and for leaf certificates.
 *
 * <p>EC P-256 is the default: every current TLS client accepts it and a key pair costs a few
 * milliseconds. RSA-2048 exists for old clients (embedded stacks, old Android) that cannot verify
 * ECDSA signatures; generating one takes a few hundred milliseconds.
 */
public enum KeyAlgorithm {
    /** Elliptic curve key on NIST P-256 (secp256r1), signing with SHA256withECDSA. */
    EC_P256("EC", "SHA256withECDSA", new ECGenParameterSpec("secp256r1")),
    /** RSA key of 2048 bits with public exponent 65537, signing with SHA256withRSA. */
    RSA_2048("RSA", "SHA256withRSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));

    private final String jcaName;
    private final String signatureAlgorithm;
    private final AlgorithmParameterSpec spec;

    KeyAlgorithm(String jcaName, String signatureAlgorithm, AlgorithmParameterSpec spec) {
        this.jcaName = jcaName;
        this.signatureAlgorithm = signatureAlgorithm;
        this.spec = spec;
    }

    /**
     * The JCA key algorithm name, as returned by {@link java.security.Key#getAlgorithm()} and as
     * JSSE passes it to a key manager ({@code "EC"} or {@code "RSA"}).
     *
     * @return the JCA key algorithm name
     */
    public String jcaName() {
        return jcaName;
    }

    /**
     * The JCA signature algorithm used when a key of this kind signs a certificate.
     *
     * @return for example {@code "SHA256withECDSA"}
     */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /**
     * Generates a fresh key pair with the JDK's default providers.
     *
     * @return a new key pair
     * @throws IllegalStateException if the JDK lacks the algorithm (it never does on Java 17+)
     */
    public KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }

    /**
     * The signature algorithm for an existing private key, for example one loaded from disk.
     *
     * @param key a private key
     * @return the SHA-256 based signature algorithm for the key's algorithm
     * @throws IllegalArgumentException if the key is neither EC nor RSA
     */
    static String signatureAlgorithmFor(PrivateKey key) {
        String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
        for (KeyAlgorithm candidate : values()) {
            if (candidate.jcaName.equals(algorithm)) {
                return candidate.signatureAlgorithm;
            }
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm() + " (Harp supports EC and RSA)");
    }
}
