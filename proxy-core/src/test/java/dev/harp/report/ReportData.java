package dev.harp.report;

import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.replay.NameValue;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.MissView;
import dev.harp.usage.RequestView;
import dev.harp.usage.UsageLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Small HARs and usage written by hand for the report tests. */
public final class ReportData {
    public static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");

    private ReportData() {
    }

    /** A HAR of GET entries with status 200, started a minute apart from {@code 2026-03-0{1}T...}. */
    public static Path har(Path file, String... urls) throws IOException {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < urls.length; i++) {
            if (i > 0) {
                entries.append(",\n");
            }
            entries.append("""
                    {"startedDateTime":"2026-03-01T10:%02d:00.000Z","time":1,
                     "request":{"method":"GET","url":"%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                       "queryString":[],"headersSize":-1,"bodySize":0},
                     "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                       "content":{"size":2,"mimeType":"text/plain","text":"ok"},"redirectURL":"","headersSize":-1,
                       "bodySize":2},
                     "cache":{},"timings":{"send":0,"wait":1,"receive":0}}""".formatted(i, urls[i]));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"Harp\",\"version\":\"1\"},"
                + "\"entries\":[\n" + entries + "\n]}}\n");
        // As a checkout leaves it: older than the build whose uses name it (pruning leaves newer files alone)
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(STARTED.minusSeconds(3600)));
        return file;
    }

    /** A use of the HAR as it is now by a test method. */
    public static FixtureUse.Builder use(Path har, String user, int entries) throws IOException {
        return FixtureUse.builder(har, Face.JUNIT, user)
                .userId("[engine:junit-jupiter]/[class:X]/[method:" + user + "]")
                .outcome(FixtureUse.Outcome.PASSED).mode(Mode.REPLAY, "@Harp(mode)")
                .started(STARTED).finished(STARTED.plusSeconds(2))
                .existed(true).sha256(UsageLog.sha256(har)).entries(entries);
    }

    public static RequestView get(String url, String... headers) {
        List<NameValue> h = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(NameValue.of(headers[i], headers[i + 1]));
        }
        return new RequestView("GET", url, h, "", 0, false);
    }

    /** A miss whose closest entry differs in one query parameter, as the matcher describes it. */
    public static MissView queryMiss(String liveUrl, String recordedUrl, String name, String live, String recorded) {
        MissView.SuggestionView s = new MissView.SuggestionView("ignoreQueryParams", name, false,
                "--ignore-query-param " + name, "ignoreQueryParams = \"" + name + "\"",
                "<ignoreQueryParams>" + name + "</ignoreQueryParams>");
        MissView.DifferenceView d = new MissView.DifferenceView("QUERY",
                "query parameter \"" + name + "\": live \"" + live + "\", recorded \"" + recorded + "\"", s);
        return new MissView("NO_MATCH", get(liveUrl, "Accept", "application/json"),
                List.of(new MissView.Closest(List.of(0), 90, get(recordedUrl, "Accept", "application/json"),
                        List.of(d))), "no recorded response for GET " + liveUrl);
    }
}
