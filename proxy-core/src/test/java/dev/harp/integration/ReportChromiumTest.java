package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.record.Redactor;
import dev.harp.replay.Miss;
import dev.harp.report.BuildReport;
import dev.harp.testing.TestUpstream;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.MissView;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.harp.integration.Proxied.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report page as a person opens it: Harp records a fixture from a local server, a replay misses on a query
 * parameter, the use is written as the faces write it, and headless Chromium (JavaScript off) opens the page built
 * from it. Every section renders, the planted miss's side-by-side marks the differing parameter, the links to
 * fixture files reach the files, and the page asks for nothing but itself.
 */
class ReportChromiumTest {
    private static final List<String> SECTIONS = List.of("summary", "misses", "fixtures", "unused", "orphans",
            "blocked");

    @TempDir
    Path dir;

    @Test
    void chromiumRendersTheReportOfAPlantedMissWithoutJavaScriptAndWithoutAnyRequest() throws Exception {
        Map<String, String> env = PlaywrightHarReplayTest.nodeEnvironment();
        Prerequisites.require(Prerequisite.CHROMIUM);
        Prerequisites.require(Prerequisite.PLAYWRIGHT,
                () -> ChildProcess.succeeds(List.of("node", "-e", "require.resolve('playwright-core')"), env));

        Path fixtures = dir.resolve("project/src/test/resources");
        Path har = Files.createDirectories(fixtures.resolve("harp")).resolve("weather forecast.har");
        List<Miss> misses;
        try (TestUpstream upstream = TestUpstream.start()) {
            try (HarpServer harp = Proxied.harp(Mode.RECORD, har).start()) {
                HttpClient client = Proxied.client(harp);
                assertThat(get(client, upstream.url("/json?page=1&lang=en")).statusCode()).isEqualTo(200);
                assertThat(get(client, upstream.url("/page")).statusCode()).isEqualTo(200);
            }
            Instant started = Instant.now();
            FixtureUse.Builder use = FixtureUse.builder(har, Face.JUNIT, "WeatherTest.forecast()")
                    .userId("[engine:junit-jupiter]/[class:WeatherTest]/[method:forecast()]")
                    .mode(Mode.REPLAY, "@Harp(mode)").started(started)
                    .existed(true).sha256(UsageLog.sha256(har)).entries(2);
            try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
                HttpClient client = Proxied.client(harp);
                assertThat(get(client, upstream.url("/json?page=2&lang=en")).statusCode()).isEqualTo(502);
                misses = harp.misses();
            }
            assertThat(misses).hasSize(1);
            use.outcome(FixtureUse.Outcome.FAILED).hits(0).unused(List.of(0, 1)).finished(Instant.now())
                    .miss(MissView.of(misses.get(0), Face.JUNIT, Redactor.defaults()));
            Path usageDir = dir.resolve("project/target/harp");
            UsageLog.at(usageDir).write(use.build());
        }
        Path orphan = Files.createDirectories(fixtures.resolve("harp/old")).resolve("no test żółw.har");
        Files.copy(har, orphan);

        Path usageDir = dir.resolve("project/target/harp");
        BuildReport.Written written = BuildReport.read(usageDir, List.of(fixtures), dir.resolve("project"))
                .write(usageDir);
        Path script = PlaywrightHarReplayTest.copyResource("/playwright/report.js", dir.resolve("report.js"));
        Path screenshot = dir.resolve("report.png");
        String pageUrl = written.html().toUri().toASCIIString();

        ChildProcess.Result run = ChildProcess.run(List.of("node", script.toString(), pageUrl, screenshot.toString()),
                dir, env, Duration.ofSeconds(60));

        assertThat(run.exit()).as(run.both()).isZero();
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).as(run.both()).contains("TITLE Harp fixture report");
        for (String id : SECTIONS) {
            assertThat(lines).as(run.both()).contains("SECTION " + id + " visible", "ANCHOR #" + id + " exists");
        }
        // the planted miss: page differs (marked, on a red background), lang does not
        assertThat(lines).as(run.both()).contains("DIFF ?page ≠|2|1|rgb(255, 224, 224)")
                .contains("QUERY ?lang|en|en|query")
                .filteredOn(l -> l.startsWith("DIFF ")).hasSize(1);
        // links to the fixture files: relative, percent-encoded, and they reach the files
        List<String> links = lines.stream().filter(l -> l.startsWith("LINK ")).toList();
        assertThat(links).as(run.both()).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" exists "));
        assertThat(links).anySatisfy(l -> assertThat(l).endsWith(" exists " + har))
                .anySatisfy(l -> assertThat(l).endsWith(" exists " + orphan));
        // nothing but the page itself was asked for (the script sees requests even when the page's policy blocks them)
        assertThat(lines.stream().filter(l -> l.startsWith("REQUEST ")).toList()).as(run.both())
                .containsExactly("REQUEST " + pageUrl);
        assertThat(screenshot).isNotEmptyFile();
    }
}
