package dev.harp.maven;

import dev.harp.Mode;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code harp:report} and the report step of {@code harp:verify}, run in this JVM on a project folder with a usage
 * file and HARs: the page and summary written, the one-screen summary logged, lint unchanged.
 */
class ReportMojoTest {
    @TempDir
    Path dir;

    /** Collects what a mojo logs at info, warn and error. */
    static final class Captured extends SystemStreamLog {
        final List<String> info = new ArrayList<>();
        final List<String> warn = new ArrayList<>();
        final List<String> error = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            info.add(content.toString());
        }

        @Override
        public void warn(CharSequence content) {
            warn.add(content.toString());
        }

        @Override
        public void error(CharSequence content) {
            error.add(content.toString());
        }
    }

    private Path fixtures() {
        return dir.resolve("src/test/resources");
    }

    private Path usageDir() {
        return dir.resolve("target/harp");
    }

    /** A used fixture with one unused entry, and an orphan; the usage file as the JUnit extension writes it. */
    private void build() throws Exception {
        Path used = har(fixtures().resolve("harp/UsedTest/a.har"), "https://api.test/a", "https://api.test/b");
        har(fixtures().resolve("harp/GoneTest/orphan.har"), "https://api.test/o"); // a deleted test class's
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(used)));
        Path uses = Files.createDirectories(usageDir().resolve("uses"));
        Files.writeString(uses.resolve("20261201T100000.000-1-1-abcdef01.json"), """
                {"harpUsage":1,"fixture":"%s","face":"junit","user":"UsedTest.a()",
                 "userId":"[engine:junit-jupiter]/[class:it.UsedTest]/[method:a()]",
                 "outcome":"passed","mode":"%s","modeSource":"@Harp(mode)","started":"2026-12-01T10:00:00Z",
                 "finished":"2026-12-01T10:00:01Z","existed":true,"sha256":"%s","entries":2,"hits":1,
                 "unused":[1],"recorded":0,"selection":"","misses":[]}
                """.formatted(used.toString().replace("\\", "\\\\"), Mode.REPLAY.cliName(), sha));
    }

    static Path har(Path file, String... urls) throws Exception {
        StringBuilder entries = new StringBuilder();
        for (String url : urls) {
            entries.append(entries.isEmpty() ? "" : ",").append("""
                    {"startedDateTime":"2026-03-01T10:00:00.000Z","time":1,
                     "request":{"method":"GET","url":"%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                       "queryString":[],"headersSize":-1,"bodySize":0},
                     "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                       "content":{"size":2,"mimeType":"text/plain","text":"ok"},"redirectURL":"","headersSize":-1,
                       "bodySize":2},
                     "cache":{},"timings":{"send":0,"wait":1,"receive":0}}""".formatted(url));
        }
        Files.createDirectories(file.getParent());
        Path written = Files.writeString(file, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"Harp\",\"version\":\"1\"},"
                + "\"entries\":[" + entries + "]}}\n");
        // older than the build, as a checkout leaves it (pruning leaves files newer than the build alone)
        Files.setLastModifiedTime(written,
                java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-11-01T00:00:00Z")));
        return written;
    }

    private ReportMojo report(Captured log) {
        ReportMojo mojo = new ReportMojo();
        mojo.setLog(log);
        mojo.usageDir = usageDir().toFile();
        mojo.fixtures = List.of(fixtures().toFile());
        mojo.basedir = dir.toFile();
        // ${project.build.testOutputDirectory}, compiled before the tests ran: GoneTest is not among the classes
        mojo.testClasses = dir.resolve("target/test-classes").toFile();
        mojo.testClasses.mkdirs();
        return mojo;
    }

    @Test
    void reportWritesThePageAndSummaryAndLogsTheOneScreenSummary() throws Exception {
        build();
        Captured log = new Captured();
        report(log).execute();

        assertThat(usageDir().resolve("report.html")).isRegularFile();
        assertThat(usageDir().resolve("summary.json")).isRegularFile();
        assertThat(log.info).hasSizeLessThanOrEqualTo(15)
                .contains("  unused entries: 1 in 1 fixture; fixture files no test opened: 1; left alone by pruning: 0",
                        "  report: " + usageDir().resolve("report.html"));
        assertThat(log.warn).isEmpty();
    }

    @Test
    void reportWritesWhereOutSaysAndRefusesAFile() throws Exception {
        build();
        ReportMojo mojo = report(new Captured());
        mojo.out = dir.resolve("site").toFile();
        mojo.execute();
        assertThat(dir.resolve("site/report.html")).isRegularFile();

        mojo.out = Files.writeString(dir.resolve("a-file"), "x").toFile();
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoExecutionException.class)
                .hasMessage("Harp: <out> " + mojo.out + " is a file, not a folder");
    }

    @Test
    void reportWithoutAUsageFolderSaysSoAndWritesNothing() throws Exception {
        Captured log = new Captured();
        report(log).execute();
        assertThat(log.info).singleElement().asString().startsWith("Harp: no usage data in ");
        assertThat(usageDir()).doesNotExist();
    }

    private VerifyMojo verify(Captured log) {
        VerifyMojo mojo = new VerifyMojo();
        mojo.setLog(log);
        mojo.fixtures = fixtures().toFile();
        mojo.reportFixtures = List.of(fixtures().toFile());
        mojo.failOnFindings = true;
        mojo.usageDir = usageDir().toFile();
        mojo.basedir = dir.toFile();
        // ${project.build.testOutputDirectory}, compiled before the tests ran: GoneTest is not among the classes
        mojo.testClasses = dir.resolve("target/test-classes").toFile();
        mojo.testClasses.mkdirs();
        return mojo;
    }

    @Test
    void verifyLintsAsBeforeThenWritesTheReportAndLogsItsSummary() throws Exception {
        build();
        Captured log = new Captured();
        verify(log).execute();

        assertThat(log.info.get(0)).startsWith("Harp checked 2 files: 0 findings");
        assertThat(log.info.get(1)).startsWith("Harp report: 1 use by 1 test of 2 fixtures");
        assertThat(log.info.get(log.info.size() - 1)).isEqualTo("  report: " + usageDir().resolve("report.html"));
        assertThat(usageDir().resolve("report.html")).isRegularFile();
    }

    @Test
    void verifyFailingOnFindingsStillLogsTheReport() throws Exception {
        build();
        Files.writeString(fixtures().resolve("harp/broken.har"), "{\"log\": [");
        Captured log = new Captured();
        assertThatThrownBy(() -> verify(log).execute()).isInstanceOf(MojoFailureException.class);
        assertThat(log.error).isNotEmpty();
        assertThat(log.info).anySatisfy(l -> assertThat(l).startsWith("  report: "));
    }

    @Test
    void verifyWithoutUsageDataOnlyLints() throws Exception {
        har(fixtures().resolve("harp/a.har"), "https://api.test/a");
        Captured log = new Captured();
        verify(log).execute();
        assertThat(log.info).singleElement().asString().startsWith("Harp checked 1 file: 0 findings");
        assertThat(usageDir()).doesNotExist();
    }
}
