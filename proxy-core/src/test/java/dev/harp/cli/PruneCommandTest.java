package dev.harp.cli;

import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.harp.usage.UsageFixtures.har;
import static dev.harp.usage.UsageFixtures.hashes;
import static dev.harp.usage.UsageFixtures.testId;
import static dev.harp.usage.UsageFixtures.urls;
import static dev.harp.usage.UsageFixtures.use;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code harp prune} in this JVM: its options, output and exit status (0 done, 2 bad input). */
class PruneCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            status = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private String usage() {
        return dir.resolve("target/harp").toString();
    }

    @Test
    void helpListsTheOptions() {
        Run help = run("prune", "--help");

        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--usage-dir=DIR").contains("--fixtures=DIR").contains("--apply");
    }

    @Test
    void fixturesDefaultToTheExtensionsFolderAndTestClassesMustBeAFolder() throws IOException {
        Run help = run("prune", "--help");
        assertThat(help.out()).contains("--test-classes=DIR").contains("src/test/resources/harp");

        Path fixtures = dir.resolve("fixtures");
        Path har = har(fixtures.resolve("A/one.har"), "https://api.test/a");
        UsageLog.at(dir.resolve("target/harp")).write(use(har, testId("A", "one"), 0).build());
        Run bad = run("prune", "--usage-dir", usage(), "--fixtures", fixtures.toString(), "--test-classes",
                dir.resolve("none").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("harp prune: --test-classes " + dir.resolve("none")
                + " is not a folder");
        Run good = run("prune", "--usage-dir", usage(), "--fixtures", fixtures.toString(), "--test-classes",
                Files.createDirectories(dir.resolve("classes")).toString());
        assertThat(good.status()).as(good.err()).isZero();
    }

    @Test
    void anUnknownOptionExits2() {
        Run bad = run("prune", "--nope");

        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).startsWith("harp prune: Unknown option: '--nope'");
    }

    @Test
    void anUnreadableUsageFileExits2NamingItAndChangesNothing() throws IOException {
        Path fixtures = dir.resolve("fixtures");
        Path har = har(fixtures.resolve("A/one.har"), "https://api.test/a", "https://api.test/b");
        UsageLog.at(dir.resolve("target/harp")).write(use(har, testId("A", "one"), 0).build());
        Path broken = Files.writeString(dir.resolve("target/harp/uses/broken.json"), "{\"fixture\": 3");
        var before = hashes(fixtures);

        Run run = run("prune", "--usage-dir", usage(), "--fixtures", fixtures.toString(), "--apply");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("harp prune: cannot read usage file " + broken + ": ");
        assertThat(run.out()).isEmpty();
        assertThat(hashes(fixtures)).isEqualTo(before);
    }

    @Test
    void aUsageFolderWithoutUsesExits2() throws IOException {
        Files.createDirectories(dir.resolve("target/harp/uses"));
        Files.createDirectories(dir.resolve("fixtures"));

        Run run = run("prune", "--usage-dir", usage(), "--fixtures", dir.resolve("fixtures").toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("harp prune: no usage data in " + dir.resolve("target/harp/uses")
                + " (run the tests with Harp first, then prune)");
    }

    @Test
    void aFixtureFolderThatIsAFileExits2() throws IOException {
        Files.createDirectories(dir.resolve("target/harp"));
        Path file = Files.writeString(dir.resolve("file"), "x");

        Run run = run("prune", "--usage-dir", usage(), "--fixtures", file.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("harp prune: the fixture folder " + file + " is not a folder");
    }

    @Test
    void severalFixtureFoldersAndWhatIsLeftAloneIsSaid() throws IOException {
        Path a = har(dir.resolve("one/A/one.har"), "https://api.test/a", "https://api.test/b");
        Path b = har(dir.resolve("two/B/two.har"), "https://api.test/c", "https://api.test/d");
        UsageLog log = UsageLog.at(dir.resolve("target/harp"));
        log.write(use(a, testId("A", "one"), 0).build());
        log.write(use(b, testId("B", "two"), 0).outcome(dev.harp.usage.FixtureUse.Outcome.FAILED).build());

        Run dry = run("prune", "--usage-dir", usage(), "--fixtures", dir.resolve("one").toString(),
                "--fixtures", dir.resolve("two").toString());

        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("remove 1 of 2 entries from " + a.toRealPath())
                .contains("leave " + b.toRealPath() + ": two() failed: it may not have made all its requests")
                .endsWith("Dry run: nothing changed; run with --apply to do it.\n");

        Run applied = run("prune", "--usage-dir", usage(), "--fixtures", dir.resolve("one").toString(),
                "--fixtures", dir.resolve("two").toString(), "--apply");

        assertThat(applied.status()).as(applied.err()).isZero();
        assertThat(urls(a)).containsExactly("https://api.test/a");
        assertThat(urls(b)).containsExactly("https://api.test/c", "https://api.test/d");
    }
}
