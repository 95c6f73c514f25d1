package dev.harp.replay;

import static dev.harp.replay.Fixtures.get;
import static dev.harp.replay.Fixtures.index;
import static dev.harp.replay.Fixtures.json;
import static dev.harp.replay.Fixtures.served;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Repeated identical requests: which recorded response each repetition gets. */
class SequencesTest {

    private static final String TOKEN = "https://auth.example.com/token";

    private static ReplayIndex<String> recordedThreeTimes(SequencePolicy policy) {
        MatchOptions options = MatchOptions.builder().sequence(policy).build();
        return index(options, get(TOKEN), "A", get(TOKEN), "B", get(TOKEN), "C");
    }

    @Test
    void sequenceServesInRecordedOrderThenRepeatsTheLast() {
        ReplayIndex<String> index = recordedThreeTimes(SequencePolicy.SEQUENCE);

        assertThat(served(index, get(TOKEN), get(TOKEN), get(TOKEN), get(TOKEN), get(TOKEN)))
                .containsExactly("A", "B", "C", "C", "C");
    }

    @Test
    void reuseFirstAlwaysServesTheFirst() {
        ReplayIndex<String> index = recordedThreeTimes(SequencePolicy.REUSE_FIRST);

        assertThat(served(index, get(TOKEN), get(TOKEN), get(TOKEN))).containsExactly("A", "A", "A");
        assertThat(index.unused()).containsExactly("B", "C");
    }

    @Test
    void failAfterLastMissesOnceAllWereServed() {
        ReplayIndex<String> index = recordedThreeTimes(SequencePolicy.FAIL_AFTER_LAST);

        assertThat(served(index, get(TOKEN), get(TOKEN), get(TOKEN), get(TOKEN)))
                .containsExactly("A", "B", "C", "miss");
        assertThat(index.misses()).singleElement()
                .extracting(Miss::reason).isEqualTo(Miss.Reason.SEQUENCE_EXHAUSTED);
    }

    @Test
    void requestsThatAreIdenticalOnlyUnderTheOptionsShareOneSequence() {
        MatchOptions options = MatchOptions.builder().ignoreQueryParams("_").build();
        ReplayIndex<String> index = index(options,
                get(TOKEN + "?_=1"), "A", get(TOKEN + "?_=2"), "B", json(TOKEN, "{\"a\":1,\"b\":2}"), "P1",
                json(TOKEN, "{\"b\":2,\"a\":1}"), "P2");

        assertThat(served(index, get(TOKEN + "?_=3"), get(TOKEN + "?_=4"), get(TOKEN + "?_=5")))
                .containsExactly("A", "B", "B");
        assertThat(served(index, json(TOKEN, "{\"a\":1,\"b\":2}"), json(TOKEN, "{\"a\":1,\"b\":2}")))
                .containsExactly("P1", "P2");
    }

    @Test
    void interleavedRequestsKeepSeparateCursors() {
        String users = "https://api.example.com/users";
        String orders = "https://api.example.com/orders";
        ReplayIndex<String> index = index(
                get(users), "users-1", get(orders), "orders-1", get(users), "users-2", get(orders), "orders-2");

        assertThat(served(index, get(orders), get(users), get(users), get(orders), get(users), get(orders)))
                .containsExactly("orders-1", "users-1", "users-2", "orders-2", "users-2", "orders-2");
    }

    @Test
    void concurrentLookupsEachGetADistinctEntryInOrderBeforeTheLastRepeats() throws Exception {
        int recorded = 500;
        int threads = 8;
        int lookupsPerThread = 100;
        List<Recorded<Integer>> entries = new ArrayList<>();
        for (int i = 0; i < recorded; i++) {
            entries.add(Recorded.of(get(TOKEN), i));
        }
        ReplayIndex<Integer> index = ReplayIndex.of(entries, MatchOptions.defaults());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < lookupsPerThread; i++) {
                        got.add(index.find(get(TOKEN)).payload());
                    }
                    return got;
                }));
            }
            start.countDown();

            int[] timesServed = new int[recorded];
            for (Future<List<Integer>> result : results) {
                List<Integer> got = result.get(30, TimeUnit.SECONDS);
                assertThat(got).as("each thread sees the sequence advance in recorded order").isSorted();
                got.forEach(payload -> timesServed[payload]++);
            }
            for (int i = 0; i < recorded - 1; i++) {
                assertThat(timesServed[i]).as("times entry %d was served", i).isEqualTo(1);
            }
            assertThat(timesServed[recorded - 1]).isEqualTo(threads * lookupsPerThread - (recorded - 1));
            assertThat(index.unusedIndices()).isEmpty();
            assertThat(index.hitCount()).isEqualTo(threads * lookupsPerThread);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
