package dev.harp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A large recording still finds every entry; the time is printed for information, never asserted. */
class LargeIndexTest {

    private static final int ENTRIES = 10_000;

    /** 2,000 endpoints, each recorded with five variants: GETs by query, POSTs by JSON body. */
    private static MatchRequest request(int i) {
        String url = "https://api" + (i % 4) + ".example.com/v1/resource/" + (i / 5) + "/items";
        int variant = i % 5;
        if (variant < 3) {
            return MatchRequest.of("GET", url + "?variant=" + variant + "&page=" + (i % 7) + "&sort=name");
        }
        return MatchRequest.builder().method("POST").scheme("https").host("api" + (i % 4) + ".example.com")
                .path("/v1/resource/" + (i / 5) + "/items")
                .header("Content-Type", "application/json")
                .body("{\"variant\":" + variant + ",\"items\":[{\"id\":" + i + ",\"tags\":[\"a\",\"b\"]}],\"n\":" + i + "}")
                .build();
    }

    @Test
    void tenThousandEntriesAreEachFoundOnce() {
        List<Recorded<Integer>> recorded = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            recorded.add(Recorded.of(request(i), i));
        }
        long buildStart = System.nanoTime();
        ReplayIndex<Integer> index = ReplayIndex.of(recorded, MatchOptions.builder().ignoreQueryParams("sort").build());
        long built = System.nanoTime();

        for (int i = 0; i < ENTRIES; i++) {
            Lookup<Integer> lookup = index.find(request(i));
            assertThat(lookup.isHit()).as("entry %d", i).isTrue();
            assertThat(lookup.payload()).isEqualTo(i);
        }
        long looked = System.nanoTime();

        assertThat(index.unusedIndices()).isEmpty();
        assertThat(index.summary()).isEqualTo(new ReplaySummary(ENTRIES, ENTRIES, 0, 0));
        long missStart = System.nanoTime();
        Miss miss = index.find(MatchRequest.of("GET", "https://api1.example.com/v1/resource/5/items?variant=9")).miss();
        long missed = System.nanoTime();
        assertThat(miss.closest()).hasSize(3);
        assertThat(miss.closest().get(0).recorded().path()).isEqualTo("/v1/resource/5/items");
        System.out.printf("LargeIndexTest: built %d entries in %d ms; %d lookups in %d ms (%.1f us each);"
                        + " one miss report over all entries in %d ms%n",
                ENTRIES, (built - buildStart) / 1_000_000, ENTRIES, (looked - built) / 1_000_000,
                (looked - built) / 1_000.0 / ENTRIES, (missed - missStart) / 1_000_000);
    }
}
