package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The root of a HAR's content ({@code log}).
 *
 * @param version format version, kept verbatim ({@code "1.2"}; old tools write {@code "1.1"},
 *     and an empty string is to be understood as 1.1)
 * @param creator the application that wrote the file
 * @param browser optional recorded browser, {@code null} when absent
 * @param pages optional pages, {@code null} when the member is absent (kept apart from {@code []})
 * @param entries recorded exchanges, in the order read or given (the writer sorts by start time)
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. Polly's {@code _recordingName})
 */
public record HarLog(String version, HarCreator creator, HarCreator browser, List<HarPage> pages,
        List<HarEntry> entries, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("version", "creator", "browser", "pages", "entries",
            "comment");

    /** Checks the required members, copies the lists and freezes the extensions. */
    public HarLog {
        Extensions.required(version, "log version");
        Objects.requireNonNull(creator, "log creator is required");
        pages = pages == null ? null : List.copyOf(pages);
        entries = List.copyOf(Objects.requireNonNull(entries, "log entries are required"));
        extensions = Extensions.freeze(extensions, MEMBERS, "the log");
    }

    /** A copy with other entries. */
    public HarLog withEntries(List<HarEntry> newEntries) {
        return new HarLog(version, creator, browser, pages, newEntries, comment, extensions);
    }

    /** A copy with other pages ({@code null} removes the member). */
    public HarLog withPages(List<HarPage> newPages) {
        return new HarLog(version, creator, browser, newPages, entries, comment, extensions);
    }
}
