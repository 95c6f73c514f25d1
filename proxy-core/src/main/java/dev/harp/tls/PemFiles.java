package dev.harp.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the PEM files Harp uses. The forms Harp writes itself (certificates, an unencrypted PKCS#8 key)
 * are read with the JDK alone; every other form, and any file the JDK cannot read, goes through BouncyCastle's PEM
 * parser, which gives the error messages. BouncyCastle's parser costs a fresh JVM tens of milliseconds of class
 * loading, before the proxy can listen.
 *
 * <p>Every failure is an {@link IOException} whose message starts with the file and says what is
 * wrong, so callers can pass it on unchanged. Files are written atomically: content goes to a
 * temporary file in the same folder, which is then renamed over the target. A secret file is
 * created with mode 0600 before its first byte is written.
 */
final class PemFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PemFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PemFiles() {
    }

    /** All certificates in a PEM file, in file order; other PEM objects are skipped. */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> plain = JdkPem.certificates(file);
        if (plain != null) {
            return plain;
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder) {
                    certificates.add(converter.getCertificate((X509CertificateHolder) item));
                }
            }
        } catch (CertificateException | IOException | RuntimeException e) {
            throw new IOException(file + ": cannot read PEM certificates: " + describe(e), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + ": contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The first private key in a PEM file, PKCS#8 ("PRIVATE KEY") or traditional ("EC PRIVATE KEY"). */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        PrivateKey plain = JdkPem.privateKey(file);
        if (plain != null) {
            return plain;
        }
        boolean encrypted = false;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null && !encrypted; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) item);
                }
                if (item instanceof PEMKeyPair) {
                    // getKeyPair would fail on an SEC1 key without its optional public key
                    return converter.getPrivateKey(((PEMKeyPair) item).getPrivateKeyInfo());
                }
                encrypted = item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair;
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot read the PEM private key: " + describe(e), e);
        }
        if (encrypted) {
            throw new IOException(file + ": the private key is encrypted; Harp needs an unencrypted PKCS#8 key");
        }
        throw new IOException(file + ": contains no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** PEM text of one DER object, with {@code \n} line ends whatever the platform. */
    static String toPem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * Writes the content to a temporary file next to the target and renames it over the target.
     *
     * @param secret create the temporary file owner-only (mode 0600) before writing, where the file
     *     system has POSIX permissions
     */
    static void writeAtomically(Path target, byte[] content, boolean secret) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        byte[] suffix = new byte[6];
        X509Support.RANDOM.nextBytes(suffix);
        Path temporary = folder.resolve("." + absolute.getFileName() + "." + HexFormat.of().formatHex(suffix) + ".tmp");
        try {
            createFile(temporary, secret);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void createFile(Path file, boolean secret) throws IOException {
        if (!secret) {
            Files.createFile(file);
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            LOG.debug("{}: the file system has no POSIX permissions; the key is protected only by its folder", file);
            Files.createFile(file);
        }
    }

    /** A short reason for a failure, without repeating the file name the JDK puts in file-system messages. */
    static String describe(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
