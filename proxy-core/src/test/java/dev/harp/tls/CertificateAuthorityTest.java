package dev.harp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";

    @TempDir
    Path tmp;

    @Test
    void caCertificateHasTheCaProfile() throws Exception {
        X509Certificate cert = CertificateAuthority.inMemory().certificate();

        assertThat(cert.getBasicConstraints()).as("CA with pathLen 0").isZero();
        assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder(BASIC_CONSTRAINTS, KEY_USAGE);
        boolean[] usage = cert.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(usage[0]).as("digitalSignature").isFalse();
        byte[] ski = cert.getExtensionValue(SUBJECT_KEY_ID);
        assertThat(ski).as("SubjectKeyIdentifier").isNotNull();
        assertThat(SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier())
                .isEqualTo(new JcaX509ExtensionUtils().createSubjectKeyIdentifier(cert.getPublicKey()).getKeyIdentifier());
        assertThat(cert.getExtendedKeyUsage()).as("no EKU on the CA").isNull();
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSubjectX500Principal().getName()).matches("CN=Harp CA \\(.+@.+\\),O=Harp");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getSerialNumber().bitLength()).isBetween(120, 159);
        cert.verify(cert.getPublicKey());
    }

    @Test
    void caIsValidFromTwoDaysAgoForAboutTenYears() {
        Instant now = Instant.now();
        X509Certificate cert = CertificateAuthority.inMemory().certificate();

        assertThat(cert.getNotBefore().toInstant())
                .isBetween(now.minus(Duration.ofDays(2)).minusSeconds(60), now.minus(Duration.ofDays(2)).plusSeconds(60));
        assertThat(cert.getNotAfter().toInstant())
                .isBetween(now.plus(Duration.ofDays(3650)).minusSeconds(60), now.plus(Duration.ofDays(3655)));
    }

    @Test
    void everyInMemoryCaIsNew() {
        assertThat(CertificateAuthority.inMemory().sha256Fingerprint())
                .isNotEqualTo(CertificateAuthority.inMemory().sha256Fingerprint());
        assertThat(CertificateAuthority.inMemory().directory()).isEmpty();
    }

    @Test
    void rsaCaSignsWithSha256WithRsa() throws Exception {
        X509Certificate cert = CertificateAuthority.inMemory(KeyAlgorithm.RSA_2048).certificate();
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        cert.verify(cert.getPublicKey());
    }

    @Test
    void fingerprintIsUpperCaseHexPairsOfTheSha256() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded());

        assertThat(ca.sha256Fingerprint())
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
        assertThat(ca.toString()).contains(ca.sha256Fingerprint()).doesNotContain("PRIVATE");
    }

    @Test
    void pemParsesBackToTheSameCertificate() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory();
        assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(parse(ca.certificatePem().getBytes(StandardCharsets.US_ASCII))).isEqualTo(ca.certificate());
    }

    @Test
    void loadOrCreateMakesAPrivateFolderAndKey() throws Exception {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        Path dir = tmp.resolve("nested/ca");

        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Path key = dir.resolve("harp-ca-key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(dir.resolve("harp-ca.pem"))).isEqualTo(ca.certificatePem());
        assertThat(ca.directory()).contains(dir.toAbsolutePath());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary files left behind")
                    .containsExactlyInAnyOrder("harp-ca.pem", "harp-ca-key.pem", CaStore.LOCK_FILE);
        }
    }

    @Test
    void secondLoadReusesTheSameCa() throws Exception {
        CertificateAuthority first = CertificateAuthority.loadOrCreate(tmp);
        String pemBefore = Files.readString(tmp.resolve("harp-ca-key.pem"));

        CertificateAuthority second = CertificateAuthority.loadOrCreate(tmp, KeyAlgorithm.RSA_2048);

        assertThat(second.sha256Fingerprint()).isEqualTo(first.sha256Fingerprint());
        assertThat(second.privateKey()).isEqualTo(first.privateKey());
        assertThat(Files.readString(tmp.resolve("harp-ca-key.pem"))).isEqualTo(pemBefore);
    }

    @Test
    void concurrentFirstUseCreatesOneCa() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tasks.add(() -> CertificateAuthority.loadOrCreate(tmp.resolve("shared")).sha256Fingerprint());
            }
            List<String> fingerprints = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                fingerprints.add(f.get());
            }
            assertThat(fingerprints).hasSize(6).containsOnly(fingerprints.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyTheCertificatePresentIsAnError() throws Exception {
        CertificateAuthority.loadOrCreate(tmp);
        Path key = tmp.resolve("harp-ca-key.pem");
        Files.delete(key);

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(key.toAbsolutePath() + ": missing")
                .hasMessageContaining("harp-ca.pem");
        assertThat(key).doesNotExist();
    }

    @Test
    void onlyTheKeyPresentIsAnError() throws Exception {
        CertificateAuthority.loadOrCreate(tmp);
        Path cert = tmp.resolve("harp-ca.pem");
        Files.delete(cert);

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(cert.toAbsolutePath() + ": missing");
        assertThat(cert).doesNotExist();
    }

    @Test
    void garbageKeyIsAnErrorNamingTheKeyFile() throws Exception {
        CertificateAuthority.loadOrCreate(tmp);
        Path key = tmp.resolve("harp-ca-key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(key.toAbsolutePath() + ": cannot read the PEM private key");
    }

    @Test
    void textWithoutPemIsAnErrorNamingTheFile() throws Exception {
        CertificateAuthority.loadOrCreate(tmp);
        Path cert = tmp.resolve("harp-ca.pem");
        Files.writeString(cert, "hello\n");

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(cert.toAbsolutePath() + ": contains no PEM certificate");
    }

    @Test
    void aFolderInPlaceOfTheKeyIsAnErrorNamingIt() throws Exception {
        CertificateAuthority.loadOrCreate(tmp);
        Path key = tmp.resolve("harp-ca-key.pem");
        Files.delete(key);
        Files.createDirectory(key);

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(key.toAbsolutePath() + ": cannot read");
    }

    @Test
    void keyOfAnotherCaIsAnError() throws Exception {
        CertificateAuthority.loadOrCreate(tmp.resolve("a"));
        CertificateAuthority.loadOrCreate(tmp.resolve("b"));
        Path key = tmp.resolve("a/harp-ca-key.pem");
        Files.copy(tmp.resolve("b/harp-ca-key.pem"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp.resolve("a")))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessage(key.toAbsolutePath() + ": the private key does not match the certificate harp-ca.pem;"
                        + " move both away to create a new CA");
    }

    @Test
    void expiredCaIsAnError() throws Exception {
        CertificateAuthority old = CertificateAuthority.generate(KeyAlgorithm.EC_P256,
                Instant.now().minus(Duration.ofDays(11 * 366)), null);
        Files.writeString(tmp.resolve("harp-ca.pem"), old.certificatePem());
        Files.writeString(tmp.resolve("harp-ca-key.pem"), PemFiles.toPem("PRIVATE KEY", old.privateKey().getEncoded()));
        chmodIfPosix(tmp.resolve("harp-ca-key.pem"), "rw-------");

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(tmp.resolve("harp-ca.pem").toAbsolutePath() + ": the CA certificate expired on");
    }

    @Test
    void aKeyReadableByOthersIsRefusedNamingTheChmod() throws Exception {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        CertificateAuthority.loadOrCreate(tmp);
        Path key = tmp.resolve("harp-ca-key.pem").toAbsolutePath();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessage(key + ": the CA private key is readable by other users (permissions rw-r--r--);"
                        + " Harp refuses to use it. Fix it with: chmod 600 " + key);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(CertificateAuthority.loadOrCreate(tmp).directory()).contains(tmp.toAbsolutePath());
    }

    @Test
    void aKeyWritableByTheGroupIsRefused() throws Exception {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        CertificateAuthority.loadOrCreate(tmp);
        Path key = tmp.resolve("harp-ca-key.pem").toAbsolutePath();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw--w----"));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(tmp))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(key + ": the CA private key is writable by other users (permissions rw--w----)")
                .hasMessageEndingWith("chmod 600 " + key);
    }

    @Test
    void aFolderWritableByOthersIsRefusedWithTheExistingCa() throws Exception {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        Path dir = tmp.resolve("my ca").toAbsolutePath();
        CertificateAuthority.loadOrCreate(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessage(dir + ": the CA folder is writable by other users (permissions rwxrwxrwx), so they could"
                        + " replace the CA; Harp refuses to use it. Fix it with: chmod go-w '" + dir + "'");
    }

    @Test
    void noCaIsCreatedInAFolderWritableByTheGroup() throws Exception {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        Path dir = Files.createDirectory(tmp.resolve("shared")).toAbsolutePath();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
                .isInstanceOf(CertificateAuthorityException.class)
                .hasMessageStartingWith(dir + ": the CA folder is writable by other users (permissions rwxrwxr-x)")
                .hasMessageEndingWith("chmod go-w " + dir);
        assertThat(dir.resolve("harp-ca-key.pem")).doesNotExist();
        assertThat(dir.resolve("harp-ca.pem")).doesNotExist();
    }

    @Test
    void aFolderReadableByOthersIsAccepted() throws Exception {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        Path dir = Files.createDirectory(tmp.resolve("readable")).toAbsolutePath();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        CertificateAuthority created = CertificateAuthority.loadOrCreate(dir);

        assertThat(CertificateAuthority.loadOrCreate(dir).sha256Fingerprint()).isEqualTo(created.sha256Fingerprint());
    }

    @Test
    void traditionalEcKeyFormatIsAccepted() throws Exception {
        CertificateAuthority created = CertificateAuthority.loadOrCreate(tmp);
        Path key = tmp.resolve("harp-ca-key.pem");
        // SEC1 as OpenSSL writes it: curve OID inside, public key left out (it is optional)
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(created.privateKey().getEncoded());
        BigInteger secret = ((java.security.interfaces.ECPrivateKey) created.privateKey()).getS();
        byte[] sec1 = new ECPrivateKey(256, secret, pkcs8.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        Files.writeString(key, PemFiles.toPem("EC PRIVATE KEY", sec1));

        CertificateAuthority loaded = CertificateAuthority.loadOrCreate(tmp);
        assertThat(loaded.sha256Fingerprint()).isEqualTo(created.sha256Fingerprint());
        assertThat(((java.security.interfaces.ECPrivateKey) loaded.privateKey()).getS()).isEqualTo(secret);
    }

    @Test
    void defaultDirectoryComesFromTheEnvironment() {
        Path home = Path.of(System.getProperty("user.home"));
        assertThat(CertificateAuthority.defaultDirectory(Map.of("HARP_CA_DIR", "/opt/ca"))).isEqualTo(Path.of("/opt/ca"));
        assertThat(CertificateAuthority.defaultDirectory(Map.of("HARP_CA_DIR", "  "))).isEqualTo(home.resolve(".harp"));
        assertThat(CertificateAuthority.defaultDirectory(Map.of())).isEqualTo(home.resolve(".harp"));
    }

    @Test
    void exportedPemHoldsOnlyTheCertificate() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory();
        Path file = tmp.resolve("out/ca.pem");

        ca.exportPem(file);

        String text = Files.readString(file);
        assertThat(text).doesNotContain("PRIVATE KEY");
        assertThat(parse(Files.readAllBytes(file))).isEqualTo(ca.certificate());
    }

    @Test
    void trustStoreHoldsOnlyTheCaAsTrustedEntry() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory();
        KeyStore store = ca.trustStore();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.isCertificateEntry("harp-ca")).isTrue();
        assertThat(store.getCertificate("harp-ca")).isEqualTo(ca.certificate());
    }

    @Test
    void exportedPkcs12TrustStoreLoadsBack() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory();
        Path file = tmp.resolve("truststore.p12");

        ca.exportPkcs12TrustStore(file, "changeit".toCharArray());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "changeit".toCharArray());
        }
        assertThat(java.util.Collections.list(store.aliases())).containsExactly("harp-ca");
        assertThat(store.isCertificateEntry("harp-ca")).isTrue();
        assertThat(store.getCertificate("harp-ca")).isEqualTo(ca.certificate());
    }

    private static X509Certificate parse(byte[] pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem));
    }

    private static void chmodIfPosix(Path file, String permissions) throws java.io.IOException {
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        }
    }
}
