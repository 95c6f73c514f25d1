package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP header, or one query-string parameter (HAR gives both the same shape).
 *
 * <p>Requests and responses keep these in lists, never maps: order and repeated names matter
 * (two {@code Set-Cookie} headers are two entries).
 *
 * @param name header or parameter name, as recorded (case kept)
 * @param value header or parameter value
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. Polly's {@code _fromType}), in order
 */
public record HarHeader(String name, String value, String comment,
        Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("name", "value", "comment");

    /** Checks the required members and freezes the extensions. */
    public HarHeader {
        Extensions.required(name, "header name");
        Extensions.required(value, "header value");
        extensions = Extensions.freeze(extensions, MEMBERS, "a header");
    }

    /** A header or query parameter with no comment and no extensions. */
    public static HarHeader of(String name, String value) {
        return new HarHeader(name, value, null, null);
    }

    /** A copy with another value (e.g. {@code REDACTED}); comment and extensions are kept. */
    public HarHeader withValue(String newValue) {
        return new HarHeader(name, newValue, comment, extensions);
    }
}
