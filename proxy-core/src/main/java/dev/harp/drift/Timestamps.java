package dev.harp.drift;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises values that change on every recording because they are moments: ISO-8601 dates and date-times, RFC 1123
 * dates ({@code Sun, 06 Nov 1994 08:49:37 GMT}), and epoch seconds or milliseconds in members whose names say time
 * ({@code createdAt}, {@code updated_at}, {@code timestamp}, {@code expiryTime}, {@code date}, {@code ts}).
 */
final class Timestamps {
    private static final Pattern ISO = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(?:[Tt ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?(?:[Zz]|[+-]\\d{2}(?::?\\d{2})?)?)?");
    private static final Pattern RFC_1123 = Pattern.compile(
            "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} "
                    + "\\d{2}:\\d{2}:\\d{2} (?:GMT|UTC|[+-]\\d{4})");
    private static final Pattern EPOCH = Pattern.compile("\\d{9,10}(?:\\.\\d+)?|\\d{12,13}|\\d{15,16}");
    private static final int LONGEST = 40;

    private Timestamps() {
    }

    /** Whether {@code value}, the value of member {@code name} (null in an array), looks like a moment. */
    static boolean isMoment(String name, JsonNode value) {
        if (value.isTextual()) {
            String text = value.asText().trim();
            if (text.length() > LONGEST) {
                return false;
            }
            if (ISO.matcher(text).matches() || RFC_1123.matcher(text).matches()) {
                return true;
            }
            return timeName(name) && EPOCH.matcher(text).matches();
        }
        if (value.isNumber()) {
            return timeName(name) && EPOCH.matcher(value.asText()).matches();
        }
        return false;
    }

    /** Whether a member name says it holds a moment. */
    static boolean timeName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("time") || lower.contains("date") || lower.equals("ts") || lower.endsWith("_ts")
                || lower.endsWith("_at") || name.endsWith("At") || lower.equals("at") || lower.contains("expires")
                || lower.contains("expiry") || lower.endsWith("since") || lower.endsWith("until");
    }
}
