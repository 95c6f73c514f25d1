package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HAR survives what can happen to a recording proxy: {@code kill -9} mid-traffic leaves a valid HAR holding
 * every flow that completed more than {@link #FLUSH_SLACK} before (the flush interval is 1 s); SIGTERM writes every flow; a HAR
 * that cannot be written is reported at ERROR naming the file, the previous file stays intact, and recording
 * carries on into the file once it can be written again.
 */
class DurabilityTest {
    /**
     * What kill -9 may lose: the flush interval (1 s) plus the write under way (write, fsync, rename), which a loaded
     * machine's disk can stretch to a second or two. A recorder that does not flush while flows arrive, or flushes
     * much less often, still loses flows older than this.
     */
    private static final Duration FLUSH_SLACK = Duration.ofSeconds(3);
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();

    @TempDir
    Path dir;

    @Test
    void killMinus9MidTrafficLosesAtMostTheLastFlushInterval() throws Exception {
        for (int run = 0; run < 3; run++) {
            Path har = dir.resolve("killed-" + run + ".har");
            Map<String, Long> completed = new ConcurrentHashMap<>();
            long killedAt;
            try (ChildHarp child = ChildHarp.start(0, List.of(), List.of("--mode", "record", "--har", har.toString(),
                    "--port", "0", "--ca-dir", dir.resolve("ca").toString()))) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread traffic = traffic(child.port(), "k" + run, completed, stop);
                assertThat(Resources.within(Duration.ofSeconds(10), () -> !completed.isEmpty())).isTrue();
                // longer than FLUSH_SLACK, so flows older than it exist; varied so the kill lands at other moments
                Duration trafficBeforeKill = FLUSH_SLACK.plusMillis(1500 + 350L * run);
                long killAt = System.nanoTime() + trafficBeforeKill.toNanos();
                while (System.nanoTime() < killAt) { // let traffic run: a chosen moment, not a race
                    LockSupport.parkNanos(killAt - System.nanoTime());
                }
                stop.set(true); // the request in flight is still in flight when the kill comes
                killedAt = System.nanoTime();
                child.kill();
                traffic.join(15_000);
            }
            Set<String> expected = completed.entrySet().stream()
                    .filter(e -> e.getValue() < killedAt - FLUSH_SLACK.toNanos()).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            assertThat(expected).as("flows completed well before the kill (%d completed)", completed.size()).isNotEmpty();
            Set<String> recorded = urls(har); // throws unless the file is a complete, valid HAR
            System.out.printf("kill -9 #%d: %d flows completed, %d of them more than %d ms before the kill, %d in the HAR%n",
                    run, completed.size(), expected.size(), FLUSH_SLACK.toMillis(), recorded.size());
            assertThat(recorded).as("every flow completed more than %s before kill -9", FLUSH_SLACK).containsAll(expected);
            assertThat(completed.keySet()).as("the HAR holds nothing that did not complete").containsAll(recorded);
        }
    }

    @Test
    void sigtermWritesEveryCompletedFlow() throws Exception {
        Path har = dir.resolve("terminated.har");
        Map<String, Long> completed = new ConcurrentHashMap<>();
        try (ChildHarp child = ChildHarp.start(0, List.of(), List.of("--mode", "record", "--har", har.toString(),
                "--port", "0", "--ca-dir", dir.resolve("ca").toString()))) {
            HttpClient client = client(child.port());
            for (int i = 0; i < 50; i++) {
                String url = upstream.http("/n/t" + i);
                assertThat(client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(ChaosUpstream.answer("t" + i));
                completed.put(url, System.nanoTime());
            }
            long start = System.nanoTime();
            assertThat(child.terminate(Duration.ofSeconds(15))).as("exits within 15 s of SIGTERM").isTrue();
            System.out.printf("SIGTERM: exited in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
        assertThat(urls(har)).isEqualTo(completed.keySet());
    }

    @Test
    void anUnwritableHarIsReportedLoudlyAndThePreviousFileStaysIntact() throws Exception {
        Path folder = dir.resolve("recordings");
        Path har = folder.resolve("flows.har");
        try (LogCapture log = LogCapture.start();
             HarpServer harp = HarpServer.builder().mode(Mode.RECORD).har(har).port(0).environment(Map.of())
                     .systemProperties(Map.of()).flushInterval(Duration.ofMillis(200)).start()) {
            HttpClient client = client(harp.port());
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(get(client, "w" + i));
            }
            assertThat(Resources.within(Duration.ofSeconds(5), () -> readableWith(har, 3))).isTrue();
            byte[] before = Files.readAllBytes(har);

            // 1. the folder is replaced by a plain file: nothing can be written there (even as root)
            Path movedAway = dir.resolve("recordings-moved-away");
            Files.move(folder, movedAway);
            Files.writeString(folder, "not a folder");
            sent.add(get(client, "w3"));
            sent.add(get(client, "w4"));
            assertThat(Resources.within(Duration.ofSeconds(5), () -> log.stderr().contains("ERROR")))
                    .as("an ERROR record").isTrue();
            assertThat(errorLines(log)).as("the ERROR names the file").anyMatch(l -> l.contains(har.toString()));
            assertThat(Files.readAllBytes(movedAway.resolve("flows.har"))).as("the previous file is intact").isEqualTo(before);
            try (var left = Files.list(movedAway)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no temporary files left").containsExactly("flows.har");
            }
            assertThat(harp.recordedEntries()).as("recording goes on in memory").isEqualTo(5);

            // 2. the folder comes back: the next flush writes everything, nothing recorded meanwhile is lost
            Files.delete(folder);
            Files.move(movedAway, folder);
            assertThat(Resources.within(Duration.ofSeconds(5), () -> readableWith(har, 5))).as("caught up").isTrue();
            assertThat(urls(har)).containsExactlyInAnyOrderElementsOf(sent);

            // 3. the HAR path becomes a folder: reported again, and at close
            Files.delete(har);
            Files.createDirectories(har.resolve("occupied"));
            int errorsBefore = errorLines(log).size();
            sent.add(get(client, "w5"));
            assertThat(Resources.within(Duration.ofSeconds(5), () -> errorLines(log).size() > errorsBefore)).isTrue();
            harp.close();
            assertThat(errorLines(log).subList(errorsBefore, errorLines(log).size()))
                    .as("reported while running and at close, naming the file")
                    .hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.contains(har.toString()));
        }
    }

    private static List<String> errorLines(LogCapture log) {
        return log.stderr().lines().filter(l -> l.contains("ERROR")).toList();
    }

    private static boolean readableWith(Path har, int entries) {
        try {
            return HarReader.read(har).entries().size() == entries;
        } catch (IOException | RuntimeException notYet) {
            return false;
        }
    }

    private static Set<String> urls(Path har) throws IOException {
        return HarReader.read(har).entries().stream().map(HarEntry::request).map(r -> r.url()).collect(Collectors.toSet());
    }

    private static HttpClient client(int port) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", port)))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static String get(HttpClient client, String id) throws IOException, InterruptedException {
        String url = upstream.http("/n/" + id);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo(ChaosUpstream.answer(id));
        return url;
    }

    /** Sends requests one after another until {@code stop}, noting when each completed with its right answer. */
    private static Thread traffic(int port, String prefix, Map<String, Long> completed, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            HttpClient client = client(port);
            for (int i = 0; !stop.get(); i++) {
                String id = prefix + "-" + i;
                String url = upstream.http("/n/" + id);
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().equals(ChaosUpstream.answer(id))) {
                        completed.put(url, System.nanoTime());
                    }
                } catch (IOException killed) {
                    if (!stop.get()) {
                        System.out.println("traffic " + prefix + " ended before the kill: " + killed);
                    }
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "traffic-" + prefix);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
