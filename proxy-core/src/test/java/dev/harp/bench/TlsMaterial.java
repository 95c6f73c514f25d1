package dev.harp.bench;

import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificate;
import dev.harp.tls.LeafCertificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * One in-memory Harp CA for the whole run: it signs the upstream's certificate for {@code 127.0.0.1} and Harp's
 * MITM leaves, and the benchmark's TLS client trusts it alone.
 */
final class TlsMaterial {
    static final String HOST = "127.0.0.1";

    final CertificateAuthority ca;
    final LeafCertificate upstreamLeaf;
    final SSLContext clientContext;

    TlsMaterial() throws GeneralSecurityException {
        this.ca = CertificateAuthority.inMemory();
        this.upstreamLeaf = new LeafCertificates(ca).leafFor(HOST);
        this.clientContext = dev.harp.testing.TestHttpsUpstream.trustingOnly(ca.certificate());
    }

    /** Writes the upstream's chain (leaf then CA) and its PKCS#8 key as PEM, for nginx. */
    void writeUpstreamPem(Path chainFile, Path keyFile) throws IOException {
        StringBuilder chain = new StringBuilder();
        for (X509Certificate c : upstreamLeaf.chain()) {
            try {
                chain.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        Files.writeString(chainFile, chain, StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", upstreamLeaf.privateKey().getEncoded()), StandardCharsets.US_ASCII);
    }

    /** A server context presenting the upstream leaf (for the in-process Undertow upstream). */
    SSLContext upstreamServerContext() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "bench".toCharArray();
        ks.setKeyEntry("upstream", upstreamLeaf.privateKey(), pw, upstreamLeaf.chainArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
