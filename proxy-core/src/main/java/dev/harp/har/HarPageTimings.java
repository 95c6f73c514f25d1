package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Page load milestones ({@code pages[].pageTimings}), in milliseconds since the page started.
 *
 * @param onContentLoad optional; {@code -1} when not available, {@code null} when absent
 * @param onLoad optional; {@code -1} when not available, {@code null} when absent
 * @param comment optional comment, {@code null} when absent
 * @param extensions custom timings such as {@code _firstPaint}, in order
 */
public record HarPageTimings(Double onContentLoad, Double onLoad, String comment,
        Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("onContentLoad", "onLoad", "comment");

    /** Checks that numbers are finite and freezes the extensions. */
    public HarPageTimings {
        Extensions.finiteOrNull(onContentLoad, "onContentLoad");
        Extensions.finiteOrNull(onLoad, "onLoad");
        extensions = Extensions.freeze(extensions, MEMBERS, "pageTimings");
    }

    /** Page timings with no member at all ({@code {}}). */
    public static HarPageTimings empty() {
        return new HarPageTimings(null, null, null, null);
    }
}
