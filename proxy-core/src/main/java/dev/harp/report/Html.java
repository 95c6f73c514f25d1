package dev.harp.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Escaping and link helpers for the report page: every value that reaches the page goes through {@link #esc}. */
final class Html {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Html() {
    }

    /**
     * @param text untrusted text (URLs, headers, bodies, test names)
     * @return the text safe inside an element or a double-quoted attribute; control characters other than tab and
     *         newline are shown as {@code \\uXXXX}
     */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
                        out.append("\\u").append(String.format("%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * @param text  text
     * @param limit most characters kept
     * @return the text cut to {@code limit} characters with an ellipsis and how much was left out
     */
    static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        return text.substring(0, limit) + "… (" + (text.length() - limit) + " more characters)";
    }

    /**
     * @param from the folder of the page
     * @param to   a file
     * @return a relative href (between real paths, so links through a linked folder still resolve) from the page to the file, each path segment percent-encoded; a {@code file:} URI
     *         when no relative path exists (another drive)
     */
    static String href(Path from, Path to) {
        Path relative;
        try {
            relative = BuildReport.real(from).relativize(BuildReport.real(to));
        } catch (IllegalArgumentException otherRoot) {
            return to.toAbsolutePath().toUri().toASCIIString();
        }
        StringBuilder out = new StringBuilder();
        for (Path segment : relative) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(encodeSegment(segment.toString()));
        }
        return out.toString();
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters. */
    static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
