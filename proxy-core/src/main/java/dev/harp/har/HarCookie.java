package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * A cookie sent with a request or set by a response.
 *
 * @param name cookie name
 * @param value cookie value
 * @param path optional path, {@code null} when absent
 * @param domain optional domain, {@code null} when absent
 * @param expires optional expiry, kept verbatim whatever its format (ISO 8601 per the spec, but
 *     Charles writes RFC 1123 and Firefox Unix seconds), {@code null} when absent
 * @param httpOnly optional flag, {@code null} when absent
 * @param secure optional flag, {@code null} when absent
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define, in order
 */
public record HarCookie(String name, String value, String path, String domain, String expires,
        Boolean httpOnly, Boolean secure, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("name", "value", "path", "domain", "expires",
            "httpOnly", "secure", "comment");

    /** Checks the required members and freezes the extensions. */
    public HarCookie {
        Extensions.required(name, "cookie name");
        Extensions.required(value, "cookie value");
        extensions = Extensions.freeze(extensions, MEMBERS, "a cookie");
    }

    /** A cookie with only a name and a value. */
    public static HarCookie of(String name, String value) {
        return new HarCookie(name, value, null, null, null, null, null, null, null);
    }

    /** A copy with another value; every other member is kept. */
    public HarCookie withValue(String newValue) {
        return new HarCookie(name, newValue, path, domain, expires, httpOnly, secure, comment,
                extensions);
    }
}
