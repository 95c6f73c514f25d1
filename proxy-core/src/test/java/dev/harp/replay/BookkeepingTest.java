package dev.harp.replay;

import static dev.harp.replay.Fixtures.get;
import static dev.harp.replay.Fixtures.index;
import static dev.harp.replay.Fixtures.served;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the index remembers for the exit summary, and entries appended while it runs. */
class BookkeepingTest {

    private static final String API = "https://api.example.com";

    @Test
    void entriesNeverServedAreReportedAsUnused() {
        ReplayIndex<String> index = index(get(API + "/a"), "A", get(API + "/b"), "B", get(API + "/c"), "C");

        served(index, get(API + "/b"), get(API + "/b"));

        assertThat(index.unused()).containsExactly("A", "C");
        assertThat(index.unusedIndices()).containsExactly(0, 2);
    }

    @Test
    void missesAreKeptAndEverythingIsCounted() {
        ReplayIndex<String> index = index(get(API + "/a"), "A", get(API + "/b"), "B");

        served(index, get(API + "/a"), get(API + "/x"), get(API + "/a"), get(API + "/y"));

        assertThat(index.misses()).extracting(miss -> miss.request().url())
                .containsExactly(API + "/x", API + "/y");
        assertThat(index.hitCount()).isEqualTo(2);
        assertThat(index.missCount()).isEqualTo(2);
        assertThat(index.summary()).isEqualTo(new ReplaySummary(2, 2, 2, 1));
        assertThat(index.summary().describe()).isEqualTo("2 hits, 2 misses, 1 of 2 recorded entries unused");
    }

    @Test
    void appendedEntriesAreMatchableAtOnce() {
        ReplayIndex<String> index = ReplayIndex.empty(MatchOptions.defaults());
        assertThat(index.find(get(API + "/new")).isHit()).isFalse();

        int entry = index.add(get(API + "/new"), "recorded on the fly");

        Lookup<String> lookup = index.find(get(API + "/new"));
        assertThat(lookup.payload()).isEqualTo("recorded on the fly");
        assertThat(lookup.entryIndex()).isEqualTo(entry).isZero();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void anAppendedRepetitionContinuesTheSequenceOfItsRequest() {
        MatchOptions options = MatchOptions.builder().sequence(SequencePolicy.FAIL_AFTER_LAST).build();
        ReplayIndex<String> index = index(options, get(API + "/token"), "A");
        assertThat(served(index, get(API + "/token"), get(API + "/token"))).containsExactly("A", "miss");

        index.add(get(API + "/token"), "B");

        assertThat(served(index, get(API + "/token"), get(API + "/token"))).containsExactly("B", "miss");
        assertThat(index.size()).isEqualTo(2);
    }
}
