package dev.harp.record;

import dev.harp.flow.BodyCapture;
import dev.harp.flow.Flow;
import dev.harp.flow.FlowRequest;
import dev.harp.flow.FlowResponse;
import dev.harp.flow.HttpHeader;
import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows handed over with a release are converted on the recorder's own thread, bounded, and their bodies released
 * only after conversion; flush and close wait for what is queued.
 */
class ConversionOffTheCallerTest {
    @TempDir
    Path dir;

    @Test
    void convertsOnTheConverterThreadAndReleasesTheBodiesAfterwards() throws Exception {
        Path file = dir.resolve("conv.har");
        Recorder recorder = new Recorder(file, Har.newRecording("test"), Redactor.defaults(), Duration.ofHours(1), null);
        Set<String> releasedOn = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 500; i++) {
            BodyCapture body = BodyCapture.of(("body " + i).getBytes(StandardCharsets.UTF_8));
            recorder.accept(flow("/" + i, body), () -> {
                releasedOn.add(Thread.currentThread().getName());
                body.close(); // a body released before conversion would fail to be read
            });
        }
        recorder.flush();
        Har har = HarReader.read(file);
        assertThat(har.log().entries()).hasSize(500);
        assertThat(har.log().entries()).allSatisfy(e ->
                assertThat(e.response().content().text()).isEqualTo("body " + e.request().url().substring(
                        e.request().url().lastIndexOf('/') + 1)));
        assertThat(releasedOn).as("released where converted").contains("harp-har-converter")
                .allSatisfy(name -> assertThat(name).isIn("harp-har-converter", Thread.currentThread().getName()));
        recorder.close();
    }

    @Test
    void closeWritesEveryQueuedConversion() throws Exception {
        Path file = dir.resolve("close.har");
        Recorder recorder = new Recorder(file, Har.newRecording("test"), Redactor.defaults(), Duration.ofHours(1), null);
        AtomicInteger released = new AtomicInteger();
        for (int i = 0; i < 2_000; i++) {
            recorder.accept(flow("/" + i, BodyCapture.of(new byte[1024])), released::incrementAndGet);
        }
        recorder.close();
        assertThat(released).hasValue(2_000);
        List<HarEntry> entries = HarReader.read(file).log().entries();
        assertThat(entries).hasSize(2_000);
    }

    @Test
    void aDiskSlowerThanTheTrafficSlowsTheTrafficInsteadOfFillingTheHeap() throws Exception {
        Path file = dir.resolve("slow.har");
        Recorder recorder = new Recorder(file, Har.newRecording("test"), Redactor.defaults(), Duration.ofHours(1), null);
        int flows = 10_000; // about 30 MiB of entries, several times the bound on entries waiting for the writer
        CountDownLatch diskBack = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        Thread disk = new Thread(() -> {
            synchronized (recorder.appendLock()) {
                holding.countDown();
                awaitQuietly(diskBack);
            }
        }, "slow-disk");
        disk.start();
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch accepted = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        Thread traffic = new Thread(() -> {
            for (int i = 0; i < flows; i++) {
                try {
                    recorder.accept(flow("/" + i, BodyCapture.of(new byte[1024])), released::incrementAndGet);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            accepted.countDown();
        }, "traffic");
        traffic.start();
        assertThat(accepted.await(2, TimeUnit.SECONDS)).as("the traffic waits for the disk").isFalse();
        // within the 10 s a conversion waits for the writer (after that the disk counts as hung and nobody waits)
        assertThat(recorder.heldBytes()).as("entries waiting are bounded")
                .isLessThanOrEqualTo(PendingEntries.Limits.DEFAULT.waitAboveBytes() + 64 * 1024);
        assertThat(recorder.dropped()).isZero();
        diskBack.countDown();
        assertThat(accepted.await(30, TimeUnit.SECONDS)).as("and goes on once the disk is back").isTrue();
        recorder.close();
        assertThat(released).hasValue(flows);
        assertThat(HarReader.read(file).log().entries()).hasSize(flows);
    }

    @Test
    void aFullQueueSaysNoSoTheCallerConvertsItself() throws Exception {
        ConversionQueue queue = new ConversionQueue(2, 1L << 20);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(2);
        Runnable held = () -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.countDown();
        };
        assertThat(queue.offer(held, 100)).isTrue();
        assertThat(queue.offer(ran::countDown, 100)).isTrue();
        assertThat(queue.offer(() -> { }, 100)).as("two flows wait already").isFalse();
        assertThat(queue.await(50)).as("the held one has not ended").isFalse();
        hold.countDown();
        assertThat(queue.await(10_000)).isTrue();
        assertThat(ran.getCount()).isZero();

        ConversionQueue bytes = new ConversionQueue(100, 1_000);
        CountDownLatch hold2 = new CountDownLatch(1);
        assertThat(bytes.offer(() -> awaitQuietly(hold2), 5_000)).as("one flow alone may exceed the budget").isTrue();
        assertThat(bytes.offer(() -> { }, 10)).as("past the byte budget").isFalse();
        hold2.countDown();
        assertThat(bytes.close(10_000)).isTrue();
        assertThat(bytes.offer(() -> { }, 10)).as("closed").isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Flow flow(String path, BodyCapture responseBody) throws Exception {
        Flow flow = new Flow();
        flow.request(new FlowRequest("GET", "http://example.test" + path, "HTTP/1.1", List.of(),
                BodyCapture.of(new byte[0]).finish()));
        flow.response(new FlowResponse(200, "OK", "HTTP/1.1",
                List.of(new HttpHeader("Content-Type", "text/plain")), responseBody.finish()));
        flow.responseComplete();
        flow.complete();
        return flow;
    }
}
