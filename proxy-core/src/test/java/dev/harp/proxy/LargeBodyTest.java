package dev.harp.proxy;

import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies far larger than the proxy's heap stream through it: Harp runs in a child JVM with {@code -Xmx64m} and
 * moves a 256 MiB download and a 128 MiB upload while recording.
 */
class LargeBodyTest {
    private static final long DOWNLOAD = 256L * 1024 * 1024;
    private static final long UPLOAD = 128L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void largeBodiesStreamThroughASmallHeap() throws Exception {
        Path har = dir.resolve("large.har");
        try (TestUpstream upstream = TestUpstream.start()) {
            Process harp = startChild(har);
            try {
                int port = awaitPort(harp);
                HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port))).build();
                HttpResponse<InputStream> down = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/large?size=" + DOWNLOAD)))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
                long received;
                try (InputStream in = down.body()) {
                    received = in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                assertThat(down.statusCode()).isEqualTo(200);
                assertThat(received).isEqualTo(DOWNLOAD);

                HttpResponse<InputStream> up = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/echo")))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(UPLOAD)), UPLOAD))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = up.body()) {
                    assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).isEqualTo(UPLOAD);
                }
                assertThat(harp.isAlive()).as("the small-heap proxy survived").isTrue();
            } finally {
                harp.destroy();
                assertThat(harp.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
        }
        List<HarEntry> entries = HarReader.read(har).entries();
        assertThat(entries).hasSize(2);
        HarEntry download = entries.get(0);
        assertThat(download.response().bodySize()).isEqualTo(DOWNLOAD);
        assertThat(download.response().content().text()).isNull();
        assertThat(download.response().content().comment()).contains("larger than the capture limit");
        assertThat(entries.get(1).request().bodySize()).isEqualTo(UPLOAD);
    }

    private static Process startChild(Path har) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), "dev.harp.cli.Main",
                "--mode", "record", "--har", har.toString(), "--port", "0", "--ca-dir", har.getParent().resolve("ca").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("CI");
        pb.environment().remove("HARP_MODE");
        return pb.start();
    }

    private static int awaitPort(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on [^ ]*:(\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        StringBuilder seen = new StringBuilder();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the child ended
                    }
                }, "child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the child proxy did not start:\n" + seen);
    }

    private static InputStream zeros(long n) {
        return new InputStream() {
            long left = n;

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
