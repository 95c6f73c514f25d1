package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One page of a browser recording ({@code log.pages[]}); entries point at it through
 * {@link HarEntry#pageref()}.
 *
 * @param startedDateTime when the page load started, kept verbatim
 * @param id unique page id referenced by entries
 * @param title page title
 * @param pageTimings load milestones (required, may be empty)
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define, in order
 */
public record HarPage(String startedDateTime, String id, String title,
        HarPageTimings pageTimings, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("startedDateTime", "id", "title", "pageTimings",
            "comment");

    /** Checks the required members and freezes the extensions. */
    public HarPage {
        Extensions.required(startedDateTime, "page startedDateTime");
        Extensions.required(id, "page id");
        Extensions.required(title, "page title");
        Objects.requireNonNull(pageTimings, "pageTimings is required (use HarPageTimings.empty())");
        extensions = Extensions.freeze(extensions, MEMBERS, "a page");
    }
}
