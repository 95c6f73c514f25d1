package dev.harp.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Tells an HTTP/1.x request line from other protocols by its first bytes: a known method and a space. */
final class HttpSniff {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "TRACE");

    private HttpSniff() {
    }

    /**
     * Whether more bytes are needed to decide: so far (between 0 and the position) only upper-case letters, not yet a
     * space, and room for more. A TLS record is decided at its first byte.
     */
    static boolean undecided(ByteBuffer sofar) {
        int n = sofar.position();
        if (n == 0) {
            return true;
        }
        if (!sofar.hasRemaining()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            byte b = sofar.get(i);
            if (b < 'A' || b > 'Z') {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes between 0 and the limit start with a known method and a space. */
    static boolean isHttp(ByteBuffer bytes) {
        int n = bytes.limit();
        for (int i = 0; i < n; i++) {
            if (bytes.get(i) == ' ') {
                return METHODS.contains(new String(bytes.array(), 0, i, StandardCharsets.US_ASCII));
            }
        }
        return false;
    }
}
