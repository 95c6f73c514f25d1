package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * One posted form field ({@code postData.params[]}), for urlencoded or multipart bodies.
 *
 * @param name field name
 * @param value optional field value or uploaded file content, {@code null} when absent
 * @param fileName optional name of an uploaded file, {@code null} when absent
 * @param contentType optional content type of an uploaded file, {@code null} when absent
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. the 1.3 draft's {@code encoding})
 */
public record HarParam(String name, String value, String fileName, String contentType,
        String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("name", "value", "fileName", "contentType",
            "comment");

    /** Checks the required member and freezes the extensions. */
    public HarParam {
        Extensions.required(name, "param name");
        extensions = Extensions.freeze(extensions, MEMBERS, "a postData param");
    }

    /** A plain form field. */
    public static HarParam of(String name, String value) {
        return new HarParam(name, value, null, null, null, null);
    }

    /** A copy with another value; every other member is kept. */
    public HarParam withValue(String newValue) {
        return new HarParam(name, newValue, fileName, contentType, comment, extensions);
    }
}
