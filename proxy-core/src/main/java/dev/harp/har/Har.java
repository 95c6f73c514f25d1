package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A whole HAR document: the {@code log} plus any unknown top-level members.
 *
 * <p>Read one with {@link HarReader}, write one with {@link HarWriter}, start a recording with
 * {@link #newRecording(String)}.
 *
 * @param log the log
 * @param extensions top-level members other than {@code log}, in order
 */
public record Har(HarLog log, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("log");

    /** HAR version Harp writes. */
    public static final String VERSION = "1.2";

    /** {@code log.creator.name} of every file Harp writes. */
    public static final String CREATOR_NAME = "Harp";

    /** Checks the log and freezes the extensions. */
    public Har {
        Objects.requireNonNull(log, "log is required");
        extensions = Extensions.freeze(extensions, MEMBERS, "the HAR root");
    }

    /** A document with this log and no top-level extensions. */
    public static Har of(HarLog log) {
        return new Har(log, null);
    }

    /**
     * An empty recording as Harp writes it: version "1.2", creator "Harp" with the given version,
     * no browser, no pages member (Harp does not group by page), no entries.
     *
     * @param harpVersion Harp's version, e.g. "0.1.0"
     */
    public static Har newRecording(String harpVersion) {
        return of(new HarLog(VERSION, HarCreator.of(CREATOR_NAME, harpVersion), null, null,
                List.of(), null, null));
    }

    /** Shortcut for {@code log().entries()}. */
    public List<HarEntry> entries() {
        return log.entries();
    }

    /** A copy whose log has these entries. */
    public Har withEntries(List<HarEntry> newEntries) {
        return new Har(log.withEntries(newEntries), extensions);
    }

    /** A copy with one more entry at the end (copies the list: collect first when adding many). */
    public Har withEntry(HarEntry entry) {
        List<HarEntry> all = new ArrayList<>(log.entries().size() + 1);
        all.addAll(log.entries());
        all.add(Objects.requireNonNull(entry));
        return withEntries(all);
    }
}
