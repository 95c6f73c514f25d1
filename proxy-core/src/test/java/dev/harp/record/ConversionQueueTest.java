package dev.harp.record;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The converter's queue: order, batching of wake-ups, and waiting that does not wait for a batch to gather. */
class ConversionQueueTest {

    @Test
    void aBurstOfFlowsIsConvertedInOrderInFewBatches() {
        ConversionQueue queue = new ConversionQueue(256, 8L << 20);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            int n = i;
            assertTrue(queue.offer(() -> {
                seen.add(n);
                threads.add(Thread.currentThread().getName());
            }, 1024));
        }
        assertTrue(queue.await(10_000));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertTrue(threads.stream().allMatch("harp-har-converter"::equals), threads.toString());
        // one wake-up per exchange would be 100 batches; a burst offered in microseconds gathers into one or two
        assertTrue(queue.batches() <= 10, "batches: " + queue.batches());
        assertTrue(queue.close(10_000));
    }

    @Test
    void awaitEndsAsSoonAsTheQueuedWorkIsDoneEvenWhileABatchWouldGather() throws Exception {
        ConversionQueue queue = new ConversionQueue(256, 8L << 20);
        CountDownLatch ran = new CountDownLatch(1);
        assertTrue(queue.offer(ran::countDown, 1));
        assertTrue(queue.await(10_000));
        assertTrue(ran.await(0, TimeUnit.SECONDS), "await returned before the task ran");
        assertEquals(0, queue.queued());
        assertTrue(queue.close(10_000));
    }

    @Test
    void aFailingTaskDoesNotStopTheConverter() {
        ConversionQueue queue = new ConversionQueue(256, 8L << 20);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        assertTrue(queue.offer(() -> {
            throw new IllegalStateException("planted");
        }, 1));
        assertTrue(queue.offer(() -> seen.add(2), 1));
        assertTrue(queue.await(10_000));
        assertEquals(List.of(2), seen);
        assertTrue(queue.close(10_000));
    }

    @Test
    void closeRefusesNewFlowsAndConvertsTheQueuedOnes() {
        ConversionQueue queue = new ConversionQueue(256, 8L << 20);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 10; i++) {
            int n = i;
            assertTrue(queue.offer(() -> seen.add(n), 1));
        }
        assertTrue(queue.close(10_000));
        assertEquals(10, seen.size());
        assertTrue(!queue.offer(() -> seen.add(99), 1), "a closed queue takes no flow");
    }

    @Test
    void afterQueuedRunsAtOnceWhenIdleAndRightAfterTheQueuedConversionsOtherwise() throws Exception {
        ConversionQueue queue = new ConversionQueue(256, 8L << 20);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        queue.afterQueued(() -> events.add("idle, on " + Thread.currentThread().getName()));
        assertEquals(List.of("idle, on " + Thread.currentThread().getName()), events);
        events.clear();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch after = new CountDownLatch(1);
        assertTrue(queue.offer(() -> {
            awaitQuietly(gate);
            events.add("first");
        }, 1));
        assertTrue(queue.offer(() -> events.add("second"), 1));
        queue.afterQueued(() -> {
            events.add("after, on " + Thread.currentThread().getName());
            after.countDown();
        });
        assertTrue(queue.offer(() -> events.add("third"), 1)); // queued later: not waited for
        assertTrue(!after.await(200, TimeUnit.MILLISECONDS), "ran before the queued conversions");
        gate.countDown();
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertTrue(queue.await(10_000));
        assertEquals(List.of("first", "second", "after, on harp-har-converter", "third"), events);
        assertTrue(queue.close(10_000));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
