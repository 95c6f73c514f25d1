package dev.harp.tls;

import java.io.IOException;

/**
 * The certificate authority files cannot be used: one of the pair is missing, unreadable or
 * unparsable, the key does not match the certificate, the certificate is not a usable CA, or the key or
 * its folder is open to other users.
 *
 * <p>The message always starts with the file concerned and says what to do, so a command-line
 * front end can print it as it is.
 */
public class CertificateAuthorityException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the file and what is wrong with it
     */
    public CertificateAuthorityException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message names the file and what is wrong with it
     * @param cause the underlying failure
     */
    public CertificateAuthorityException(String message, Throwable cause) {
        super(message, cause);
    }
}
