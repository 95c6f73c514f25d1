package dev.harp.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Harp's certificate authority: a self-signed CA certificate and its private key, which sign the
 * per-host leaf certificates the proxy presents to its clients.
 *
 * <p>A CA is either kept on disk ({@link #loadOrCreate(Path)}: {@value #CERTIFICATE_FILE} and
 * {@value #KEY_FILE}, the key readable by its owner only) or lives only in memory
 * ({@link #inMemory()}). Clients trust it through {@link #exportPem(Path)} or
 * {@link #trustStore()}.
 *
 * <p>Instances are immutable and thread-safe. The private key never leaves this package.
 */
public final class CertificateAuthority {
    /** File name of the CA certificate (PEM) inside the CA folder. */
    public static final String CERTIFICATE_FILE = "harp-ca.pem";
    /** File name of the CA private key (unencrypted PKCS#8 PEM, mode 0600) inside the CA folder. */
    public static final String KEY_FILE = "harp-ca-key.pem";
    /** Environment variable naming the CA folder; {@code ~/.harp} when it is unset or blank. */
    public static final String DIRECTORY_ENV = "HARP_CA_DIR";
    /** Alias of the CA certificate in {@link #trustStore()}. */
    public static final String TRUST_STORE_ALIAS = "harp-ca";

    /** How far notBefore lies in the past, so clients with a skewed clock still accept certificates. */
    static final Duration BACKDATE = Duration.ofDays(2);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Path directory;
    private final String pem;
    private final String fingerprint;

    CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Path directory) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.directory = directory;
        this.pem = PemFiles.toPem("CERTIFICATE", encoded(certificate));
        this.fingerprint = X509Support.sha256Fingerprint(certificate);
    }

    /**
     * Loads the CA kept in a folder, or creates one there (EC P-256) if the folder holds neither file.
     *
     * <p>An existing CA is never replaced. Creating makes the folder with mode 0700 and the key file
     * with mode 0600 (where the file system has POSIX permissions), both files written atomically.
     * Concurrent callers, in this JVM or in other processes, end up with the same CA.
     *
     * @param caDir the CA folder, for example {@link #defaultDirectory(Map)}
     * @return the CA
     * @throws CertificateAuthorityException if only one of the two files exists, a file is
     *     unreadable or unparsable, the key does not match the certificate, the certificate is not
     *     a valid CA, or (as ssh does for private keys) the key is readable or writable by other users
     *     or the folder is writable by them; the message names the file and, for permissions, the
     *     {@code chmod} that fixes them
     * @throws IOException if the folder cannot be created or written
     */
    public static CertificateAuthority loadOrCreate(Path caDir) throws IOException {
        return loadOrCreate(caDir, KeyAlgorithm.EC_P256);
    }

    /**
     * Like {@link #loadOrCreate(Path)}, choosing the key algorithm of a CA that has to be created.
     *
     * @param caDir the CA folder
     * @param algorithmIfCreated key algorithm for a new CA; an existing CA keeps its own
     * @return the CA
     * @throws IOException as {@link #loadOrCreate(Path)}
     */
    public static CertificateAuthority loadOrCreate(Path caDir, KeyAlgorithm algorithmIfCreated) throws IOException {
        return CaStore.loadOrCreate(caDir, Objects.requireNonNull(algorithmIfCreated, "algorithmIfCreated"));
    }

    /**
     * A fresh EC P-256 CA that exists only in memory, for tests and short-lived proxies.
     *
     * @return a new CA with no files
     */
    public static CertificateAuthority inMemory() {
        return inMemory(KeyAlgorithm.EC_P256);
    }

    /**
     * A fresh in-memory CA with the given key algorithm.
     *
     * @param algorithm the CA key algorithm
     * @return a new CA with no files
     */
    public static CertificateAuthority inMemory(KeyAlgorithm algorithm) {
        return generate(algorithm, Instant.now(), null);
    }

    /**
     * The default CA folder from the process environment: {@code $HARP_CA_DIR}, else {@code ~/.harp}.
     *
     * @return the CA folder
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getenv());
    }

    /**
     * The default CA folder: the environment's {@value #DIRECTORY_ENV} if set and not blank, else
     * {@code .harp} in the user's home folder.
     *
     * @param environment the environment variables to consult
     * @return the CA folder
     */
    public static Path defaultDirectory(Map<String, String> environment) {
        String configured = environment.get(DIRECTORY_ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        return Path.of(System.getProperty("user.home"), ".harp");
    }

    /**
     * The CA certificate.
     *
     * @return the self-signed CA certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The CA certificate in PEM form ({@code -----BEGIN CERTIFICATE-----}, {@code \n} line ends).
     *
     * @return the PEM text
     */
    public String certificatePem() {
        return pem;
    }

    /**
     * The SHA-256 fingerprint of the CA certificate, for example {@code "3F:A0:...:9C"}.
     *
     * @return 32 upper-case hex pairs joined by colons
     */
    public String sha256Fingerprint() {
        return fingerprint;
    }

    /**
     * The folder the CA was loaded from or created in.
     *
     * @return the absolute folder, or empty for an in-memory CA
     */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /**
     * Writes the CA certificate (never the key) as PEM, atomically, creating parent folders.
     *
     * @param file the target file; replaced if it exists
     * @throws IOException if the file cannot be written
     */
    public void exportPem(Path file) throws IOException {
        PemFiles.writeAtomically(file, pem.getBytes(StandardCharsets.US_ASCII), false);
    }

    /**
     * A new PKCS#12 key store holding only the CA certificate, as a trusted entry with alias
     * {@value #TRUST_STORE_ALIAS}; suitable for {@code TrustManagerFactory.init(KeyStore)}.
     *
     * @return a key store the caller may modify
     */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(TRUST_STORE_ALIAS, certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 trust store", e);
        }
    }

    /**
     * Writes {@link #trustStore()} to a PKCS#12 file, atomically, creating parent folders.
     *
     * @param file the target file; replaced if it exists
     * @param password the store password (for example {@code "changeit"})
     * @throws IOException if the file cannot be written
     */
    public void exportPkcs12TrustStore(Path file, char[] password) throws IOException {
        Objects.requireNonNull(password, "password");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            trustStore().store(bytes, password);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": cannot encode the PKCS#12 trust store: " + e.getMessage(), e);
        }
        PemFiles.writeAtomically(file, bytes.toByteArray(), false);
    }

    /** The CA private key; package-private so it never leaves the TLS code. */
    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName()
                + ", SHA-256 " + fingerprint
                + directory().map(d -> ", " + d).orElse(", in memory") + "]";
    }

    /** Creates a new self-signed CA valid from {@code now} minus {@link #BACKDATE} for ten years. */
    static CertificateAuthority generate(KeyAlgorithm algorithm, Instant now, Path directory) {
        return CaCertificates.generate(algorithm, now, directory);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encode " + certificate.getSubjectX500Principal(), e);
        }
    }
}
