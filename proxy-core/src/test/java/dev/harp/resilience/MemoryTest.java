package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded whatever goes through: a 1 GiB response and a 1 GiB upload stream through a CLI child with
 * {@code -Xmx256m} in record, passthrough and auto, and a 1 GiB upload is answered in replay (bodies beyond the
 * capture limit are counted, not kept, and spill files are deleted); and the heap of an in-process proxy is as high
 * after 10,000 replayed requests as before.
 */
class MemoryTest {
    private static final long GIB = 1L << 30;
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aGibibyteEachWayStreamsThroughA256MiBHeap(Mode mode) throws Exception {
        Path har = dir.resolve("gib.har");
        if (mode == Mode.REPLAY) {
            try (ChildHarp recorder = child(Mode.RECORD, har)) {
                upload(recorder); // what replay will answer the upload with
                assertThat(recorder.terminate(Duration.ofSeconds(15))).isTrue();
            }
        }
        long start = System.nanoTime();
        try (ChildHarp child = child(mode, har)) {
            if (mode != Mode.REPLAY) { // a body beyond the capture limit is not in the HAR, so not replayable
                HttpResponse<InputStream> down = client(child).send(HttpRequest.newBuilder(
                        URI.create(upstream.http("/large?size=" + GIB))).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(down.statusCode()).isEqualTo(200);
                assertThat(readChecking(down.body())).as("bytes downloaded, every one as sent").isEqualTo(GIB);
            }
            upload(child);

            assertThat(child.process().isAlive()).isTrue();
            long peak = child.peakResidentKib();
            System.out.printf("%s: 1 GiB %s through -Xmx256m in %d ms; child peak RSS %d MiB%n", mode,
                    mode == Mode.REPLAY ? "up" : "down and 1 GiB up", (System.nanoTime() - start) / 1_000_000, peak / 1024);
            assertThat(peak).as("child peak resident memory, KiB").isLessThan(600 * 1024);
            Path tmp = dir.resolve("tmp");
            assertThat(Resources.within(Duration.ofSeconds(5), () -> spillFiles(tmp) == 0))
                    .as("spill files deleted after each exchange").isTrue();
            assertThat(child.terminate(Duration.ofSeconds(15))).isTrue();
        }
        if (mode == Mode.RECORD || mode == Mode.AUTO) {
            List<HarEntry> entries = HarReader.read(har).entries();
            assertThat(entries).hasSize(2);
            assertThat(entries.get(0).response().bodySize()).isEqualTo(GIB);
            assertThat(entries.get(0).response().content().text()).isNull();
            assertThat(entries.get(0).response().content().comment()).contains("larger than the capture limit");
            assertThat(entries.get(1).request().bodySize()).isEqualTo(GIB);
        }
    }

    private ChildHarp child(Mode mode, Path har) throws IOException, InterruptedException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        return ChildHarp.start(0, List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp), List.of("--mode", mode.cliName(),
                "--har", har.toString(), "--port", "0", "--ca-dir", dir.resolve("ca").toString()));
    }

    private static HttpClient client(ChildHarp child) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", child.port())))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void upload(ChildHarp child) throws IOException, InterruptedException {
        HttpResponse<String> up = client(child).send(HttpRequest.newBuilder(URI.create(upstream.http("/sink")))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(GIB)), GIB))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.body()).as("status %d; the child said:%n%s", up.statusCode(), child.output())
                .isEqualTo("received " + GIB + "\n");
    }

    @Test
    void theHeapStaysFlatAcrossTenThousandReplayedRequests() throws Exception {
        Path har = dir.resolve("replay.har");
        List<String> paths = List.of("/n/a", "/n/b", "/n/c", "/hello", "/large?size=65536");
        try (HarpServer recorder = HarpServer.builder().mode(Mode.RECORD).har(har).port(0).environment(Map.of())
                .systemProperties(Map.of()).start()) {
            try (Socket s = Wire.connect(recorder.port())) {
                for (String p : paths) {
                    Wire.write(s, Wire.head("GET", upstream.http(p)));
                    assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");
                }
            }
        }
        try (HarpServer harp = HarpServer.builder().mode(Mode.REPLAY).har(har).port(0).environment(Map.of())
                .systemProperties(Map.of()).start()) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(Wire.connect(harp.port()));
                }
                replay(clients, paths, 2_000); // warm-up: JIT, pools, buffers
                long before = usedHeapAfterGc();
                replay(clients, paths, 10_000);
                long after = usedHeapAfterGc();
                System.out.printf("heap after GC: %d KiB before, %d KiB after 10,000 replayed requests%n", before / 1024, after / 1024);
                // a request that left behind as little as 1 KiB (less than its own head and answer) would add 10 MB; the bound leaves room for what other threads of this shared test JVM keep between the readings
                assertThat(after - before).as("heap growth over 10,000 replayed requests, bytes").isLessThan(8L << 20);
                assertThat(harp.replaySummary().hits()).isEqualTo(12_000);
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    private static void replay(List<Socket> clients, List<String> paths, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket s = clients.get(i % clients.size());
            String path = paths.get(i % paths.size());
            Wire.write(s, Wire.head("GET", upstream.http(path)));
            assertThat(Wire.readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long spillFiles(Path tmp) {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("harp-body-")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Reads to the end, checking that byte {@code i} is {@link ChaosUpstream#patternByte(long)}; returns the count. */
    private static long readChecking(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                int phase = (int) (total % 251);
                for (int i = 0; i < n; i++) {
                    if (buf[i] != (byte) ((phase + i) % 251)) {
                        throw new AssertionError("byte " + (total + i) + " differs");
                    }
                }
                total += n;
            }
        }
        return total;
    }

    private static InputStream zeros(long n) {
        return new InputStream() {
            private long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        };
    }
}
