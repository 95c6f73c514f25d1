package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks {@code Proxy-Authorization: Basic} against the configured credentials. Both sides are hashed and compared in
 * constant time ({@link MessageDigest#isEqual}), so neither the content nor the length of the password leaks through
 * timing. Only a digest of the credentials is kept.
 */
public final class ProxyAuthCheck {
    private final byte[] expected;

    /** For the credentials {@code user:password}. */
    public ProxyAuthCheck(String user, String password) {
        this.expected = sha256((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the exchange carries the credentials; the header is removed either way (it is addressed to Harp). */
    boolean allows(HttpServerExchange ex) {
        java.util.Collection<String> values = ex.getRequestHeaders().remove(Headers.PROXY_AUTHORIZATION);
        boolean ok = false;
        if (values != null) {
            for (String v : values) {
                ok |= matches(v);
            }
        }
        return ok;
    }

    private boolean matches(String header) {
        String h = header.strip();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(h.substring(6).strip());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(decoded));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
