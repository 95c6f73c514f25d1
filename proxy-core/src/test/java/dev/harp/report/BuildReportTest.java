package dev.harp.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.MissView;
import dev.harp.usage.RequestView;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.harp.report.ReportData.har;
import static dev.harp.report.ReportData.queryMiss;
import static dev.harp.report.ReportData.use;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report made from usage files and HARs written to a temporary project: the page's sections, escaping, links,
 * the side-by-side of a planted miss, its size caps, summary.json and the console summary.
 */
class BuildReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path fixtures() {
        return dir.resolve("src/test/resources");
    }

    private Path usageDir() {
        return dir.resolve("target/harp");
    }

    private BuildReport report() throws IOException {
        return BuildReport.read(usageDir(), List.of(fixtures()), dir);
    }

    /** weather.har: 3 entries, a test hit #0, missed with page=2 against page=1, never asked for #1 and #2. */
    private Path plantedBuild() throws IOException {
        Path weather = har(fixtures().resolve("harp/weather.har"), "https://api.test/forecast?page=1&lang=en",
                "https://api.test/alerts?access_token=s3cr3t-value", "https://api.test/radar");
        har(fixtures().resolve("harp/old stuff/gone ż.har"), "https://api.test/old");
        UsageLog.at(usageDir()).write(use(weather, "WeatherTest.forecast()", 3)
                .outcome(FixtureUse.Outcome.FAILED).hits(1).unused(List.of(1, 2))
                .miss(queryMiss("https://api.test/forecast?page=2&lang=en", "https://api.test/forecast?page=1&lang=en",
                        "page", "2", "1"))
                .build());
        return weather;
    }

    @Test
    void everySectionIsThereInOrderWithThePlantedMissUnusedEntriesAndOrphan() throws IOException {
        plantedBuild();
        BuildReport report = report();
        BuildReport.Written written = report.write(usageDir());
        String page = Files.readString(written.html());

        int at = -1;
        for (String id : ReportPage.SECTIONS) {
            int next = page.indexOf("<section id=\"" + id + "\">");
            assertThat(next).as("section " + id + " after the previous one").isGreaterThan(at);
            at = next;
        }
        assertThat(page).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'\">");
        assertThat(report.totals().misses()).isEqualTo(1);
        assertThat(report.totals().unusedEntries()).isEqualTo(2);
        assertThat(report.totals().orphans()).isEqualTo(1);
        // unused entries: method, URL (redacted as logs show it), status
        assertThat(page).contains("<tr class=\"unused-entry\"><td class=\"n\">#1</td><td>GET</td>"
                + "<td>https://api.test/alerts?access_token=REDACTED</td><td class=\"n\">200</td></tr>");
        assertThat(page).doesNotContain("s3cr3t-value");
        // fixtures by size and age: the newest entry's own date
        assertThat(page).contains("2026-03-01 (");
        // pruning leaves the failed test's fixture alone and says why
        assertThat(section(page, "blocked")).contains("WeatherTest.forecast() failed");
        assertThat(section(page, "orphans")).contains("gone ż.har");
    }

    @Test
    void thePlantedMissShowsLiveAndRecordedSideBySideWithTheDifferingQueryParameterMarked() throws IOException {
        plantedBuild();
        String misses = section(Files.readString(report().write(usageDir()).html()), "misses");

        assertThat(misses).contains("<h3>WeatherTest.forecast()</h3>");
        assertThat(misses).contains("<tr class=\"query diff\"><th>?page <span class=\"flag\">≠</span></th>"
                + "<td>2</td><td>1</td></tr>");
        assertThat(misses).contains("<tr class=\"query\"><th>?lang</th><td>en</td><td>en</td></tr>");
        assertThat(misses).contains("<tr class=\"path\"><th>path</th><td>/forecast</td><td>/forecast</td></tr>");
        assertThat(misses).contains("CLI <code>--ignore-query-param page</code>")
                .contains("JUnit <code>ignoreQueryParams = &quot;page&quot;</code>")
                .contains("Maven <code>&lt;ignoreQueryParams&gt;page&lt;/ignoreQueryParams&gt;</code>");
        assertThat(Pattern.compile("class=\"[^\"]*\\bdiff\\b").matcher(misses).results().count())
                .as("only the differing row is marked").isEqualTo(1);
    }

    @Test
    void hostileTextFromUsageFilesAndHarsIsEscapedAndThePageLoadsNothing() throws IOException {
        String hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
        Path har = har(fixtures().resolve("harp/h.har"), "https://api.test/x?q=%3Cscript%3E",
                "https://api.test/<img src=y>");
        RequestView live = new RequestView("GET", "https://api.test/x?q=" + hostile,
                List.of(dev.harp.replay.NameValue.of("X-Evil", hostile)), hostile, hostile.length(), false);
        MissView.DifferenceView d = new MissView.DifferenceView("QUERY", "query parameter \"q\": " + hostile,
                new MissView.SuggestionView("ignoreQueryParams", "q", false, hostile, hostile, hostile));
        UsageLog.at(usageDir()).write(use(har, hostile, 2).hits(0).unused(List.of(0, 1)).mode(dev.harp.Mode.REPLAY,
                        hostile).selection("test=" + hostile)
                .miss(new MissView("NO_MATCH", live, List.of(new MissView.Closest(List.of(0), 50,
                        ReportData.get("https://api.test/x?q=" + hostile), List.of(d))), hostile)).build());

        String page = Files.readString(report().write(usageDir()).html());

        assertThat(page).doesNotContain("<script").doesNotContain("<img").doesNotContain("onerror=alert(2)>");
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x");
        // nothing that would fetch anything: no scripts, no sources, no stylesheets or imports, no external links
        assertThat(page).doesNotContainPattern("(?i)<(script|img|link|iframe|object|embed|base)\\b")
                .doesNotContainPattern("(?i)<[^>]*\\b(src|srcset|background|action|formaction)=")
                .doesNotContainPattern("(?i)url\\(|@import");
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(page);
        while (href.find()) {
            assertThat(href.group(1)).as("links stay in the page or go to fixture files")
                    .matches("#[a-z]+|[A-Za-z0-9._~%/-]+\\.har");
        }
    }

    @Test
    void linksToFixtureFilesAreRelativeAndPercentEncodedAndResolveToTheFiles() throws IOException {
        plantedBuild();
        Path out = dir.resolve("build/reports/harp");
        String page = Files.readString(report().write(out).html());
        Matcher href = Pattern.compile("<a class=\"fixture\" href=\"([^\"]*)\"").matcher(page);
        List<Path> targets = new ArrayList<>();
        while (href.find()) {
            String h = href.group(1).replace("&amp;", "&");
            assertThat(h).startsWith("../../../src/test/resources/harp/").doesNotContain(" ");
            targets.add(Path.of(out.resolve("report.html").toUri().resolve(URI.create(h))));
        }
        assertThat(targets).contains(fixtures().resolve("harp/weather.har"),
                fixtures().resolve("harp/old stuff/gone ż.har"));
        assertThat(targets).allSatisfy(t -> assertThat(t).isRegularFile());
        assertThat(page).contains("href=\"../../../src/test/resources/harp/old%20stuff/gone%20%C5%BC.har\"");
    }

    @Test
    void longListsAreCutAndSayHowManyMoreSoThePageStaysSmall() throws IOException {
        String body = "x".repeat(RequestView.BODY_LIMIT);
        for (int t = 0; t < 120; t++) {
            Path har = har(fixtures().resolve("harp/t" + t + ".har"), "https://api.test/a?page=1");
            FixtureUse.Builder b = use(har, "T" + t + ".test()", 1).hits(0);
            for (int m = 0; m < 20; m++) {
                MissView miss = queryMiss("https://api.test/a?page=" + m + "&" + "p=v&".repeat(200),
                        "https://api.test/a?page=1", "page", "" + m, "1");
                b.miss(new MissView(miss.reason(), new RequestView("POST", miss.live().url(), miss.live().headers(),
                        body, body.length(), false), miss.closest(), body));
            }
            UsageLog.at(usageDir()).write(b.build());
        }
        for (int o = 0; o < 400; o++) {
            har(fixtures().resolve("orphans/o" + o + ".har"), "https://api.test/o");
        }

        BuildReport.Written written = report().write(usageDir());
        String page = Files.readString(written.html());

        assertThat(page).contains("… and 70 more tests with misses")
                .contains("… and 15 more misses of this test")
                .contains("… and 100 more files no test opened")
                .contains("… and 220 more fixtures");
        assertThat(Files.size(written.html())).as("page size").isLessThan(1_500_000L); // 250 misses shown, about 4 KB each
        JsonNode json = JSON.readTree(written.json().toFile());
        assertThat(json.get("testsWithMisses")).hasSize(120);
        assertThat(json.get("fixtures")).hasSize(520);
        assertThat(report().summaryLines(written.html())).hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void summaryJsonHoldsCountsFixturesAndTestsWithMisses() throws IOException {
        plantedBuild();
        BuildReport.Written written = report().write(usageDir());
        JsonNode json = JSON.readTree(written.json().toFile());

        assertThat(json.get("harpReport").asInt()).isEqualTo(BuildReport.VERSION);
        assertThat(json.get("complete").asBoolean()).isTrue();
        JsonNode counts = json.get("counts");
        assertThat(counts.get("uses").asInt()).isEqualTo(1);
        assertThat(counts.get("misses").asInt()).isEqualTo(1);
        assertThat(counts.get("testsWithMisses").asInt()).isEqualTo(1);
        assertThat(counts.get("unusedEntries").asInt()).isEqualTo(2);
        assertThat(counts.get("orphans").asInt()).isEqualTo(1);
        assertThat(counts.get("fixtures").asInt()).isEqualTo(2);
        JsonNode weather = null;
        JsonNode orphan = null;
        for (JsonNode f : json.get("fixtures")) {
            if (f.get("path").asText().endsWith("weather.har")) {
                weather = f;
            } else {
                orphan = f;
            }
        }
        assertThat(weather.get("path").asText()).isEqualTo("src/test/resources/harp/weather.har");
        assertThat(weather.get("entries").asInt()).isEqualTo(3);
        assertThat(weather.get("hits").asInt()).isEqualTo(1);
        assertThat(weather.get("size").asLong()).isEqualTo(Files.size(fixtures().resolve("harp/weather.har")));
        assertThat(weather.get("unused").toString()).isEqualTo("[1,2]");
        assertThat(weather.get("orphan").asBoolean()).isFalse();
        assertThat(weather.get("prunable").asBoolean()).isFalse();
        assertThat(weather.get("blocker").asText()).contains("failed");
        assertThat(weather.get("newestEntry").asText()).isEqualTo("2026-03-01T10:02:00Z");
        assertThat(orphan.get("orphan").asBoolean()).isTrue();
        assertThat(orphan.get("prunable").asBoolean()).isFalse(); // "old stuff" is no test class's folder
        assertThat(orphan.get("blocker").asText()).contains("not in a test class's folder");
        JsonNode test = json.get("testsWithMisses").get(0);
        assertThat(test.get("user").asText()).isEqualTo("WeatherTest.forecast()");
        assertThat(test.get("fixture").asText()).isEqualTo("src/test/resources/harp/weather.har");
        assertThat(test.get("outcome").asText()).isEqualTo("failed");
        assertThat(test.get("misses").asInt()).isEqualTo(1);
    }

    @Test
    void theConsoleSummaryFitsOneScreenAndNamesThePage() throws IOException {
        plantedBuild();
        Files.writeString(Files.createDirectories(usageDir().resolve(UsageLog.USES)).resolve("broken.json"), "{");
        BuildReport report = report();
        Path html = report.write(usageDir()).html();

        List<String> lines = report.summaryLines(html);

        assertThat(lines).hasSizeLessThanOrEqualTo(15);
        assertThat(lines.get(0)).isEqualTo("Harp report: 1 use by 1 test of 2 fixtures, mode replay (from @Harp(mode)): "
                + "1 hit, 1 miss");
        assertThat(lines).contains("    WeatherTest.forecast(): 1 miss in src/test/resources/harp/weather.har (failed)",
                "  unused entries: 2 in 1 fixture; fixture files no test opened: 1; left alone by pruning: 2",
                "  usage files that could not be read: 1 (listed in the report)");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("  report: " + html);
        assertThat(section(Files.readString(html), "summary")).contains("broken.json");
    }

    @Test
    void anEmptyUsageFolderStillReportsTheFixturesAndSaysThereIsNoData() throws IOException {
        har(fixtures().resolve("a.har"), "https://api.test/a");
        BuildReport report = report();
        assertThat(report.hasData()).isFalse();
        Path html = report.write(usageDir()).html();
        assertThat(report.summaryLines(html).get(0)).startsWith("Harp report: no usage data in target/harp");
        assertThat(Files.readString(html)).contains("the build left no usage data");
    }

    private static String section(String page, String id) {
        int start = page.indexOf("<section id=\"" + id + "\">");
        assertThat(start).as("section " + id).isNotNegative();
        return page.substring(start, page.indexOf("</section>", start));
    }
}
