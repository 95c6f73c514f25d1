package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A HAR that breaks loading ends the start cleanly, in child JVMs with a small heap: through the API
 * {@link HarpServer#start} throws and the listener is gone (no half-started proxy answering 503); through the CLI one
 * line on stderr and exit 2, no stack trace, no hang. Also a HAR nested far too deep, through the CLI.
 */
class HostileHarStartTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A replay HAR with one body of {@code chars} characters: more than a small heap can hold as a string. */
    private Path hugeBodyHar(int chars) throws IOException {
        Path har = dir.resolve("huge.har");
        try (BufferedWriter w = Files.newBufferedWriter(har, StandardCharsets.UTF_8)) {
            w.write("{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"t\", \"version\": \"1\"}, \"entries\": ["
                    + "{\"request\": {\"method\": \"GET\", \"url\": \"http://huge.test/\"}, \"response\": {\"status\": 200,"
                    + " \"content\": {\"mimeType\": \"text/plain\", \"text\": \"");
            char[] chunk = new char[1 << 16];
            java.util.Arrays.fill(chunk, 'a');
            for (int left = chars; left > 0; left -= chunk.length) {
                w.write(chunk, 0, Math.min(left, chunk.length));
            }
            w.write("\"}}}]}}");
        }
        return har;
    }

    @Test
    void theApiThrowsAndReleasesThePortWhenTheHeapRunsOut() throws Exception {
        Path har = hugeBodyHar(40 << 20);
        int port = freePort();
        ChildProcess.Result r = ChildProcess.run(java("-Xmx48m", ApiProbe.class.getName(), har.toString(),
                Integer.toString(port), dir.resolve("ca").toString()), dir, Map.of(), BOUND);
        assertThat(r.stdout()).as(r.both())
                .contains("threw java.io.IOException: not enough memory to load " + har)
                .contains("port free");
    }

    @Test
    void theCliSaysOneLineAndExitsWhenTheHeapRunsOut() throws Exception {
        Path har = hugeBodyHar(40 << 20);
        ChildProcess.Result r = ChildProcess.run(cli("-Xmx48m", har), dir, Map.of(), BOUND);
        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr()).as(r.both()).doesNotContain("\tat ").doesNotContain("OutOfMemoryError");
        assertThat(errorLine(r)).startsWith("harp: not enough memory to load " + har + " (Java heap space)");
        assertThat(r.stdout()).doesNotContain("listening on");
    }

    @Test
    void theCliRejectsDeepNestingInOneLine() throws Exception {
        Path har = dir.resolve("deep.har");
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        Files.writeString(har, "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\": {\"method\": \"GET\","
                + " \"url\": \"http://deep.test/\", \"_initiator\": " + deep + "}, \"response\": {\"status\": 200}}]}}");
        ChildProcess.Result r = ChildProcess.run(cli("-Xss512k", har), dir, Map.of(), BOUND);
        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr()).as(r.both()).doesNotContain("\tat ");
        assertThat(errorLine(r)).as(r.both()).matches("harp: " + java.util.regex.Pattern.quote(har.toString())
                        + ":1:\\d+: JSON nested deeper than 1000 levels inside an entry \\(log\\.entries\\[0\\]"
                        + "\\.request\\._initiator.*\\)");
        assertThat(r.stdout()).doesNotContain("listening on");
    }

    /** The one line the CLI prints about the failure (log lines come before it). */
    private static String errorLine(ChildProcess.Result r) {
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("harp:")).toList();
        assertThat(lines).as(r.both()).hasSize(1);
        return lines.get(0);
    }

    private List<String> cli(String jvmOption, Path har) {
        return java(jvmOption, "dev.harp.cli.Main", "--mode", "replay", "--har", har.toString(), "--port", "0",
                "--ca-dir", dir.resolve("ca").toString());
    }

    private static List<String> java(String jvmOption, String mainClass, String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                jvmOption, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts replay through the API in its own JVM and prints how {@code start} ended and whether the port is free. */
    static final class ApiProbe {
        public static void main(String[] args) {
            Path har = Path.of(args[0]);
            int port = Integer.parseInt(args[1]);
            try (HarpServer harp = HarpServer.builder().mode(Mode.REPLAY).har(har).port(port)
                    .caDirectory(Path.of(args[2])).environment(Map.of()).systemProperties(Map.of()).start()) {
                System.out.println("started on " + harp.port());
                System.out.flush();
                Runtime.getRuntime().halt(1);
            } catch (Throwable e) {
                System.out.println("threw " + e.getClass().getName() + ": " + e.getMessage());
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                System.out.println("port free");
            } catch (IOException bound) {
                System.out.println("port still bound: " + bound.getMessage());
            }
            System.out.flush();
            Runtime.getRuntime().halt(0); // the child ends whatever threads a half-started proxy left running
        }
    }
}
