package dev.harp.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTPS server (the JDK's own, HTTP/1.1 only) with the same routes as {@link TestUpstream}. Its certificate
 * comes from its own throwaway CA, unrelated to Harp's, and names {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}, so strict clients can reach it by name or by address once they trust {@link #caPem()}.
 */
public final class TestHttpsUpstream implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        TestRoutes.noNagle();
    }

    private HttpsServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final TestRoutes routes = new TestRoutes();
    private X509Certificate ca;

    private TestHttpsUpstream() {
    }

    /**
     * One upstream for a test class, started before its first test and stopped after its last:
     * {@code @RegisterExtension static final TestHttpsUpstream upstream = TestHttpsUpstream.perTestClass();}.
     */
    public static TestHttpsUpstream perTestClass() {
        return new TestHttpsUpstream();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        startOn(InetAddress.getLoopbackAddress());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts on 127.0.0.1 and an ephemeral port. */
    public static TestHttpsUpstream start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** Starts on the given local address (e.g. {@code ::1}) and an ephemeral port. */
    public static TestHttpsUpstream start(InetAddress bind) throws IOException {
        TestHttpsUpstream up = new TestHttpsUpstream();
        up.startOn(bind);
        return up;
    }

    private void startOn(InetAddress bind) throws IOException {
        try {
            KeyPair caKeys = ecKeyPair();
            X509Certificate caCert = caCertificate(caKeys);
            KeyPair leafKeys = ecKeyPair();
            X509Certificate leaf = leafCertificate(caCert, caKeys.getPrivate(), leafKeys);
            HttpsServer s = HttpsServer.create(new InetSocketAddress(bind, 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(serverContext(leafKeys.getPrivate(), leaf, caCert)));
            s.createContext("/", routes);
            s.setExecutor(pool);
            s.start();
            this.ca = caCert;
            this.server = s;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the HTTPS test upstream: " + e, e);
        }
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://localhost:PORT} followed by the path. */
    public String url(String path) {
        return "https://localhost:" + port() + path;
    }

    /** Requests served so far. */
    public int requests() {
        return routes.requests();
    }

    /**
     * Waits until no request is being handled, so that an aborted exchange has fully unwound on this side.
     *
     * @return false if requests were still being handled after the bound
     */
    public boolean awaitIdle(Duration bound) throws InterruptedException {
        return routes.awaitIdle(bound);
    }

    /** The upstream's own CA certificate (not Harp's). */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** The upstream's CA as PEM text. */
    public String caPem() {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the upstream's CA as a PEM file and returns it. */
    public Path writeCaPem(Path file) throws IOException {
        Files.writeString(file, caPem(), StandardCharsets.US_ASCII);
        return file;
    }

    /** A client TLS context that trusts only this upstream's CA. */
    public SSLContext clientContext() {
        return trustingOnly(ca);
    }

    /** A client TLS context that trusts only the given CA certificate (no JDK default CA). */
    public static SSLContext trustingOnly(X509Certificate anchor) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", anchor);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext serverContext(PrivateKey key, X509Certificate leaf, X509Certificate ca)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("upstream", key, password, new Certificate[] {leaf, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair keys) throws GeneralSecurityException, IOException {
        X500Name name = new X500Name("CN=Harp test upstream CA, O=Harp tests");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(b, keys.getPrivate());
    }

    private static X509Certificate leafCertificate(X509Certificate ca, PrivateKey caKey, KeyPair keys)
            throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=localhost"), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")}));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.getPublicKey()));
        return sign(b, caKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
