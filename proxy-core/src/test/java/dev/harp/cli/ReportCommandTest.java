package dev.harp.cli;

import dev.harp.report.ReportData;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code harp report} as the command line runs it: files written, the summary printed, bad input refused with 2. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private String out = "";
    private String err = "";

    private int harp(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return Main.run(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesThePageAndSummaryAndPrintsTheOneScreenSummary() throws Exception {
        Path fixtures = dir.resolve("fixtures");
        Path har = ReportData.har(fixtures.resolve("ATest/a.har"), "https://api.test/a", "https://api.test/b");
        ReportData.har(fixtures.resolve("GoneTest/orphan.har"), "https://api.test/o"); // a deleted test class's
        Path usage = dir.resolve("usage");
        UsageLog.at(usage).write(ReportData.use(har, "ATest.a()", 2).hits(1).unused(List.of(1)).build());
        Path reports = dir.resolve("reports");
        Path testClasses = Files.createDirectories(dir.resolve("classes"));

        int status = harp("report", "--usage-dir", usage.toString(), "--fixtures", fixtures.toString(),
                "--test-classes", testClasses.toString(), "--out", reports.toString());

        assertThat(status).as(out + err).isZero();
        assertThat(err).isEmpty();
        assertThat(reports.resolve("report.html")).isRegularFile();
        assertThat(reports.resolve("summary.json")).isRegularFile();
        assertThat(out.lines().toList()).hasSizeLessThanOrEqualTo(15)
                .contains("  unused entries: 1 in 1 fixture; fixture files no test opened: 1; left alone by pruning: 0")
                .contains("  report: " + reports.resolve("report.html").toAbsolutePath());
        assertThat(out).startsWith("Harp report: 1 use by 1 test of 2 fixtures");
    }

    @Test
    void theOutputFolderDefaultsToTheUsageFolder() throws Exception {
        Path usage = Files.createDirectories(dir.resolve("usage"));
        assertThat(harp("report", "--usage-dir", usage.toString(), "--fixtures", dir.toString())).as(err).isZero();
        assertThat(usage.resolve("report.html")).isRegularFile();
        assertThat(out).contains("no usage data");
    }

    @Test
    void fixturesDefaultToTheExtensionsFolderAndTestClassesMustBeAFolder() throws Exception {
        assertThat(ReportCommand.DEFAULT_FIXTURES).isEqualTo(Path.of("src/test/resources/harp"))
                .isEqualTo(Path.of(dev.harp.options.OptionCatalog.DIRECTORY.defaultValue()));
        assertThat(harp("report", "--help")).isZero();
        assertThat(out).contains("--test-classes=DIR").contains("src/test/resources/harp");

        Path usage = Files.createDirectories(dir.resolve("usage"));
        assertThat(harp("report", "--usage-dir", usage.toString(), "--fixtures", dir.toString(), "--test-classes",
                dir.resolve("none").toString())).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("harp report: --test-classes " + dir.resolve("none") + " is not a folder");
        assertThat(harp("report", "--usage-dir", usage.toString(), "--fixtures", dir.toString(), "--test-classes",
                Files.createDirectories(dir.resolve("classes")).toString())).as(err).isZero();
    }

    @Test
    void badInputExitsTwoWithOneLineNamingIt() throws Exception {
        Path usage = Files.createDirectories(dir.resolve("usage"));
        assertThat(harp("report", "--usage-dir", dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("harp report: the usage folder " + dir.resolve("nope") + " does not exist");

        assertThat(harp("report", "--usage-dir", usage.toString(), "--fixtures", dir.resolve("none").toString()))
                .isEqualTo(2);
        assertThat(err.strip()).isEqualTo("harp report: --fixtures " + dir.resolve("none") + " is not a folder");

        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(harp("report", "--usage-dir", usage.toString(), "--out", file.toString())).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("harp report: --out " + file + " is a file, not a folder");

        assertThat(harp("report", "--nope")).isEqualTo(2);
        assertThat(err).startsWith("harp report: Unknown option: '--nope'");
        assertThat(out).isEmpty();
    }
}
