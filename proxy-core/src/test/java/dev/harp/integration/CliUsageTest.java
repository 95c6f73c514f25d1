package dev.harp.integration;

import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --usage-dir}: the command line writes what it did with the HAR when SIGTERM stops it. */
class CliUsageTest {
    private static final String API = "http://api.usage.test";

    @TempDir
    static Path caDir;
    @TempDir
    Path dir;

    @Test
    void aStoppedRunLeavesOneUseWithItsHitMissAndUnusedEntry() throws Exception {
        HandMadeHar fixture = new HandMadeHar();
        fixture.entry("GET", API + "/orders?page=1", 200, "application/json", "[1]");
        fixture.entry("GET", API + "/never-asked", 200, "text/plain", "dead weight");
        Path har = dir.resolve("api.har");
        fixture.write(har);
        String sha = UsageLog.sha256(har);
        Path usage = dir.resolve("usage");

        try (CliProcess harp = CliProcess.start(dir, CliProcess.command(caDir, "--mode", "replay", "--har",
                har.toString(), "--port", "0", "--usage-dir", usage.toString()), environment())) {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", harp.port())))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            assertThat(get(client, API + "/orders?page=1").statusCode()).isEqualTo(200);
            HttpResponse<String> miss = get(client, API + "/orders?page=2&token=s3cr3t-t0ken");
            assertThat(miss.statusCode()).isEqualTo(502);
            assertThat(harp.stop()).as("SIGTERM").isIn(0, 143);
            assertThat(harp.output()).contains("Harp usage data: " + usage.resolve(UsageLog.USES))
                    .doesNotContain("Exception");
        }

        UsageLog.Contents contents = UsageLog.at(usage).read();
        assertThat(contents.problems()).isEmpty();
        FixtureUse use = contents.uses().get(0);
        assertThat(contents.uses()).hasSize(1);
        assertThat(use.fixture()).isEqualTo(har.toAbsolutePath().normalize());
        assertThat(use.face()).isEqualTo(Face.CLI);
        assertThat(use.user()).isEqualTo("harp --har " + har);
        assertThat(use.outcome()).isEqualTo(FixtureUse.Outcome.UNKNOWN);
        assertThat(use.mode()).isEqualTo(Mode.REPLAY);
        assertThat(use.existed()).isTrue();
        assertThat(use.sha256()).isEqualTo(sha);
        assertThat(use.entries()).isEqualTo(2);
        assertThat(use.hits()).isEqualTo(1);
        assertThat(use.unused()).containsExactly(1);
        assertThat(use.recorded()).isZero();
        assertThat(use.misses()).singleElement().satisfies(m -> {
            assertThat(m.live().url()).contains("page=2").doesNotContain("s3cr3t-t0ken");
            assertThat(m.closest()).isNotEmpty();
            assertThat(m.closest().get(0).entries()).containsExactly(0);
            assertThat(m.text()).contains("--ignore-query-param");
        });
        assertThat(use.finished()).isAfterOrEqualTo(use.started());
        assertThat(Files.readString(usage.resolve(UsageLog.USES).resolve(
                Files.list(usage.resolve(UsageLog.USES)).findFirst().orElseThrow().getFileName())))
                .doesNotContain("s3cr3t-t0ken");
    }

    @Test
    void anUnwritableFolderIsOneLineAndTheRunStillStopsCleanly() throws Exception {
        HandMadeHar fixture = new HandMadeHar();
        fixture.entry("GET", API + "/a", 200, "text/plain", "a");
        Path har = dir.resolve("a.har");
        fixture.write(har);
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "a file where the folder should be");
        try (CliProcess harp = CliProcess.start(dir, CliProcess.command(caDir, "--mode", "replay", "--har",
                har.toString(), "--port", "0", "--usage-dir", blocker.toString()), environment())) {
            assertThat(harp.stop()).as("SIGTERM").isIn(0, 143);
            assertThat(harp.output()).contains("harp: could not write usage data under " + blocker)
                    .doesNotContain("\tat ");
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("HARP_MODE", null);
        env.put("CI", null);
        return env;
    }
}
