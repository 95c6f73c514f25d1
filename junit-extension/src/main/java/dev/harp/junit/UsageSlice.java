package dev.harp.junit;

import dev.harp.options.Face;
import dev.harp.record.Redactor;
import dev.harp.replay.Miss;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.MissView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What one stretch of use of a fixture did, for usage data: from the fixture as it was when the proxy switched to
 * it (existed, SHA-256, entries) to what it served, missed, never served and recorded since the last cut.
 *
 * @param fixture  the fixture (path, mode)
 * @param existed  whether its file existed when the proxy switched to it
 * @param sha256   its SHA-256 then, or empty
 * @param entries  its entries then
 * @param started  when the stretch began
 * @param finished when it ended
 * @param hits     requests served from it in the stretch
 * @param misses   misses in the stretch
 * @param unused   entries (below {@code entries}) never served since the switch
 * @param recorded entries recorded in the stretch
 * @param redactor the redaction rules in force
 */
record UsageSlice(Fixture fixture, boolean existed, String sha256, int entries, Instant started, Instant finished,
                  long hits, List<Miss> misses, List<Integer> unused, int recorded, Redactor redactor) {
    UsageSlice {
        misses = List.copyOf(misses);
        unused = List.copyOf(unused);
    }

    /** @return whether the stretch touched nothing: no file, no request, no recording */
    boolean idle() {
        return !existed && hits == 0 && misses.isEmpty() && recorded == 0;
    }

    /**
     * @param later a later stretch of the same fixture (another visit of a class phase's fixture)
     * @return both as one: counts added, misses joined, unused only what neither served; the first's fixture state
     */
    UsageSlice merge(UsageSlice later) {
        List<Miss> all = new ArrayList<>(misses);
        all.addAll(later.misses);
        TreeSet<Integer> both = new TreeSet<>(unused);
        both.retainAll(new TreeSet<>(later.unused));
        return new UsageSlice(fixture, existed, sha256, entries, started, later.finished, hits + later.hits, all,
                List.copyOf(both), recorded + later.recorded, redactor);
    }

    /**
     * @param user   who used it, for people
     * @param userId the JUnit unique id
     * @return a builder of the use; outcome and selection are left to the caller
     */
    FixtureUse.Builder toUse(String user, String userId) {
        List<MissView> views = MissView.of(misses, Face.JUNIT, redactor);
        return FixtureUse.builder(fixture.path(), Face.JUNIT, user)
                .userId(userId)
                .mode(fixture.mode().effective(), fixture.mode().source())
                .started(started)
                .finished(finished)
                .existed(existed)
                .sha256(sha256)
                .entries(entries)
                .hits(hits)
                .unused(unused)
                .misses(views)
                .recorded(recorded);
    }
}
