package dev.harp.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Splits a {@code multipart/*} body into its parts so that two bodies compare part by part, whatever random
 * boundary each client chose. Only the part headers that describe content ({@code Content-Disposition},
 * {@code Content-Type}) are kept.
 */
final class Multipart {

    /**
     * One part of a multipart body.
     *
     * @param disposition the {@code Content-Disposition} value, empty when absent
     * @param contentType the {@code Content-Type} value, empty when absent
     * @param body        the part's bytes
     */
    record Part(String disposition, String contentType, byte[] body) {

        /** @return the {@code name} parameter of the disposition, or empty */
        String name() {
            String lower = disposition.toLowerCase(Locale.ROOT);
            int at = lower.indexOf("name=\"");
            while (at > 0 && Character.isLetter(lower.charAt(at - 1))) {
                at = lower.indexOf("name=\"", at + 1); // skip filename="
            }
            if (at < 0) {
                return "";
            }
            int end = disposition.indexOf('"', at + 6);
            return end < 0 ? "" : disposition.substring(at + 6, end);
        }
    }

    private Multipart() {
    }

    /** @return whether the content type is {@code multipart/...} */
    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /**
     * @param contentType the request's {@code Content-Type}
     * @param body        the request body
     * @return the parts, or {@code null} when the type is not multipart, has no boundary or the body is malformed
     */
    static List<Part> parse(String contentType, byte[] body) {
        if (!isMultipart(contentType)) {
            return null;
        }
        String boundary = boundary(contentType);
        if (boundary == null) {
            return null;
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            return null;
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            int afterDelimiter = at + delimiter.length;
            if (startsWith(body, afterDelimiter, "--")) {
                return parts; // closing delimiter
            }
            int partStart = skipLineEnd(body, afterDelimiter);
            int next = indexOf(body, delimiter, partStart);
            if (partStart < 0 || next < 0) {
                return null;
            }
            int partEnd = next;
            if (partEnd >= 2 && body[partEnd - 2] == '\r' && body[partEnd - 1] == '\n') {
                partEnd -= 2;
            } else if (partEnd >= 1 && body[partEnd - 1] == '\n') {
                partEnd -= 1;
            }
            parts.add(part(body, partStart, Math.max(partStart, partEnd)));
            at = next;
        }
    }

    private static Part part(byte[] body, int start, int end) {
        int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
        int bodyStart = headersEnd + 4;
        if (headersEnd < 0 || headersEnd > end) {
            headersEnd = indexOf(body, "\n\n".getBytes(StandardCharsets.ISO_8859_1), start);
            bodyStart = headersEnd + 2;
        }
        if (headersEnd < 0 || headersEnd > end) {
            return new Part("", "", Arrays.copyOfRange(body, start, end)); // a part without headers
        }
        String disposition = "";
        String contentType = "";
        String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
        for (String line : headers.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Disposition")) {
                    disposition = line.substring(colon + 1).trim();
                } else if (name.equalsIgnoreCase("Content-Type")) {
                    contentType = line.substring(colon + 1).trim();
                }
            }
        }
        return new Part(disposition, contentType, Arrays.copyOfRange(body, Math.min(bodyStart, end), end));
    }

    private static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String value = param.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static int skipLineEnd(byte[] body, int at) {
        int i = at;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
            i++; // transport padding
        }
        if (startsWith(body, i, "\r\n")) {
            return i + 2;
        }
        return i < body.length && body[i] == '\n' ? i + 1 : -1;
    }

    private static boolean startsWith(byte[] body, int at, String text) {
        if (at + text.length() > body.length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (body[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
