package dev.harp.bench;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.Har;
import dev.harp.har.HarContent;
import dev.harp.har.HarEntry;
import dev.harp.har.HarRequest;
import dev.harp.har.HarResponse;
import dev.harp.har.HarTimings;
import dev.harp.har.HarWriter;
import dev.harp.replay.HarReplay;
import dev.harp.replay.MatchOptions;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The one-off costs: proxy start-up, CA generation, leaf issuance, and loading a large HAR for replay. */
final class Costs {
    private Costs() {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Wall-clock median and 90th percentile, and the median CPU time of the measuring thread (which a busy machine
     * does not inflate), in milliseconds, with how many samples they came from.
     */
    record Timing(double medianMillis, double p90Millis, double cpuMedianMillis, int samples) {
        static Timing of(long[] nanos, long[] cpuNanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            long[] c = cpuNanos.clone();
            Arrays.sort(c);
            return new Timing(JdkDriver.percentile(s, 0.5) / 1e6, JdkDriver.percentile(s, 0.9) / 1e6,
                    JdkDriver.percentile(c, 0.5) / 1e6, s.length);
        }
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * {@code HarpServer.builder()...start()} in this JVM after warm-up starts, each proxy closed before the next.
     *
     * @param caDir a CA folder (created on the first start), or null to hand over the in-memory CA
     * @param har   a HAR to replay, or null for passthrough
     */
    static Timing startup(CertificateAuthority ca, Path caDir, Path har, int warmup, int samples) throws IOException {
        long[] times = new long[samples];
        long[] cpus = new long[samples];
        for (int i = -warmup; i < samples; i++) {
            var b = HarpServer.builder().port(0).environment(Map.of()).systemProperties(Map.of()).insecureUpstream(true);
            if (har != null) {
                b.mode(Mode.REPLAY).har(har);
            } else {
                b.mode(Mode.PASSTHROUGH);
            }
            if (caDir != null) {
                b.caDirectory(caDir);
            } else {
                b.certificateAuthority(ca);
            }
            long c0 = cpu();
            long t0 = System.nanoTime();
            HarpServer harp = b.start();
            long t1 = System.nanoTime();
            long c1 = cpu();
            harp.close();
            if (i >= 0) {
                times[i] = t1 - t0;
                cpus[i] = c1 - c0;
            }
        }
        return Timing.of(times, cpus);
    }

    /** {@code CertificateAuthority.inMemory()}: an EC P-256 key pair and a self-signed certificate. */
    static Timing caGeneration(int warmup, int samples) {
        long[] times = new long[samples];
        long[] cpus = new long[samples];
        for (int i = -warmup; i < samples; i++) {
            long c0 = cpu();
            long t0 = System.nanoTime();
            CertificateAuthority ca = CertificateAuthority.inMemory();
            long t1 = System.nanoTime();
            long c1 = cpu();
            Reference.reachabilityFence(ca);
            if (i >= 0) {
                times[i] = t1 - t0;
                cpus[i] = c1 - c0;
            }
        }
        return Timing.of(times, cpus);
    }

    /** {@code leafFor(host)} for hosts never seen before (one signature each; the leaf key is shared). */
    static Timing leafIssuance(CertificateAuthority ca, int warmup, int samples) {
        LeafCertificates leaves = new LeafCertificates(ca, warmup + samples + 10, dev.harp.tls.KeyAlgorithm.EC_P256);
        long[] times = new long[samples];
        long[] cpus = new long[samples];
        for (int i = -warmup; i < samples; i++) {
            String host = "host-" + (i + warmup) + ".bench.test";
            long c0 = cpu();
            long t0 = System.nanoTime();
            leaves.leafFor(host);
            long t1 = System.nanoTime();
            long c1 = cpu();
            if (i >= 0) {
                times[i] = t1 - t0;
                cpus[i] = c1 - c0;
            }
        }
        return Timing.of(times, cpus);
    }

    /** HAR load: time (median), file size, and the heap the loaded replay keeps. */
    record HarLoad(int entries, long fileBytes, Timing load, long heapBytes) {
        double heapRatio() {
            return (double) heapBytes / fileBytes;
        }
    }

    /** Writes a HAR of {@code entries} distinct JSON API calls with ~{@code bodyBytes} bodies each. */
    static Path writeLargeHar(Path file, int entries, int bodyBytes) throws IOException {
        Random random = new Random(42);
        List<HarEntry> list = new ArrayList<>(entries);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < entries; i++) {
            String url = "https://api.bench.test/v1/items/" + i + "?page=" + (i % 50) + "&lang=en";
            HarRequest request = HarRequest.builder("GET", url)
                    .httpVersion("HTTP/1.1")
                    .header("Host", "api.bench.test")
                    .header("User-Agent", "Java-http-client/17.0.15")
                    .header("Accept", "application/json")
                    .header("Accept-Encoding", "gzip, deflate")
                    .header("X-Request-Id", Long.toHexString(random.nextLong()))
                    .queryParam("page", String.valueOf(i % 50))
                    .queryParam("lang", "en")
                    .build();
            byte[] body = json(random, i, bodyBytes);
            HarResponse response = HarResponse.builder(200)
                    .statusText("OK")
                    .httpVersion("HTTP/1.1")
                    .header("Content-Type", "application/json")
                    .header("Content-Length", String.valueOf(body.length))
                    .header("Cache-Control", "no-cache")
                    .header("Date", "Wed, 01 Jan 2025 00:00:00 GMT")
                    .header("Server", "bench")
                    .content(HarContent.ofBytes(body, "application/json"))
                    .bodySize(body.length)
                    .build();
            list.add(HarEntry.builder()
                    .startedDateTime(start.plusMillis(i * 10L))
                    .time(3)
                    .request(request)
                    .response(response)
                    .timings(HarTimings.of(0, 2, 1))
                    .build());
        }
        HarWriter.write(file, Har.newRecording("bench").withEntries(list));
        return file;
    }

    /** A JSON object of about {@code size} bytes with varied content. */
    private static byte[] json(Random random, int id, int size) {
        StringBuilder sb = new StringBuilder(size + 100);
        sb.append("{\"id\":").append(id).append(",\"items\":[");
        int n = 0;
        while (sb.length() < size - 80) {
            if (n > 0) {
                sb.append(',');
            }
            sb.append("{\"n\":").append(n++).append(",\"name\":\"item-").append(Long.toString(random.nextLong() >>> 1, 36))
                    .append("\",\"price\":").append(random.nextInt(100_000) / 100.0).append(",\"ok\":")
                    .append(random.nextBoolean()).append('}');
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code HarReplay.load} of the file: median time over {@code samples} loads after one warm-up load, and the
     * used heap after a full GC with one loaded replay held, minus the used heap after a full GC before it.
     */
    static HarLoad harLoad(Path file, int entries, int samples) throws IOException, InterruptedException {
        HarReplay.load(file, MatchOptions.defaults()); // warm-up: classes, JIT, page cache
        long[] times = new long[samples];
        long[] cpus = new long[samples];
        for (int i = 0; i < samples; i++) {
            long c0 = cpu();
            long t0 = System.nanoTime();
            HarReplay r = HarReplay.load(file, MatchOptions.defaults());
            times[i] = System.nanoTime() - t0;
            cpus[i] = cpu() - c0;
            Reference.reachabilityFence(r);
        }
        long before = usedHeapAfterGc();
        HarReplay held = HarReplay.load(file, MatchOptions.defaults());
        long after = usedHeapAfterGc();
        Reference.reachabilityFence(held);
        return new HarLoad(entries, Files.size(file), Timing.of(times, cpus), after - before);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
