package dev.harp.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher, {@code target/harp}, and {@code java -jar target/harp.jar}, as a user runs them: from another
 * folder, through a symlink, with arguments holding spaces; the launcher really uses the CDS archive, forwards
 * signals (it {@code exec}s java) and keeps the CLI's exit statuses. Run by failsafe in {@code verify}, after
 * {@code package} made them.
 */
class LauncherIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String HAR = "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"hand\",\"version\":\"1\"},"
            + "\"entries\":[{\"startedDateTime\":\"2026-01-01T00:00:00.000Z\",\"time\":1,\"request\":{\"method\":\"GET\","
            + "\"url\":\"http://127.0.0.1:9/x\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[],\"queryString\":[],"
            + "\"cookies\":[],\"headersSize\":-1,\"bodySize\":0},\"response\":{\"status\":200,\"statusText\":\"OK\","
            + "\"httpVersion\":\"HTTP/1.1\",\"headers\":[{\"name\":\"Content-Type\",\"value\":\"text/plain\"}],"
            + "\"cookies\":[],\"content\":{\"size\":2,\"mimeType\":\"text/plain\",\"text\":\"hi\"},\"redirectURL\":\"\","
            + "\"headersSize\":-1,\"bodySize\":2},\"cache\":{},\"timings\":{\"send\":0,\"wait\":1,\"receive\":0}}]}}\n";

    private static Path target;

    @TempDir
    Path work;

    @BeforeAll
    static void builtLauncher() {
        assumeFalse(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows"),
                "the launcher is a POSIX sh script; Windows users run java -jar harp.jar");
        target = Path.of(System.getProperty("harp.target", "target")).toAbsolutePath();
        assertThat(target.resolve("harp")).as("the build's launcher").isExecutable();
        assertThat(target.resolve("harp.jar")).as("the build's executable jar").isRegularFile();
    }

    @Test
    void launcherServesFromAnotherFolderWithSpacesInItsArguments() throws Exception {
        Path folder = Files.createDirectories(work.resolve("fixtures with spaces"));
        Path har = Files.writeString(folder.resolve("my flows.har"), HAR);
        try (CliProcess harp = start(work, command(target.resolve("harp").toString(), har), Map.of())) {
            assertThat(harp.output()).contains("HAR " + har);
            assertThat(get(harp, "http://127.0.0.1:9/x")).isEqualTo("hi");
            assertThat(ProcessHandle.of(harp.pid()).flatMap(h -> h.info().command()).orElse("java"))
                    .as("the launcher execs java: the process is java itself, which the signals reach")
                    .endsWith("java");
            assertThat(harp.stop()).as("exit status after SIGTERM").isIn(0, 143);
            assertThat(harp.output()).contains("Harp replay summary: 1 hit");
        }
    }

    @Test
    void launcherUsesTheArchive() throws Exception {
        assumeFalse(Boolean.getBoolean("harp.cds.skip"), "built with -Dharp.cds.skip: no archive to use");
        assertThat(target.resolve("harp.jsa")).as("the CDS archive the build trains (see its WARNING if missing)")
                .isRegularFile();
        Path har = Files.writeString(work.resolve("flows.har"), HAR);
        Path classLoads = work.resolve("class-load.log");
        // -Xshare:on makes a JVM that cannot map the archive fail instead of silently starting without it
        String opts = "-Xshare:on -Xlog:class+load=info:file=" + classLoads;
        try (CliProcess harp = start(work, command(target.resolve("harp").toString(), har),
                Map.of("HARP_JAVA_OPTS", opts))) {
            assertThat(get(harp, "http://127.0.0.1:9/x")).isEqualTo("hi");
            harp.stop();
        }
        assertThat(Files.readString(classLoads))
                .contains("dev.harp.cli.Main source: shared objects file")
                .contains("dev.harp.cli.Flags source: shared objects file")
                .contains("io.undertow.server.HttpServerExchange source: shared objects file");
    }

    @Test
    void javaDashJarStillWorks() throws Exception {
        Path har = Files.writeString(work.resolve("flows.har"), HAR);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-jar"));
        cmd.addAll(command(target.resolve("harp.jar").toString(), har));
        try (CliProcess harp = start(work, cmd, Map.of())) {
            assertThat(get(harp, "http://127.0.0.1:9/x")).isEqualTo("hi");
            harp.stop();
        }
    }

    @Test
    void launcherThroughASymlinkKeepsTheExitStatuses() throws Exception {
        Path link = Files.createSymbolicLink(Files.createDirectories(work.resolve("bin dir")).resolve("harp"),
                target.resolve("harp"));
        assertThat(runToEnd(List.of(link.toString(), "--version"))).isZero();
        assertThat(runToEnd(List.of(link.toString(), "--no-such-flag"))).as("bad flag").isEqualTo(2);
    }

    private List<String> command(String program, Path har) {
        return new ArrayList<>(List.of(program, "--mode", "replay", "--har", har.toString(), "--port", "0",
                "--ca-dir", work.resolve("ca").toString()));
    }

    private int runToEnd(List<String> command) throws Exception {
        Process p = builder(work, command, Map.of()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("ends in time").isTrue();
        return p.exitValue();
    }

    private static ProcessBuilder builder(Path cwd, List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(name -> name.startsWith("HARP_") || name.equals("CI"));
        pb.environment().put("HARP_CA_DIR", cwd.resolve("ca").toString());
        pb.environment().putAll(env);
        return pb;
    }

    /** Starts Harp as {@link #builder} would, waiting (bounded) for its {@code listening on} line. */
    private static CliProcess start(Path cwd, List<String> command, Map<String, String> env) throws Exception {
        Map<String, String> changes = new HashMap<>();
        System.getenv().keySet().stream().filter(name -> name.startsWith("HARP_") || name.equals("CI"))
                .forEach(name -> changes.put(name, null));
        changes.put("HARP_CA_DIR", cwd.resolve("ca").toString());
        changes.putAll(env);
        return CliProcess.start(cwd, command, changes);
    }

    /** GET through the proxy; the status must be 200. */
    private static String get(CliProcess harp, String url) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", harp.port()))).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(BOUND).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of " + url).isEqualTo(200);
        return response.body();
    }
}
