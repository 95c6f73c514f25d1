package dev.harp.integration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.harp.lint.LintHars.entry;
import static dev.harp.lint.LintHars.har;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code harp diff OLD NEW}: the CLI as a child process, its output and its exit status (0 none, 1 drift, 2 bad input). */
class CliDiffTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ChildProcess.Result harp(String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, "dev.harp.cli.Main", "diff"));
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("HARP_MODE", null);
        env.put("CI", null);
        return ChildProcess.run(cmd, dir, env, BOUND);
    }

    private Path recording(String name, String price, int status) throws IOException {
        String content = "{\"size\":1,\"mimeType\":\"application/json\",\"text\":\"{\\\"price\\\":" + price
                + ",\\\"at\\\":\\\"2026-12-0" + (status % 7 + 1) + "T10:00:00Z\\\"}\"}";
        return Files.writeString(dir.resolve(name), har(entry("GET", "https://api.test/item", "", "", 200, "", content),
                entry("GET", "https://api.test/health", "", "", status, "", content)));
    }

    @Test
    void noDriftExits0AndSaysSo() throws Exception {
        recording("old.har", "12.5", 200);
        recording("new.har", "12.50", 200);

        ChildProcess.Result r = harp("old.har", "new.har");

        assertThat(r.exit()).as(r.both()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("Harp compared 1 file, 2 requests: no drift");
    }

    @Test
    void driftExits1WithOneBlockPerRequestAndJsonOnRequest() throws Exception {
        recording("old.har", "12.5", 200);
        recording("new.har", "\\\"12.5\\\"", 503);

        ChildProcess.Result text = harp("old.har", "new.har");
        assertThat(text.exit()).as(text.both()).isEqualTo(1);
        assertThat(text.stdout().lines().toList()).containsExactly(
                "new.har: GET https://api.test/item (entry #1)",
                "  breaking $.price: type changed, number 12.5 -> string \"12.5\"",
                "new.har: GET https://api.test/health (entry #2)",
                "  breaking status: 200 -> 503",
                "  breaking $.price: type changed, number 12.5 -> string \"12.5\"",
                "Harp compared 1 file, 2 requests: drift in 2 requests (3 breaking changes)");

        ChildProcess.Result json = harp("--json", "old.har", "new.har");
        assertThat(json.exit()).as(json.both()).isEqualTo(1);
        JsonNode report = HandMadeHar.JSON.readTree(json.stdout());
        assertThat(report.get("drift").asBoolean()).isTrue();
        assertThat(report.get("breakingChanges").asInt()).isEqualTo(3);
        assertThat(report.at("/changedRequests/1/changes/0/kind").asText()).isEqualTo("status");
        assertThat(report.at("/changedRequests/1/changes/0/old").asText()).isEqualTo("200");
        assertThat(report.at("/changedRequests/1/changes/0/new").asText()).isEqualTo("503");
    }

    @Test
    void aRecordingCutShortExits2NamingFileLineAndColumnAndIsLeftAsItWas() throws Exception {
        recording("old.har", "1", 200);
        // in Harp's own layout, cut inside its last entry: what HarRepair would truncate in place
        byte[] whole = dev.harp.har.HarWriter.toJson(dev.harp.har.HarReader.read(recording("whole.har", "1", 200)))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path cut = Files.write(dir.resolve("cut.har"), java.util.Arrays.copyOf(whole, whole.length * 3 / 4));
        byte[] before = Files.readAllBytes(cut);

        ChildProcess.Result r = harp("old.har", "cut.har");

        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr().strip()).as(r.both()).matches("harp diff: cut\\.har:\\d+:\\d+: .+");
        assertThat(r.stdout()).isEmpty();
        assertThat(Files.readAllBytes(cut)).as("diff never repairs in place").isEqualTo(before);
    }

    @Test
    void badInputExits2WithOneLineNamingTheFile() throws Exception {
        recording("old.har", "1", 200);
        Files.writeString(dir.resolve("broken.har"), "{\"log\":{\"entries\":[\n{\"request\":");

        ChildProcess.Result malformed = harp("old.har", "broken.har");
        assertThat(malformed.exit()).as(malformed.both()).isEqualTo(2);
        assertThat(malformed.stderr().strip()).as(malformed.both()).isEqualTo(
                "harp diff: broken.har:2:12: unexpected end of input inside an entry (log.entries[0].request)");
        assertThat(malformed.stdout()).isEmpty();

        ChildProcess.Result missing = harp("old.har", "nowhere.har");
        assertThat(missing.exit()).as(missing.both()).isEqualTo(2);
        assertThat(missing.stderr().strip()).isEqualTo("harp diff: nowhere.har: no such file or folder to compare");

        ChildProcess.Result usage = harp("old.har");
        assertThat(usage.exit()).as(usage.both()).isEqualTo(2);
        assertThat(usage.stderr()).contains("harp diff: Missing required parameter: 'NEW'");
    }
}
