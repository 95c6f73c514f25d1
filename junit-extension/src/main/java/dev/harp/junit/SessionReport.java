package dev.harp.junit;

import dev.harp.replay.Miss;
import dev.harp.replay.ReplayResponse;

import java.util.List;

/**
 * What happened while a fixture was in use.
 *
 * @param fixture  the fixture
 * @param existed  whether its file existed when it was switched to
 * @param misses   requests that found no recorded response (in {@code auto} mode these were recorded instead)
 * @param unused   recorded responses never served
 * @param recorded entries recorded into it
 * @param usage    the stretch of use this report ends, for usage data; null when it ends none
 */
record SessionReport(Fixture fixture, boolean existed, List<Miss> misses, List<ReplayResponse> unused, int recorded,
                     UsageSlice usage) {
    SessionReport {
        misses = List.copyOf(misses);
        unused = List.copyOf(unused);
    }

    SessionReport(Fixture fixture, boolean existed, List<Miss> misses, List<ReplayResponse> unused, int recorded) {
        this(fixture, existed, misses, unused, recorded, null);
    }

    /** @return this report without the first {@code count} misses (already reported) */
    SessionReport skippingMisses(int count) {
        return new SessionReport(fixture, existed, misses.subList(Math.min(count, misses.size()), misses.size()),
                unused, recorded, usage);
    }

    /** @return the same report told for another user of the same file */
    SessionReport as(Fixture user) {
        return new SessionReport(user, existed, misses, unused, recorded, usage);
    }

    /** @return the same report ending this stretch of use */
    SessionReport withUsage(UsageSlice slice) {
        return new SessionReport(fixture, existed, misses, unused, recorded, slice);
    }
}
