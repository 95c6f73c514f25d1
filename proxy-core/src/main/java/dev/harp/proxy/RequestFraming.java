package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.io.IOException;

/**
 * Checks the framing of a request body before Harp acts on it. Undertow's parser accepts a {@code Content-Length} of
 * any number of digits (overflowing silently) and reports a broken chunked body only when it is read: this turns both
 * into a one-line reason for a 400, decided before any upstream connection is opened.
 */
final class RequestFraming {
    /** The longest decimal number a long holds has 19 digits. */
    private static final int MAX_DIGITS = 19;

    private RequestFraming() {
    }

    /** Why the request's {@code Content-Length} is unusable, or null when it is absent or a valid byte count. */
    static String contentLengthProblem(HttpServerExchange ex) {
        HeaderValues values = ex.getRequestHeaders().get(Headers.CONTENT_LENGTH);
        if (values == null) {
            return null;
        }
        String first = null;
        for (String v : values) {
            String value = v.trim();
            if (!isByteCount(value)) {
                return "Harp: bad request: Content-Length '" + shorten(value) + "' is not a number of bytes (0 to "
                        + Long.MAX_VALUE + ")";
            }
            if (first != null && !first.equals(value)) {
                return "Harp: bad request: conflicting Content-Length values " + shorten(first) + " and " + shorten(value);
            }
            first = value;
        }
        return null;
    }

    private static boolean isByteCount(String value) {
        if (value.isEmpty() || value.length() > MAX_DIGITS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        try {
            Long.parseLong(value);
            return true;
        } catch (NumberFormatException tooLarge) {
            return false;
        }
    }

    /**
     * The one-line reason when reading a request body failed because its chunked framing is broken (a chunk size too
     * large, a chunk not followed by its line end, trailers that cannot be parsed), or null when the failure is the
     * client's connection going away.
     */
    static String bodyProblem(IOException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            // Undertow's own messages for a broken chunked body (UT000195, UT000123 and the trailer parser)
            if (m.contains("Chunk size too large") || m.contains("trailers")) {
                return "Harp: bad request: invalid chunked body (" + m.replaceAll("^UT\\d+: ", "").strip() + ")";
            }
        }
        return null;
    }

    private static String shorten(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }
}
