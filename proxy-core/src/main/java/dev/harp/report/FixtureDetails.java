package dev.harp.report;

import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarFormatException;
import dev.harp.har.HarReader;
import dev.harp.record.Redactor;
import dev.harp.usage.FixtureState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the report reads from a fixture's HAR itself: the newest entry's start (a better age than the file's time,
 * which a checkout resets) and the method, URL and status of the entries no use served. Immutable.
 *
 * @param newestEntry the latest {@code startedDateTime} of its entries, if any parses
 * @param unused      the unused entries shown, at most {@link #MAX_UNUSED} of them, URLs redacted for logs
 * @param problem     why the HAR could not be read, or empty
 */
record FixtureDetails(Optional<Instant> newestEntry, List<EntryLine> unused, String problem) {
    /** Unused entries listed per fixture; the rest are counted. */
    static final int MAX_UNUSED = 50;

    static final FixtureDetails NONE = new FixtureDetails(Optional.empty(), List.of(), "");

    FixtureDetails {
        unused = List.copyOf(unused);
    }

    /**
     * One recorded entry, summed up.
     *
     * @param index  its index in the file
     * @param method the request method
     * @param url    the URL, through {@link Redactor#forLog(String)}
     * @param status the response status, 0 when none
     */
    record EntryLine(int index, String method, String url, int status) {
    }

    /** @return the details of a fixture that exists; {@link #NONE} for one that does not */
    static FixtureDetails of(FixtureState fixture) {
        if (!fixture.exists() || !fixture.readProblem().isEmpty()) {
            return NONE;
        }
        Har har;
        try {
            har = HarReader.read(fixture.file());
        } catch (HarFormatException | RuntimeException e) {
            return new FixtureDetails(Optional.empty(), List.of(), String.valueOf(e.getMessage()));
        }
        List<HarEntry> entries = har.entries();
        Instant newest = null;
        for (HarEntry e : entries) {
            Optional<Instant> started = e.startedInstant();
            if (started.isPresent() && (newest == null || started.get().isAfter(newest))) {
                newest = started.get();
            }
        }
        List<EntryLine> unused = new ArrayList<>();
        if (fixture.unusedKnown()) {
            for (int i : fixture.unused()) {
                if (unused.size() >= MAX_UNUSED || i >= entries.size()) {
                    break;
                }
                HarEntry e = entries.get(i);
                unused.add(new EntryLine(i, e.request().method(), Redactor.forLog(e.request().url()),
                        e.response() == null ? 0 : e.response().status()));
            }
        }
        return new FixtureDetails(Optional.ofNullable(newest), unused, "");
    }
}
