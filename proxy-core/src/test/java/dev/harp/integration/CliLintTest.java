package dev.harp.integration;

import dev.harp.lint.FixtureLintTest;
import dev.harp.lint.LintHars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --lint PATH}: the CLI as a child process, its output and its exit status (0 clean, 1 findings, 2 bad input). */
class CliLintTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ChildProcess.Result harp(String... args) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("HARP_MODE", null);
        env.put("CI", null);
        return ChildProcess.run(CliProcess.command(dir.resolve("ca"), args), dir, env, BOUND);
    }

    @Test
    void findingsArePrintedOnePerLineWithASummaryAndExit1() throws Exception {
        Path fixtures = Files.createDirectories(dir.resolve("fixtures"));
        Files.writeString(fixtures.resolve("broken.har"), "{\"log\":{\"entries\":[\n{\"request\":");
        Files.writeString(fixtures.resolve("leaky.har"), FixtureLintTest.leaky());

        ChildProcess.Result r = harp("--lint", "fixtures");

        assertThat(r.exit()).as(r.both()).isEqualTo(1);
        assertThat(r.stdout().lines().toList()).as(r.both()).containsExactly(
                "fixtures/broken.har:2:12: unexpected end of input inside an entry (log.entries[0].request)",
                "fixtures/leaky.har: entry #1: unredacted secret in query parameter token (value under a secret name)",
                "fixtures/leaky.har: entry #2: unredacted secret in request body JSON member $.password (value under a secret name)",
                "fixtures/leaky.har: entry #3: unredacted secret in request header X-Trace (JWT)",
                "Harp checked 2 files: 4 findings (1 malformed file, 3 secrets)");
        assertThat(r.both()).doesNotContain("tok-planted").doesNotContain("pw-planted").doesNotContain(LintHars.JWT);
    }

    @Test
    void cleanFixturesExit0AndTheRedactionFlagsApply() throws Exception {
        Path file = Files.writeString(dir.resolve("login.har"), LintHars.har(LintHars.entry("GET", "https://api.test/x",
                "", "", 200, "", "{\"size\":20,\"mimeType\":\"application/json\",\"text\":\"{\\\"greeting\\\":\\\"hello\\\"}\"}")));

        ChildProcess.Result clean = harp("--lint", file.toString());
        assertThat(clean.exit()).as(clean.both()).isZero();
        assertThat(clean.stdout().strip()).isEqualTo("Harp checked 1 file: 0 findings");

        ChildProcess.Result redacted = harp("--lint", file.toString(), "--redact", "greeting");
        assertThat(redacted.exit()).as(redacted.both()).isEqualTo(1);
        assertThat(redacted.stdout()).contains(file + ": entry #1: unredacted secret in response body JSON member $.greeting");
    }

    @Test
    void aMissingPathExits2WithOneLine() throws Exception {
        ChildProcess.Result r = harp("--lint", "no-such-fixtures");

        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr().strip()).as(r.both()).isEqualTo("harp: no-such-fixtures: no such file or folder to lint");
        assertThat(r.stdout()).isEmpty();
    }
}
