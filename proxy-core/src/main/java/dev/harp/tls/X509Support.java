package dev.harp.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small X.509 helpers shared by the CA and the leaf factory. All use the JDK's own providers. */
final class X509Support {
    static final SecureRandom RANDOM = new SecureRandom();

    private X509Support() {
    }

    /** A positive random serial number of at most 159 bits, as RFC 5280 and the CA/B rules want. */
    static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(159, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Signs the builder's content with the key and converts the result into a JDK certificate. */
    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws GeneralSecurityException {
        try {
            String algorithm = KeyAlgorithm.signatureAlgorithmFor(signingKey);
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create a signer: " + e.getMessage(), e);
        }
    }

    /** The RFC 5280 method-1 key identifier (SHA-1 of the subject public key bits) of a public key. */
    static byte[] keyIdentifier(java.security.PublicKey key) {
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available for key identifiers", e);
        }
    }

    /**
     * The key identifier a certificate declares for its own key (its SubjectKeyIdentifier), or one
     * computed from its public key when the extension is absent.
     */
    static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return keyIdentifier(certificate.getPublicKey());
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    /** SHA-256 of the DER encoding, as upper-case hex pairs joined by colons. */
    static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** Whether the private key belongs to the certificate: a signature made with it must verify. */
    static boolean keyMatches(PrivateKey privateKey, X509Certificate certificate) {
        if (!privateKey.getAlgorithm().toUpperCase(Locale.ROOT)
                .equals(certificate.getPublicKey().getAlgorithm().toUpperCase(Locale.ROOT))) {
            return false;
        }
        try {
            String algorithm = KeyAlgorithm.signatureAlgorithmFor(privateKey);
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

}
