package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.TestUpstream;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAR files written by Playwright's {@code recordHar} replay through Harp: a committed one always, and, when Node,
 * Debian's Chromium and playwright-core are at hand, a fresh one that Chromium then loads again through Harp.
 */
class PlaywrightHarReplayTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String SHOWN = "harp żółw 🐢";

    @TempDir
    Path dir;

    @Test
    void theCommittedPlaywrightHarReplays() throws Exception {
        Path har = copyResource("/har/playwright-recorded.har", dir.resolve("playwright-recorded.har"));
        assertThat(Files.readString(har)).contains("\"name\":\"Playwright\"");
        ForeignHarReplayTest.replayWholeFile(har);

        String page = ForeignHarReplayTest.readJson(har).get("log").get("entries").get(0).get("request").get("url").asText();
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            HttpClient c = Proxied.client(harp);
            HttpResponse<byte[]> html = get(c, page);
            assertThat(html.statusCode()).isEqualTo(200);
            assertThat(text(html)).isEqualTo(TestUpstream.PAGE);
            HttpResponse<byte[]> json = get(c, page.replace("/page", "/json"));
            assertThat(text(json)).isEqualTo("{\"name\":\"harp\",\"unicode\":\"żółw 🐢\"}");
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        }
    }

    @Test
    void chromiumRecordsAHarWithPlaywrightThenLoadsThePageAgainThroughHarpReplay() throws Exception {
        Map<String, String> env = nodeEnvironment();
        Prerequisites.require(Prerequisite.CHROMIUM);
        Prerequisites.require(Prerequisite.PLAYWRIGHT,
                () -> ChildProcess.succeeds(List.of("node", "-e", "require.resolve('playwright-core')"), env));
        Path script = copyResource("/playwright/record-and-browse.js", dir.resolve("record-and-browse.js"));
        Path har = dir.resolve("fresh.har");

        String pageUrl;
        try (TestUpstream upstream = TestUpstream.start()) {
            pageUrl = upstream.url("/page");
            ChildProcess.Result recording = ChildProcess.run(List.of("node", script.toString(), pageUrl, "--har", har.toString()),
                    dir, env, Duration.ofSeconds(60));
            assertThat(recording.exit()).as(recording.both()).isZero();
            assertThat(recording.stdout()).as(recording.both()).contains("OUT " + SHOWN);
        }
        assertThat(ForeignHarReplayTest.readJson(har).get("log").get("creator").get("name").asText()).isEqualTo("Playwright");
        dev.harp.testing.HarSchema.assertValid(Files.readString(har));
        ForeignHarReplayTest.replayWholeFile(har);

        // the upstream is closed: the browser gets the page and its fetch from Harp alone
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            ChildProcess.Result browsing = ChildProcess.run(List.of("node", script.toString(), pageUrl,
                    "--proxy", "http://127.0.0.1:" + harp.port()), dir, env, Duration.ofSeconds(60));
            assertThat(browsing.exit()).as(browsing.both()).isZero();
            assertThat(browsing.stdout()).as(browsing.both())
                    .contains("RESPONSE 200 GET " + pageUrl)
                    .contains("RESPONSE 200 GET " + pageUrl.replace("/page", "/json"))
                    .contains("OUT " + SHOWN);
            assertThat(harp.replaySummary().hits()).isGreaterThanOrEqualTo(2);
            assertThat(harp.replaySummary().unused()).isZero();
            // the page's own requests all hit; Chromium may also ask for /favicon.ico (which Playwright leaves out of
            // its HAR) and, whatever the flags, for a component update of its own: those may miss
            java.net.URI page = java.net.URI.create(pageUrl);
            assertThat(harp.misses()).filteredOn(m -> m.request().host().equals(page.getHost()) && m.request().port() == page.getPort())
                    .allSatisfy(m -> assertThat(m.request().path()).isEqualTo("/favicon.ico"));
        }
    }

    /** This environment, with NODE_PATH extended by the global npm folder so a global playwright-core is found too. */
    static Map<String, String> nodeEnvironment() {
        Map<String, String> env = new HashMap<>();
        String nodePath = System.getenv().getOrDefault("NODE_PATH", "");
        try {
            ChildProcess.Result root = ChildProcess.run(List.of("npm", "root", "-g"), Path.of("").toAbsolutePath(), Map.of(),
                    Duration.ofSeconds(20));
            if (root.exit() == 0 && !root.stdout().isBlank()) {
                nodePath = nodePath.isEmpty() ? root.stdout().strip() : nodePath + File.pathSeparator + root.stdout().strip();
            }
        } catch (IOException noNpm) {
            // NODE_PATH alone
        }
        env.put("NODE_PATH", nodePath);
        return env;
    }

    static Path copyResource(String name, Path target) throws IOException {
        try (InputStream in = PlaywrightHarReplayTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, target);
        }
        return target;
    }
}
