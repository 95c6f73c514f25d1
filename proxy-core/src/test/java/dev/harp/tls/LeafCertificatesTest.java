package dev.harp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeafCertificatesTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final int DNS = 2;
    private static final int IP = 7;

    private final LeafCertificates leaves = new LeafCertificates(CA);

    @TempDir
    Path tmp;

    @Test
    void dnsNameGoesIntoSanAndCommonName() throws Exception {
        X509Certificate cert = leaves.leafFor("Example.TEST").certificate();

        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(DNS, "example.test"));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=example.test");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
        assertThat(cert.getNonCriticalExtensionOIDs()).contains("2.5.29.17");
    }

    @Test
    void internationalNameIsInIdnaAsciiForm() throws Exception {
        X509Certificate cert = leaves.leafFor("Bücher.example").certificate();
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(DNS, "xn--bcher-kva.example"));
    }

    @Test
    void ipv4LiteralGoesIntoIpAddressSan() throws Exception {
        X509Certificate cert = leaves.leafFor("127.0.0.1").certificate();
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(IP, "127.0.0.1"));
    }

    @Test
    void ipv6LiteralGoesIntoIpAddressSanWithOrWithoutBrackets() throws Exception {
        LeafCertificate plain = leaves.leafFor("::1");
        LeafCertificate bracketed = leaves.leafFor("[::1]");

        assertThat(plain.certificate().getSubjectAlternativeNames())
                .containsExactly(List.of(IP, "0:0:0:0:0:0:0:1"));
        assertThat(bracketed).isSameAs(plain);
        assertThat(plain.host()).isEqualTo("::1");
    }

    @Test
    void longNameHasNoCommonNameAndACriticalSan() throws Exception {
        String host = "a".repeat(60) + ".example.test";
        X509Certificate cert = leaves.leafFor(host).certificate();

        assertThat(cert.getSubjectX500Principal().getName()).isEmpty();
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.17");
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(DNS, host));
    }

    @Test
    void leafHasTheServerProfile() throws Exception {
        X509Certificate cert = leaves.leafFor("example.test").certificate();

        assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(cert.getKeyUsage()).startsWith(true, false, false, false, false, false, false);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getExtensionValue("2.5.29.14")).as("no SubjectKeyIdentifier").isNull();
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(leaves.keyType()).isEqualTo("EC");
    }

    @Test
    void authorityKeyIdentifierIsTheCaKeyIdOnly() {
        X509Certificate cert = leaves.leafFor("example.test").certificate();
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(cert.getExtensionValue("2.5.29.35")).getOctets());
        byte[] caSki = SubjectKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(CA.certificate().getExtensionValue("2.5.29.14")).getOctets()).getKeyIdentifier();

        assertThat(aki.getKeyIdentifierObject().getOctets()).isEqualTo(caSki);
        assertThat(aki.getAuthorityCertIssuer()).isNull();
        assertThat(aki.getAuthorityCertSerialNumber()).isNull();
    }

    @Test
    void validityIsBackdatedAndAtMost397Days() {
        Instant now = Instant.now();
        X509Certificate cert = leaves.leafFor("example.test").certificate();
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();

        assertThat(notBefore).isBefore(now.minus(Duration.ofDays(1)));
        assertThat(Duration.between(notBefore, notAfter)).isLessThanOrEqualTo(Duration.ofDays(397));
        assertThat(notAfter).isAfter(now.plus(Duration.ofDays(300)));
    }

    @Test
    void chainIsLeafThenCaAndValidatesWithTheCaAsAnchor() throws Exception {
        LeafCertificate leaf = leaves.leafFor("example.test");
        assertThat(leaf.chain()).containsExactly(leaf.certificate(), CA.certificate());
        assertThat(leaf.chainArray()).containsExactly(leaf.certificate(), CA.certificate());
        leaf.certificate().verify(CA.certificate().getPublicKey());

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(CA.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf.certificate())), params);
    }

    @Test
    void leafOfAnotherCaDoesNotVerify() {
        X509Certificate foreign = new LeafCertificates(CertificateAuthority.inMemory()).leafFor("example.test").certificate();
        assertThatThrownBy(() -> foreign.verify(CA.certificate().getPublicKey()))
                .isInstanceOf(java.security.SignatureException.class);
    }

    @Test
    void rsaCaSignsEcLeaves() throws Exception {
        CertificateAuthority rsaCa = CertificateAuthority.inMemory(KeyAlgorithm.RSA_2048);
        X509Certificate cert = new LeafCertificates(rsaCa).leafFor("example.test").certificate();
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        cert.verify(rsaCa.certificate().getPublicKey());
    }

    @Test
    void cacheReturnsTheSameLeafPerHostAndSharesOneKey() {
        LeafCertificate first = leaves.leafFor("example.test");
        LeafCertificate again = leaves.leafFor("EXAMPLE.test.");
        LeafCertificate other = leaves.leafFor("other.test");

        assertThat(again).isSameAs(first);
        assertThat(other.certificate()).isNotEqualTo(first.certificate());
        assertThat(other.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
        assertThat(other.privateKey()).isSameAs(first.privateKey());
        assertThat(other.certificate().getPublicKey()).isEqualTo(first.certificate().getPublicKey())
                .isEqualTo(leaves.leafPublicKey());
        assertThat(leaves.cachedHostCount()).isEqualTo(2);
    }

    @Test
    void cacheEvictsTheLeastRecentlyUsedHost() {
        LeafCertificates small = new LeafCertificates(CA, 2, KeyAlgorithm.EC_P256);
        LeafCertificate a = small.leafFor("a.test");
        LeafCertificate b = small.leafFor("b.test");
        small.leafFor("a.test");
        small.leafFor("c.test");

        assertThat(small.cachedHostCount()).isEqualTo(2);
        assertThat(small.leafFor("a.test")).isSameAs(a);
        assertThat(small.leafFor("b.test")).as("evicted, so minted anew").isNotSameAs(b);
    }

    @Test
    void concurrentFirstRequestsGetOneLeaf() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<LeafCertificate>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return leaves.leafFor("race.test");
                }));
            }
            start.countDown();
            LeafCertificate first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<LeafCertificate> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void invalidHostsAreRejected() {
        assertThatThrownBy(() -> leaves.leafFor("not a host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> leaves.leafFor(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(leaves.cachedHostCount()).isZero();
    }

    @Test
    void opensslAcceptsTheChainForANameStrictly() throws Exception {
        Prerequisites.require(Prerequisite.OPENSSL);
        Path[] files = writeChain(leaves.leafFor("example.test"));

        assertThat(openssl("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", files[0].toString(),
                "-verify_hostname", "example.test", files[1].toString())).contains(": OK");
        assertThat(opensslExit("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", files[0].toString(),
                "-verify_hostname", "other.test", files[1].toString())).as("wrong name is rejected").isNotZero();
    }

    @Test
    void opensslAcceptsTheChainForIpAddressesStrictly() throws Exception {
        Prerequisites.require(Prerequisite.OPENSSL);
        Path[] v4 = writeChain(leaves.leafFor("127.0.0.1"));
        Path[] v6 = writeChain(leaves.leafFor("[::1]"));

        assertThat(openssl("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", v4[0].toString(),
                "-verify_ip", "127.0.0.1", v4[1].toString())).contains(": OK");
        assertThat(openssl("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", v6[0].toString(),
                "-verify_ip", "::1", v6[1].toString())).contains(": OK");
    }

    @Test
    void opensslAcceptsALongNameWithoutCommonName() throws Exception {
        Prerequisites.require(Prerequisite.OPENSSL);
        String host = "a".repeat(60) + ".example.test";
        Path[] files = writeChain(leaves.leafFor(host));

        assertThat(openssl("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", files[0].toString(),
                "-verify_hostname", host, files[1].toString())).contains(": OK");
    }

    private Path[] writeChain(LeafCertificate leaf) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "chain");
        Path ca = dir.resolve("ca.pem");
        Path cert = dir.resolve("leaf.pem");
        Files.writeString(ca, CA.certificatePem());
        Files.writeString(cert, PemFiles.toPem("CERTIFICATE", leaf.certificate().getEncoded()));
        return new Path[] {ca, cert};
    }

    private static String openssl(String... args) throws Exception {
        Result result = run(prepend(args));
        assertThat(result.exit).as("openssl %s%n%s", String.join(" ", args), result.output).isZero();
        return result.output;
    }

    private static int opensslExit(String... args) throws Exception {
        return run(prepend(args)).exit;
    }

    private static String[] prepend(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return command;
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

}
