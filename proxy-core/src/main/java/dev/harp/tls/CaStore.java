package dev.harp.tls;

import static dev.harp.tls.CertificateAuthority.CERTIFICATE_FILE;
import static dev.harp.tls.CertificateAuthority.KEY_FILE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link CertificateAuthority} in a folder: loads an existing pair, or creates one under a
 * lock so that parallel JVMs (for example forked test runners) agree on a single CA.
 */
final class CaStore {
    private static final Logger LOG = LoggerFactory.getLogger(CaStore.class);
    /** Empty file whose OS lock serializes creation across processes. */
    static final String LOCK_FILE = ".harp-ca.lock";
    private static final Object JVM_LOCK = new Object();
    private static final String MOVE_BOTH = "move " + CERTIFICATE_FILE + " and " + KEY_FILE + " away to create a new CA";

    private CaStore() {
    }

    static CertificateAuthority loadOrCreate(Path caDir, KeyAlgorithm algorithm) throws IOException {
        Path dir = caDir.toAbsolutePath().normalize();
        Path cert = dir.resolve(CERTIFICATE_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            return load(dir, cert, key);
        }
        synchronized (JVM_LOCK) {
            createFolder(dir);
            CaPermissions.checkFolder(dir);
            FileChannel lockChannel;
            try {
                lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                checkNotHalfPresent(cert, key);
                throw new CertificateAuthorityException(dir + ": cannot create a CA here: " + PemFiles.describe(e), e);
            }
            try (lockChannel) {
                lockChannel.lock(); // released when the channel closes
                if (Files.exists(cert) && Files.exists(key)) {
                    return load(dir, cert, key);
                }
                checkNotHalfPresent(cert, key);
                return create(dir, cert, key, algorithm);
            }
        }
    }

    private static void checkNotHalfPresent(Path cert, Path key) throws CertificateAuthorityException {
        if (Files.exists(cert) && !Files.exists(key)) {
            throw new CertificateAuthorityException(key + ": missing, but " + CERTIFICATE_FILE
                    + " exists; restore the key, or move " + CERTIFICATE_FILE + " away to create a new CA");
        }
        if (Files.exists(key) && !Files.exists(cert)) {
            throw new CertificateAuthorityException(cert + ": missing, but " + KEY_FILE
                    + " exists; restore the certificate, or move " + KEY_FILE + " away to create a new CA");
        }
    }

    private static void createFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new CertificateAuthorityException(dir + ": exists but is not a folder");
        }
        try {
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new CertificateAuthorityException(dir + ": exists but is not a folder", e);
            }
        } catch (IOException e) {
            throw new CertificateAuthorityException(dir + ": cannot create the CA folder: " + PemFiles.describe(e), e);
        }
    }

    private static CertificateAuthority create(Path dir, Path cert, Path key, KeyAlgorithm algorithm) throws IOException {
        CertificateAuthority ca = CertificateAuthority.generate(algorithm, Instant.now(), dir);
        byte[] keyPem = PemFiles.toPem("PRIVATE KEY", ca.privateKey().getEncoded()).getBytes(StandardCharsets.US_ASCII);
        try {
            PemFiles.writeAtomically(key, keyPem, true);
        } catch (IOException e) {
            throw new CertificateAuthorityException(key + ": cannot write the CA key: " + PemFiles.describe(e), e);
        }
        try {
            ca.exportPem(cert);
        } catch (IOException e) {
            Files.deleteIfExists(key);
            throw new CertificateAuthorityException(cert + ": cannot write the CA certificate: " + PemFiles.describe(e), e);
        }
        LOG.info("Created a new Harp CA in {} (SHA-256 {}); make clients trust {}", dir, ca.sha256Fingerprint(), cert);
        return ca;
    }

    private static CertificateAuthority load(Path dir, Path cert, Path key) throws IOException {
        CaPermissions.checkFolder(dir);
        CaPermissions.checkKey(key);
        X509Certificate certificate;
        PrivateKey privateKey;
        try {
            certificate = PemFiles.readCertificates(cert).get(0);
        } catch (IOException e) {
            throw new CertificateAuthorityException(e.getMessage() + "; repair it, or " + MOVE_BOTH, e);
        }
        try {
            privateKey = PemFiles.readPrivateKey(key);
        } catch (IOException e) {
            throw new CertificateAuthorityException(e.getMessage() + "; repair it, or " + MOVE_BOTH, e);
        }
        checkUsable(cert, key, certificate, privateKey);
        CertificateAuthority ca = new CertificateAuthority(certificate, privateKey, dir);
        LOG.debug("Loaded the Harp CA from {} (SHA-256 {})", dir, ca.sha256Fingerprint());
        return ca;
    }

    private static void checkUsable(Path cert, Path key, X509Certificate certificate, PrivateKey privateKey)
            throws CertificateAuthorityException {
        if (certificate.getBasicConstraints() < 0) {
            throw new CertificateAuthorityException(cert + ": the certificate is not a CA certificate (no BasicConstraints CA=true)" + "; " + MOVE_BOTH);
        }
        try {
            KeyAlgorithm.signatureAlgorithmFor(privateKey);
        } catch (IllegalArgumentException e) {
            throw new CertificateAuthorityException(key + ": " + e.getMessage() + "; " + MOVE_BOTH, e);
        }
        if (!X509Support.keyMatches(privateKey, certificate)) {
            throw new CertificateAuthorityException(key + ": the private key does not match the certificate "
                    + CERTIFICATE_FILE + "; move both away to create a new CA");
        }
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new CertificateAuthorityException(cert + ": the CA certificate expired on "
                    + certificate.getNotAfter().toInstant() + "; " + MOVE_BOTH, e);
        } catch (CertificateNotYetValidException e) {
            throw new CertificateAuthorityException(cert + ": the CA certificate is not valid before "
                    + certificate.getNotBefore().toInstant() + "; check the system clock", e);
        }
        Duration left = Duration.between(Instant.now(), certificate.getNotAfter().toInstant());
        if (left.compareTo(Duration.ofDays(30)) < 0) {
            LOG.warn("{}: the Harp CA expires on {}; move {} and {} away to create a new one",
                    cert, certificate.getNotAfter().toInstant(), CERTIFICATE_FILE, KEY_FILE);
        }
    }
}
