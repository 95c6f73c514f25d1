package dev.harp.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The PEM forms Harp writes, read with the JDK alone: {@code CERTIFICATE} blocks and an unencrypted PKCS#8
 * {@code PRIVATE KEY} (EC or RSA). Each method answers {@code null} for anything else, or anything it cannot read,
 * so that {@link PemFiles} hands the file to BouncyCastle, which reads the other forms and words the errors.
 */
final class JdkPem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    /** The key algorithms Harp supports, in the order tried (a CA made by Harp is EC). */
    private static final String[] KEY_ALGORITHMS = {"EC", "RSA"};

    private JdkPem() {
    }

    /** One block: its label ({@code CERTIFICATE}) and its decoded content. */
    private record Block(String label, byte[] der) {
    }

    /** The certificates of a file holding only {@code CERTIFICATE} blocks, or {@code null}. */
    static List<X509Certificate> certificates(Path file) {
        List<Block> blocks = blocks(file);
        if (blocks == null || blocks.isEmpty()) {
            return null;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (Block block : blocks) {
                if (!block.label().equals("CERTIFICATE")) {
                    return null;
                }
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
            return certificates;
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** The key of a file whose first block is an unencrypted PKCS#8 {@code PRIVATE KEY} of EC or RSA, or {@code null}. */
    static PrivateKey privateKey(Path file) {
        List<Block> blocks = blocks(file);
        if (blocks == null || blocks.isEmpty() || !blocks.get(0).label().equals("PRIVATE KEY")) {
            return null;
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0).der());
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // another algorithm, or not a key the JDK reads as it is
            }
        }
        return null;
    }

    /**
     * The blocks of a PEM file in order (text outside blocks ignored), or {@code null} when the file cannot be read,
     * a block is not closed or has headers ({@code Proc-Type:} of an encrypted traditional key), or its content is
     * not strict base64.
     */
    private static List<Block> blocks(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        List<Block> blocks = new ArrayList<>();
        String label = null;
        StringBuilder base64 = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (label == null) {
                if (line.startsWith(BEGIN) && line.endsWith(DASHES) && line.length() > BEGIN.length() + DASHES.length()) {
                    label = line.substring(BEGIN.length(), line.length() - DASHES.length());
                    base64.setLength(0);
                }
            } else if (line.startsWith(END)) {
                if (!line.equals(END + label + DASHES)) {
                    return null;
                }
                try {
                    blocks.add(new Block(label, Base64.getDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    return null;
                }
                label = null;
            } else if (line.indexOf(':') >= 0) {
                return null;
            } else {
                base64.append(line);
            }
        }
        return label == null ? blocks : null;
    }
}
