package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.replay.ReplayResponse;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static dev.harp.usage.UsageFixtures.har;
import static dev.harp.usage.UsageFixtures.hashes;
import static dev.harp.usage.UsageFixtures.urls;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code harp prune} end to end: a fixture replayed through a real Harp by the JDK client, the use written as the
 * faces write it (entries served and unused as the proxy counted them), the command run as a child process in the
 * project folder with its defaults, and the pruned fixture replayed again.
 */
class CliPruneTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String API = "http://api.test/";

    @TempDir
    Path dir;

    private ChildProcess.Result harp(String... args) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("HARP_MODE", null);
        env.put("CI", null);
        List<String> command = new java.util.ArrayList<>(CliProcess.command(dir.resolve("ca"), args));
        command.subList(command.size() - 2, command.size()).clear(); // no --ca-dir: prune has no CA
        return ChildProcess.run(command, dir, env, BOUND);
    }

    @Test
    void whatATestReplayedIsKeptWhatItNeverAskedForAndOrphansGoOnlyWithApply() throws Exception {
        Path fixture = har(dir.resolve("src/test/resources/harp/WeatherTest/forecast.har"),
                API + "today", API + "tomorrow", API + "week", API + "radar");
        Path orphan = har(dir.resolve("src/test/resources/harp/OldTest/gone.har"), API + "old");
        // compiled test classes as the build left them: OldTest is not among them (deleted), so its fixture may go
        Files.createDirectories(dir.resolve("target/test-classes/it"));
        Files.write(dir.resolve("target/test-classes/it/WeatherTest.class"), new byte[] {1});
        Instant started = Instant.now();
        String sha = UsageLog.sha256(fixture);
        List<Integer> unused;
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, fixture).start()) {
            HttpClient client = Proxied.client(harp);
            assertThat(get(client, API + "today").statusCode()).isEqualTo(200);
            assertThat(get(client, API + "week").statusCode()).isEqualTo(200);
            unused = harp.unusedEntries().stream().map(ReplayResponse::entryIndex).sorted().toList();
        }
        assertThat(unused).containsExactly(1, 3);
        UsageLog.at(dir.resolve("target/harp")).write(FixtureUse.builder(fixture, Face.JUNIT, "WeatherTest.forecast()")
                .userId("[engine:junit-jupiter]/[class:com.example.WeatherTest]/[method:forecast()]")
                .outcome(FixtureUse.Outcome.PASSED).mode(Mode.REPLAY, "default").started(started)
                .finished(Instant.now()).existed(true).sha256(sha).entries(4).hits(2).unused(unused).build());
        Map<Path, String> before = hashes(dir.resolve("src"));

        ChildProcess.Result dry = harp("prune");

        assertThat(dry.exit()).as(dry.both()).isZero();
        assertThat(dry.stdout().lines().toList()).as(dry.both()).containsExactly(
                "remove 2 of 4 entries from src/test/resources/harp/WeatherTest/forecast.har:",
                "  entry 1: GET http://api.test/tomorrow -> 200",
                "  entry 3: GET http://api.test/radar -> 200",
                "delete src/test/resources/harp/OldTest/gone.har (no test opened it)",
                "would remove 2 entries from 1 fixture, 1 fixture file and 0 side files; 0 fixtures left alone, "
                        + "0 fully used",
                "Dry run: nothing changed; run with --apply to do it.");
        assertThat(hashes(dir.resolve("src"))).isEqualTo(before);

        ChildProcess.Result applied = harp("prune", "--apply");

        assertThat(applied.exit()).as(applied.both()).isZero();
        assertThat(applied.stdout().lines().toList()).as(applied.both()).containsExactly(
                "removed 2 of 4 entries from src/test/resources/harp/WeatherTest/forecast.har",
                "deleted src/test/resources/harp/OldTest/gone.har (no test opened it)",
                "removed 2 entries, 1 fixture file and 0 side files");
        assertThat(urls(fixture)).containsExactly(API + "today", API + "week");
        assertThat(orphan).doesNotExist();
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, fixture).start()) {
            HttpClient client = Proxied.client(harp);
            for (String path : List.of("today", "week")) {
                HttpResponse<byte[]> hit = get(client, API + path);
                assertThat(hit.statusCode()).as(path).isEqualTo(200);
                assertThat(text(hit)).isEqualTo("body of " + API + path);
            }
            assertThat(get(client, API + "radar").statusCode()).isEqualTo(502);
        }
    }

    @Test
    void badInputExits2NamingTheFolder() throws Exception {
        ChildProcess.Result noUsage = harp("prune", "--fixtures", "fixtures");

        assertThat(noUsage.exit()).as(noUsage.both()).isEqualTo(2);
        assertThat(noUsage.stderr().strip()).isEqualTo("harp prune: no usage data: target/harp does not exist "
                + "(run the tests with Harp first, then prune)");
        assertThat(noUsage.stdout()).isEmpty();
        Files.createDirectories(dir.resolve("target/harp"));

        ChildProcess.Result noFixtures = harp("prune", "--fixtures", "fixtures");

        assertThat(noFixtures.exit()).as(noFixtures.both()).isEqualTo(2);
        assertThat(noFixtures.stderr().strip()).isEqualTo("harp prune: the fixture folder fixtures does not exist");
    }
}
