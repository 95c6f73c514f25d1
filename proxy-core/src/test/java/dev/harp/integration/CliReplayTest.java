package dev.harp.integration;

import dev.harp.testing.TestUpstream;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line in replay, run as a child JVM from the test classpath ({@code java -cp ... dev.harp.cli.Main}),
 * so it needs no packaged jar: bad HAR files exit with one clear message, and a record then replay round trip
 * works for curl.
 */
class CliReplayTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    static Path caDir;
    @TempDir
    Path dir;

    @Test
    void aMalformedHarExits2NamingFileLineAndColumn() throws Exception {
        Path bad = dir.resolve("bad.har");
        Files.writeString(bad, "{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"entries\": [\n      {\"request\": ,}\n");
        ChildProcess.Result r = harp("--mode", "replay", "--har", bad.toString(), "--port", "0");
        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr()).as(r.both()).containsPattern(Pattern.quote(bad.toString()) + ":5:\\d+: ");
        assertThat(r.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.stdout()).doesNotContain("listening on");
    }

    @Test
    void aMissingHarExitsNonZeroNamingTheFile() throws Exception {
        Path missing = dir.resolve("never-recorded.har");
        ChildProcess.Result r = harp("--mode", "replay", "--har", missing.toString(), "--port", "0");
        assertThat(r.exit()).as(r.both()).isNotZero();
        assertThat(r.stderr()).as(r.both()).contains(missing.toString());
        assertThat(r.stderr()).as("no stack trace").doesNotContain("\tat ");
        assertThat(r.stdout()).doesNotContain("listening on");
    }

    @Test
    void recordThenReplayWithCurl() throws Exception {
        Prerequisites.require(Prerequisite.CURL);
        Path har = dir.resolve("curl.har");
        String url;
        String recordedBody;
        try (TestUpstream upstream = TestUpstream.start()) {
            url = upstream.url("/json");
            try (CliProcess recording = CliProcess.start(dir, command("--mode", "record", "--har", har.toString(), "--port", "0"),
                    childEnvironment())) {
                recordedBody = curl(recording.proxy(), url).stdout();
                assertThat(recordedBody).isEqualTo("{\"name\":\"harp\",\"unicode\":\"żółw 🐢\"}");
                assertThat(recording.stop()).as("SIGTERM").isIn(0, 143);
                assertThat(recording.output()).contains("Harp wrote " + har).doesNotContain("WARN").doesNotContain("Exception");
            }
            assertThat(upstream.requests()).isEqualTo(1);
        }
        assertThat(Files.readString(har)).contains("\"name\": \"Harp\"").contains(url);

        try (CliProcess replaying = CliProcess.start(dir, command("--mode", "replay", "--har", har.toString(), "--port", "0"),
                childEnvironment())) {
            assertThat(curl(replaying.proxy(), url).stdout()).isEqualTo(recordedBody);
            ChildProcess.Result miss = ChildProcess.run(List.of("curl", "-sS", "--max-time", "10", "-x", replaying.proxy(),
                    "-o", dir.resolve("miss.txt").toString(), "-w", "%{http_code}", url + "?not=recorded"), dir, Map.of(), BOUND);
            assertThat(miss.stdout()).isEqualTo("502");
            assertThat(Files.readString(dir.resolve("miss.txt"))).as("the miss suggests the option as a CLI flag")
                    .contains("      option: --ignore-query-param not\n").doesNotContain("ignoreQueryParams");
            assertThat(replaying.stop()).isIn(0, 143);
            assertThat(replaying.output()).contains("Harp replay summary: 1 hit, 1 miss, 0 of 1 recorded entry unused")
                    .doesNotContain("WARN").doesNotContain("Exception");
        }
    }

    @Test
    void keepValueKeepsANamedValueInTheRecording() throws Exception {
        Prerequisites.require(Prerequisite.CURL);
        Path har = dir.resolve("kept.har");
        try (TestUpstream upstream = TestUpstream.start();
             CliProcess recording = CliProcess.start(dir, command("--mode", "record", "--har", har.toString(), "--port", "0",
                     "--keep-value", "session"), childEnvironment())) {
            curl(recording.proxy(), upstream.url("/query?session=abc&token=t0k"));
            assertThat(recording.stop()).as("SIGTERM").isIn(0, 143);
        }
        assertThat(Files.readString(har)).contains("/query?session=abc&token=REDACTED");
    }

    private ChildProcess.Result curl(String proxy, String url) throws IOException {
        ChildProcess.Result r = ChildProcess.run(List.of("curl", "-sS", "--fail", "--max-time", "10", "-x", proxy, url),
                dir, Map.of(), BOUND);
        assertThat(r.exit()).as(r.both()).isZero();
        return r;
    }

    private ChildProcess.Result harp(String... args) throws IOException {
        return ChildProcess.run(command(args), dir, childEnvironment(), BOUND);
    }

    private static List<String> command(String... args) {
        return CliProcess.command(caDir, args);
    }

    /** The machine's environment minus what would change the mode. */
    private static Map<String, String> childEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("HARP_MODE", null);
        env.put("CI", null);
        return env;
    }
}
