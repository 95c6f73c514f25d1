package dev.harp.har;

import java.util.Locale;
import java.util.Set;

/** Decides whether a MIME type describes text that belongs in {@code content.text} as is. */
final class MimeTypes {
    private static final Set<String> TEXTUAL_APPLICATION_TYPES = Set.of(
            "json", "xml", "javascript", "x-javascript", "ecmascript", "x-ecmascript",
            "x-www-form-urlencoded", "graphql", "x-ndjson", "ndjson", "jsonl", "x-jsonlines",
            "yaml", "x-yaml", "toml", "sql", "csp-report", "x-sh", "x-httpd-php", "rtf");

    private MimeTypes() {
    }

    /**
     * True for {@code text/*}, JSON, XML, JavaScript, urlencoded forms and any {@code +json},
     * {@code +xml} or {@code +yaml} structured syntax; parameters such as {@code charset} are
     * ignored.
     */
    static boolean isTextual(String mimeType) {
        if (mimeType == null) {
            return false;
        }
        int semicolon = mimeType.indexOf(';');
        String type = (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon))
                .trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1) {
            return false;
        }
        String top = type.substring(0, slash);
        String sub = type.substring(slash + 1);
        if (top.equals("text")) {
            return true;
        }
        if (sub.endsWith("+json") || sub.endsWith("+xml") || sub.endsWith("+yaml")
                || sub.startsWith("json+") || sub.endsWith("-json")) {
            return true;
        }
        return top.equals("application") && TEXTUAL_APPLICATION_TYPES.contains(sub);
    }
}
