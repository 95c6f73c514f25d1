package dev.harp.maven;

import dev.harp.usage.UsageLog;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code harp:prune} in this JVM as Maven runs it (a real session, real fixture files and usage files written as the
 * JUnit extension writes them): dry run by default, apply on request, refusals. The invoker IT {@code prune} runs it
 * inside a real Maven build.
 */
class PruneMojoTest {
    /** Writes a HAR with one GET per URL, in start order. */
    private static Path har(Path file, String... urls) throws IOException {
        List<dev.harp.har.HarEntry> entries = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            entries.add(dev.harp.har.HarEntry.builder()
                    .startedDateTime(java.time.Instant.parse("2026-01-02T03:04:05Z").plusSeconds(i))
                    .request(dev.harp.har.HarRequest.builder("GET", urls[i]).build())
                    .response(dev.harp.har.HarResponse.builder(200).statusText("OK")
                            .content(dev.harp.har.HarContent.ofText("body", "text/plain")).build())
                    .build());
        }
        java.nio.file.Files.createDirectories(file.getParent());
        dev.harp.har.HarWriter.write(file, dev.harp.har.Har.newRecording("1").withEntries(entries));
        return file;
    }

    private static List<String> urls(Path file) throws IOException {
        return dev.harp.HarFile.read(file).entries().stream().map(dev.harp.HarFile.Entry::url).toList();
    }

    private static String testId(String cls, String method) {
        return "[engine:junit-jupiter]/[class:com.example." + cls + "]/[method:" + method + "()]";
    }

    /** A passed replay use of the file as it is now that served {@code served}. */
    private static dev.harp.usage.FixtureUse.Builder use(Path har, String userId, int... served) throws IOException {
        int entries = dev.harp.HarFile.read(har).entries().size();
        List<Integer> unused = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            final int index = i;
            if (java.util.stream.IntStream.of(served).noneMatch(s -> s == index)) {
                unused.add(i);
            }
        }
        return dev.harp.usage.FixtureUse.builder(har, dev.harp.options.Face.JUNIT, userId).userId(userId)
                .outcome(dev.harp.usage.FixtureUse.Outcome.PASSED).mode(dev.harp.Mode.REPLAY, "default")
                .existed(true).sha256(UsageLog.sha256(har)).entries(entries).unused(unused)
                .started(java.time.Instant.now());
    }

    /** Every file under {@code dir} with its SHA-256 and modification time. */
    private static Map<Path, String> hashes(Path dir) throws IOException {
        Map<Path, String> out = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                out.put(f, UsageLog.sha256(f) + " " + java.nio.file.Files.getLastModifiedTime(f));
            }
        }
        return out;
    }

    @TempDir
    Path dir;

    private MavenSession session;
    private final List<String> lines = new ArrayList<>();
    private Path used;
    private Path orphan;

    @BeforeEach
    void build() throws IOException {
        session = new MavenSession(null, new DefaultRepositorySystemSession(), new DefaultMavenExecutionRequest(),
                new DefaultMavenExecutionResult());
        used = har(dir.resolve("src/test/resources/harp/ApiTest/one.har"), "https://api.test/a", "https://api.test/b");
        orphan = har(dir.resolve("src/test/resources/harp/OldTest/old.har"), "https://api.test/old");
        UsageLog.at(dir.resolve("target/harp")).write(use(used, testId("ApiTest", "one"), 0).build());
    }

    private PruneMojo mojo(boolean apply) {
        PruneMojo mojo = new PruneMojo(session);
        mojo.usageDir = dir.resolve("target/harp").toFile();
        mojo.fixtures = List.of(dir.resolve("src/test/resources").toFile());
        mojo.basedir = dir.toFile();
        // the compiled test classes, as ${project.build.testOutputDirectory}: OldTest is not among them (deleted)
        mojo.testClasses = dir.resolve("target/test-classes").toFile();
        mojo.testClasses.mkdirs();
        mojo.apply = apply;
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }

            @Override
            public void error(CharSequence content) {
                lines.add("ERROR " + content);
            }
        });
        return mojo;
    }

    @Test
    void aDryRunByDefaultPrintsThePlanAndChangesNothing() throws Exception {
        Map<Path, String> before = hashes(dir);

        mojo(false).execute();

        assertThat(hashes(dir)).isEqualTo(before);
        assertThat(lines).containsExactly(
                "remove 1 of 2 entries from src/test/resources/harp/ApiTest/one.har:",
                "  entry 1: GET https://api.test/b -> 200",
                "delete src/test/resources/harp/OldTest/old.har (no test opened it)",
                "would remove 1 entry from 1 fixture, 1 fixture file and 0 side files; 0 fixtures left alone, "
                        + "0 fully used",
                "Harp: dry run, nothing changed; -Dharp.prune.apply=true removes it");
    }

    @Test
    void applyPrunes() throws Exception {
        mojo(true).execute();

        assertThat(urls(used)).containsExactly("https://api.test/a");
        assertThat(orphan).doesNotExist();
        assertThat(lines).last().isEqualTo("Harp: removed 1 entry, 1 fixture file and 0 side files");
    }

    @Test
    void aNarrowedSessionIsRefusedEvenWhenTheUsageDataIsComplete() throws Exception {
        for (String property : PruneMojo.NARROWING) {
            session.getUserProperties().clear();
            session.getUserProperties().setProperty(property, "ApiTest");
            Map<Path, String> before = hashes(dir);

            assertThatThrownBy(() -> mojo(true).execute()).as(property)
                    .isInstanceOf(MojoFailureException.class)
                    .hasMessageStartingWith("Harp: prune refuses to run in a build narrowed with -D" + property
                            + "=ApiTest");
            assertThat(hashes(dir)).as(property).isEqualTo(before);
        }
    }

    private static org.apache.maven.project.MavenProject projectWith(String plugin, String configuration)
            throws Exception {
        org.apache.maven.project.MavenProject project = new org.apache.maven.project.MavenProject();
        org.apache.maven.model.Plugin runner = new org.apache.maven.model.Plugin();
        runner.setArtifactId(plugin);
        runner.setConfiguration(org.codehaus.plexus.util.xml.Xpp3DomBuilder.build(
                new java.io.StringReader("<configuration>" + configuration + "</configuration>")));
        project.getBuild().addPlugin(runner);
        return project;
    }

    @Test
    void aProjectWhoseSurefireOrFailsafeConfigurationNarrowsOrSkipsTestsIsRefused() throws Exception {
        Map<String, String> refused = Map.of(
                "<groups>fast</groups>", "maven-failsafe-plugin <groups>fast</groups>",
                "<excludedGroups>slow</excludedGroups>", "maven-failsafe-plugin <excludedGroups>slow</excludedGroups>",
                "<test>OrderIT</test>", "maven-failsafe-plugin <test>OrderIT</test>",
                "<skipITs>true</skipITs>", "maven-failsafe-plugin <skipITs>true</skipITs>",
                "<skip>true</skip>", "maven-failsafe-plugin <skip>true</skip>");
        for (Map.Entry<String, String> c : refused.entrySet()) {
            PruneMojo mojo = mojo(true);
            mojo.project = projectWith("maven-failsafe-plugin", c.getKey());
            Map<Path, String> before = hashes(dir);

            assertThatThrownBy(mojo::execute).as(c.getKey()).isInstanceOf(MojoFailureException.class)
                    .hasMessage("Harp: prune refuses to run: " + c.getValue() + " narrows or skips the project's "
                            + "tests, whose fixtures would look unused; remove it for a complete build, then "
                            + "mvn harp:prune");
            assertThat(hashes(dir)).as(c.getKey()).isEqualTo(before);
        }
        PruneMojo mojo = mojo(false);
        mojo.project = projectWith("maven-surefire-plugin", "");
        mojo.project.getProperties().setProperty("maven.test.skip", "true");
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("Harp: prune refuses to run: the project property maven.test.skip=true ");
    }

    @Test
    void includesExcludesFalseSkipsAndUnresolvedExpressionsDoNotNarrow() throws Exception {
        PruneMojo mojo = mojo(false);
        mojo.project = projectWith("maven-surefire-plugin", "<skipTests>false</skipTests><groups>${groups}</groups>"
                + "<includes><include>**/*Test.java</include><include>**/Test*.java</include></includes>"
                + "<excludes><exclude>**/*$*</exclude><exclude>**/*IntegrationTest.java</exclude></excludes>"
                + "<argLine>-Xmx1g</argLine>"); // the usual split of unit and integration tests narrows nothing
        mojo.project.getProperties().setProperty("skipTests", "false");

        mojo.execute();

        assertThat(lines).last().isEqualTo("Harp: dry run, nothing changed; -Dharp.prune.apply=true removes it");
    }

    @Test
    void theDefaultFixtureFolderLeavesHarsKeptAsPlainTestDataAlone() throws Exception {
        Path plain = har(dir.resolve("src/test/resources/data/plain.har"), "https://api.test/plain");
        PruneMojo mojo = mojo(true);
        mojo.fixtures = List.of(dir.resolve("src/test/resources/harp").toFile()); // the descriptor's default

        mojo.execute();

        assertThat(plain).exists();
        assertThat(orphan).doesNotExist();
        assertThat(lines).noneMatch(l -> l.contains("plain.har"));
    }

    @Test
    void missingUsageDataFailsNamingTheFolder() {
        PruneMojo mojo = mojo(true);
        mojo.usageDir = dir.resolve("nowhere").toFile();

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoExecutionException.class)
                .hasMessage("Harp: prune: no usage data: " + dir.resolve("nowhere")
                        + " does not exist (run the tests with Harp first, then prune)");
    }

    @Test
    void skipSkips() throws Exception {
        PruneMojo mojo = mojo(true);
        mojo.skip = true;
        Map<Path, String> before = hashes(dir);

        mojo.execute();

        assertThat(hashes(dir)).isEqualTo(before);
        assertThat(lines).containsExactly("Harp: prune skipped (harp.skip)");
    }

    @Test
    void aModuleWithoutUsageDataOrFixturesHasNothingToPrune() throws Exception {
        PruneMojo mojo = mojo(true);
        mojo.usageDir = dir.resolve("module/target/harp").toFile();
        mojo.fixtures = List.of(dir.resolve("module/src/test/resources").toFile());

        mojo.execute();

        assertThat(lines).singleElement().satisfies(l -> assertThat(l).startsWith("Harp: nothing to prune here"));
    }
}
