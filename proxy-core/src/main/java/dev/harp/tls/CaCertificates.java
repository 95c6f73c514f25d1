package dev.harp.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Makes new CA certificates with BouncyCastle's certificate builder. Kept apart from {@link CertificateAuthority} so
 * that loading a CA from its files, what a proxy's start does, neither loads nor links the builder's classes.
 */
final class CaCertificates {
    private static final int VALIDITY_YEARS = 10;

    private CaCertificates() {
    }

    /** Creates a new self-signed CA valid from {@code now} minus {@link #BACKDATE} for ten years. */
    static CertificateAuthority generate(KeyAlgorithm algorithm, Instant now, Path directory) {
        KeyPair pair = algorithm.generateKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Harp")
                .addRDN(BCStyle.CN, "Harp CA (" + Owner.LABEL + ")")
                .build();
        Instant notBefore = now.minus(CertificateAuthority.BACKDATE);
        Instant notAfter = now.atOffset(ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, X509Support.randomSerial(),
                Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(X509Support.keyIdentifier(pair.getPublic())));
            return new CertificateAuthority(X509Support.sign(builder, pair.getPrivate()), pair.getPrivate(), directory);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create a CA certificate", e);
        }
    }

    /** {@code user@host} for the CA subject, computed once: resolving the local host can be slow. */
    private static final class Owner {
        static final String LABEL = System.getProperty("user.name", "unknown") + "@" + hostName();

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                return "localhost";
            }
        }
    }
}
