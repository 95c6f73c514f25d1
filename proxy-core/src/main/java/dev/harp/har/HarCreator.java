package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * The application that wrote a HAR ({@code log.creator}) or the browser it recorded
 * ({@code log.browser}); both have this shape.
 *
 * @param name application name, e.g. {@code HarpServer} or {@code WebInspector}
 * @param version application version
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define, in order
 */
public record HarCreator(String name, String version, String comment,
        Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("name", "version", "comment");

    /** Checks the required members and freezes the extensions. */
    public HarCreator {
        Extensions.required(name, "creator name");
        Extensions.required(version, "creator version");
        extensions = Extensions.freeze(extensions, MEMBERS, "a creator/browser");
    }

    /** A creator or browser with only a name and a version. */
    public static HarCreator of(String name, String version) {
        return new HarCreator(name, version, null, null);
    }
}
