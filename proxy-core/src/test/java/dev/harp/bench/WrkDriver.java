package dev.harp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's {@code wrk} for plain-HTTP loads. wrk cannot use a proxy, so for a proxy it connects to the proxy's
 * port and a Lua script makes every request line absolute-form ({@code GET http://127.0.0.1:UP/1k}), which is what
 * an HTTP client configured with a proxy sends.
 */
final class WrkDriver {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path wrk;
    private final Path scratch;

    WrkDriver(Path wrk, Path scratch) {
        this.wrk = wrk;
        this.scratch = scratch;
    }

    /** The wrk binary on the PATH, or null. */
    static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
                return Path.of(dir, "wrk");
            }
        }
        return null;
    }

    /** {@code wrk 4.1.0}, or just {@code wrk}. */
    String version() {
        try {
            Process p = new ProcessBuilder(wrk.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("wrk ([0-9][^ \\n]*)").matcher(out);
            return m.find() ? "wrk " + m.group(1) : "wrk";
        } catch (IOException e) {
            return "wrk";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }

    /**
     * One wrk run of whole seconds, keep-alive connections, up to two threads.
     *
     * @param proxyPort the proxy's port, or 0 to go straight to the origin
     */
    LoadResult run(int proxyPort, int originPort, Bodies body, int connections, Duration duration)
            throws IOException, InterruptedException {
        long seconds = Math.max(1, duration.toSeconds());
        int threads = Math.min(2, connections);
        String origin = "http://" + TlsMaterial.HOST + ":" + originPort;
        ProcessBuilder pb;
        if (proxyPort == 0) {
            pb = new ProcessBuilder(wrk.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                    "--timeout", "10s", "--latency", origin + body.path);
        } else {
            Path script = scratch.resolve("proxy-" + originPort + body.path.substring(1) + ".lua");
            Files.writeString(script, "wrk.method = \"GET\"\n"
                    + "wrk.path = \"" + origin + body.path + "\"\n"
                    + "wrk.headers[\"Host\"] = \"" + TlsMaterial.HOST + ":" + originPort + "\"\n");
            pb = new ProcessBuilder(wrk.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                    "--timeout", "10s", "--latency", "-s", script.toString(),
                    "http://" + TlsMaterial.HOST + ":" + proxyPort + "/");
        }
        Path output = scratch.resolve("wrk.out");
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        Process p = Children.start(pb);
        try {
            if (!p.waitFor(seconds + 30, TimeUnit.SECONDS)) {
                throw new IOException("wrk did not finish within " + (seconds + 30) + " s");
            }
        } finally {
            Children.end(p);
        }
        return parse(Files.readString(output));
    }

    static LoadResult parse(String out) throws IOException {
        Matcher rps = RPS.matcher(out);
        Matcher total = TOTAL.matcher(out);
        if (!rps.find() || !total.find()) {
            throw new IOException("cannot read wrk's output:\n" + out);
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(out);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        return new LoadResult("wrk", Double.parseDouble(rps.group(1)), percentile(out, "50%"), percentile(out, "99%"),
                Long.parseLong(total.group(1)), errors);
    }

    /** A line of wrk's latency distribution, e.g. {@code 99%    1.23ms}, in milliseconds. */
    private static double percentile(String out, String label) throws IOException {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE)
                .matcher(out);
        if (!m.find()) {
            throw new IOException("wrk printed no " + label + " latency:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "us" -> v / 1000.0;
            case "ms" -> v;
            case "s" -> v * 1000.0;
            default -> v * 60_000.0;
        };
    }
}
