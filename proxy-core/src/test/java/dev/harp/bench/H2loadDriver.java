package dev.harp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's {@code h2load} (package {@code nghttp2-client}) for the h2 rows: one connection, N concurrent
 * streams, for a time, after a warm-up that also covers the connection's set-up.
 *
 * <p>h2load cannot use a proxy. Through Harp it runs with {@code --connect-to} Harp's port and with
 * {@code connect-via-proxy.c} preloaded, compiled here with the system's C compiler: its {@code connect()} sends
 * the {@code CONNECT} and reads Harp's 200 on the socket before handing it to h2load, which then speaks TLS and h2 on
 * it as it would to the origin. No relay sits between h2load and Harp, so neither route pays a hop the other does not.
 */
final class H2loadDriver {
    private static final Pattern RPS = Pattern.compile("finished in [0-9.]+m?s, ([0-9.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
    private static final Pattern STATUS = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");
    private static final Pattern PROTOCOL = Pattern.compile("Application protocol: (\\S+)");
    private static final Duration SETUP = Duration.ofMillis(500);

    private final Path h2load;
    private final Path shim;
    private final Path scratch;

    private H2loadDriver(Path h2load, Path shim, Path scratch) {
        this.h2load = h2load;
        this.shim = shim;
        this.scratch = scratch;
    }

    /**
     * h2load with the preload compiled, or null (and why, in {@code whyNot}) when h2load or a C compiler is missing or
     * the compile fails.
     */
    static H2loadDriver find(Path scratch, StringBuilder whyNot) throws InterruptedException {
        Path h2load = onPath("h2load");
        Path cc = onPath("cc");
        if (h2load == null || cc == null) {
            whyNot.append(h2load == null ? "h2load not found (apt-get install nghttp2-client)" : "no C compiler (cc) for"
                    + " the CONNECT preload h2load needs to reach Harp");
            return null;
        }
        try (InputStream source = H2loadDriver.class.getResourceAsStream("connect-via-proxy.c")) {
            if (source == null) {
                whyNot.append("connect-via-proxy.c missing from the test classes");
                return null;
            }
            Path c = scratch.resolve("connect-via-proxy.c");
            Files.write(c, source.readAllBytes());
            Path so = scratch.resolve("connect-via-proxy.so");
            Path log = scratch.resolve("cc.out");
            Process p = Children.start(new ProcessBuilder(cc.toString(), "-shared", "-fPIC", "-O2", "-o", so.toString(),
                    c.toString(), "-ldl").redirectErrorStream(true).redirectOutput(log.toFile()));
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(so)) {
                    whyNot.append("the CONNECT preload did not compile: ").append(Files.readString(log).trim());
                    return null;
                }
            } finally {
                Children.end(p);
            }
            return new H2loadDriver(h2load, so, scratch);
        } catch (IOException e) {
            whyNot.append("cannot build the CONNECT preload: ").append(e.getMessage());
            return null;
        }
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return null;
    }

    /** {@code h2load nghttp2/1.52.0}, or just {@code h2load}. */
    String version() {
        try {
            Process p = new ProcessBuilder(h2load.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("nghttp2/([0-9][^ \\n]*)").matcher(out);
            return m.find() ? "h2load (nghttp2 " + m.group(1) + ")" : "h2load";
        } catch (IOException e) {
            return "h2load";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "h2load";
        }
    }

    /**
     * One h2load run on one connection with {@code streams} concurrent streams: a warm-up (connection set-up and
     * the first requests, not counted), then {@code duration} measured.
     *
     * @param proxyPort Harp's port, or 0 to go straight to the origin
     * @param warmup    not counted; at least {@link #SETUP}, so the set-up is never in the measurement
     */
    LoadResult run(int proxyPort, int originPort, Bodies body, int streams, Duration warmup, Duration duration)
            throws IOException, InterruptedException {
        String authority = TlsMaterial.HOST + ":" + originPort;
        Path log = scratch.resolve("h2load.log");
        Files.deleteIfExists(log);
        long warmupMillis = Math.max(SETUP.toMillis(), warmup.toMillis());
        // -T ends the connection after that long whatever it does: it must outlast the run; -N bounds a silent one
        List<String> command = new ArrayList<>(List.of(h2load.toString(), "-c", "1", "-t", "1", "-m",
                String.valueOf(streams), "--npn-list=h2", "-T", (warmupMillis + duration.toMillis()) / 1000 + 30 + "s",
                "-N", "10s", "--warm-up-time=" + warmupMillis + "ms",
                "-D", duration.toMillis() + "ms", "--log-file=" + log));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (proxyPort != 0) {
            command.add("--connect-to=" + TlsMaterial.HOST + ":" + proxyPort);
            Map<String, String> env = pb.environment();
            env.put("LD_PRELOAD", shim.toString());
            env.put("HARP_BENCH_PROXY_PORT", String.valueOf(proxyPort));
            env.put("HARP_BENCH_CONNECT", authority);
        }
        command.add("https://" + authority + body.path);
        pb.command(command);
        Path output = scratch.resolve("h2load.out");
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        long limit = (warmupMillis + duration.toMillis()) / 1000 + 40;
        Process p = Children.start(pb);
        try {
            if (!p.waitFor(limit, TimeUnit.SECONDS)) {
                throw new IOException("h2load did not finish within " + limit + " s");
            }
        } finally {
            Children.end(p);
        }
        return parse(Files.readString(output), Files.exists(log) ? Files.readAllLines(log) : List.of(), duration);
    }

    /** Reads h2load's summary and, for the percentiles, its per-request log (start µs, status, duration µs). */
    static LoadResult parse(String out, List<String> log, Duration duration) throws IOException {
        Matcher protocol = PROTOCOL.matcher(out);
        if (!protocol.find() || !protocol.group(1).equals("h2")) {
            throw new IOException("h2load did not speak h2:\n" + out);
        }
        Matcher rps = RPS.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        Matcher status = STATUS.matcher(out);
        if (!rps.find() || !requests.find() || !status.find()) {
            throw new IOException("cannot read h2load's output:\n" + out);
        }
        long succeeded = Long.parseLong(requests.group(4));
        long errors = Long.parseLong(requests.group(5)) + Long.parseLong(requests.group(6))
                + Long.parseLong(requests.group(7));
        long non2xx = Long.parseLong(status.group(2)) + Long.parseLong(status.group(3)) + Long.parseLong(status.group(4));
        // the log may hold warm-up requests as well: keep those that started in the last `duration`
        long[][] rows = log.stream().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 3)
                .map(f -> new long[] {Long.parseLong(f[0]), Long.parseLong(f[2])}).toArray(long[][]::new);
        long lastStart = Arrays.stream(rows).mapToLong(r -> r[0]).max().orElse(0);
        long from = lastStart - duration.toNanos() / 1000;
        long[] micros = Arrays.stream(rows).filter(r -> r[0] >= from).mapToLong(r -> r[1]).sorted().toArray();
        return new LoadResult("h2load", Double.parseDouble(rps.group(1)), JdkDriver.percentile(micros, 0.50) / 1000.0,
                JdkDriver.percentile(micros, 0.99) / 1000.0, succeeded - non2xx, errors + non2xx);
    }
}
