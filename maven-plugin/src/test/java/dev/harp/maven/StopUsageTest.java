package dev.harp.maven;

import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code harp:stop} writes the session it stops as usage data, and never fails the build for it. */
class StopUsageTest {
    private static final String HAR = """
            {"log": {"version": "1.2", "creator": {"name": "Harp", "version": "1"}, "entries": [
              %s, %s]}}
            """;
    private static final String ENTRY = """
            {"startedDateTime": "2026-12-07T06:00:38.199Z", "time": 1.0,
             "request": {"method": "GET", "url": "%s", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                         "queryString": [], "headersSize": -1, "bodySize": 0},
             "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                          "headers": [{"name": "Content-Type", "value": "text/plain"}],
                          "content": {"size": 2, "mimeType": "text/plain", "text": "ok"}, "redirectURL": "",
                          "headersSize": -1, "bodySize": 2},
             "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
            """;

    @TempDir
    Path dir;

    private MavenProject project;
    private MavenSession session;
    private final Map<Object, Object> pluginContext = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    /** Keeps the warnings, prints nothing. */
    private final SystemStreamLog log = new SystemStreamLog() {
        @Override
        public void debug(CharSequence content) {
        }

        @Override
        public void info(CharSequence content) {
        }

        @Override
        public void warn(CharSequence content) {
            warnings.add(content.toString());
        }
    };

    @BeforeEach
    void project() throws Exception {
        project = new MavenProject();
        project.setGroupId("it.harp");
        project.setArtifactId("usage");
        project.setVersion("1");
        project.setFile(dir.resolve("pom.xml").toFile());
        project.getBuild().setDirectory(dir.resolve("target").toString());
        session = new MavenSession(null, new DefaultRepositorySystemSession(), new DefaultMavenExecutionRequest(),
                new DefaultMavenExecutionResult());
        session.setProjects(List.of(project));
        Files.writeString(dir.resolve("api.har"), HAR.formatted(ENTRY.formatted("http://127.0.0.1:1/orders?page=1"),
                ENTRY.formatted("http://127.0.0.1:1/never")));
    }

    @AfterEach
    void stopWhatIsLeft() {
        pluginContext.values().forEach(v -> {
            if (v instanceof RunningProxy running) {
                running.stop();
            }
        });
    }

    private int start() throws Exception {
        StartMojo start = new StartMojo(project, session);
        start.setPluginContext(pluginContext);
        start.setLog(log);
        start.mode = "replay";
        start.har = dir.resolve("api.har").toFile();
        start.port = 0;
        start.id = "default";
        start.execute();
        return Integer.parseInt(project.getProperties().getProperty("harp.port"));
    }

    private void stop(String usageDir) throws Exception {
        StopMojo stop = new StopMojo(project, session);
        stop.setPluginContext(pluginContext);
        stop.setLog(log);
        stop.id = "default";
        stop.failOnMiss = false;
        stop.usageDir = usageDir;
        stop.execute();
    }

    private static int get(int port, String url) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                .connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void stopWritesTheSessionWithItsHitMissAndUnusedEntry() throws Exception {
        String sha = UsageLog.sha256(dir.resolve("api.har"));
        int port = start();
        assertThat(get(port, "http://127.0.0.1:1/orders?page=1")).isEqualTo(200);
        assertThat(get(port, "http://127.0.0.1:1/orders?page=2")).isEqualTo(502);
        stop("target/harp"); // relative: against the project's base directory

        UsageLog.Contents contents = UsageLog.at(dir.resolve("target/harp")).read();
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.uses()).singleElement().satisfies(use -> {
            assertThat(use.face()).isEqualTo(Face.MAVEN);
            assertThat(use.user()).isEqualTo("harp:start (default)");
            assertThat(use.userId()).isEqualTo("default");
            assertThat(use.outcome()).isEqualTo(FixtureUse.Outcome.UNKNOWN);
            assertThat(use.mode()).isEqualTo(Mode.REPLAY);
            assertThat(use.fixture()).isEqualTo(dir.resolve("api.har").toAbsolutePath().normalize());
            assertThat(use.sha256()).isEqualTo(sha);
            assertThat(use.entries()).isEqualTo(2);
            assertThat(use.hits()).isEqualTo(1);
            assertThat(use.unused()).containsExactly(1);
            assertThat(use.misses()).singleElement().satisfies(m -> {
                assertThat(m.live().url()).endsWith("page=2");
                assertThat(m.text()).contains("<ignoreQueryParams>page</ignoreQueryParams>");
            });
        });
        assertThat(warnings).noneMatch(w -> w.contains("usage data"));
    }

    @Test
    void stopRecordsTheSessionsSelectionAndTheOutcomeOfFailsafesSummary() throws Exception {
        session.getUserProperties().setProperty("it.test", "OrderIT");
        session.getUserProperties().setProperty("groups", " fast ");
        int port = start();
        assertThat(get(port, "http://127.0.0.1:1/orders?page=1")).isEqualTo(200);
        Path summary = dir.resolve("target/failsafe-reports/failsafe-summary.xml");
        Files.createDirectories(summary.getParent());
        Files.writeString(summary, failsafeSummary(3, 0, 1));
        stop("target/harp");

        assertThat(UsageLog.at(dir.resolve("target/harp")).read().uses()).singleElement().satisfies(use -> {
            assertThat(use.selection()).isEqualTo("it.test=OrderIT groups=fast");
            assertThat(use.outcome()).as("a failing IT: Failsafe fails the build only at verify, after harp:stop")
                    .isEqualTo(FixtureUse.Outcome.FAILED);
        });
    }

    @Test
    void aCleanFailsafeSummaryIsPassedAndAnAbsentOneUnknown() throws Exception {
        start();
        Path summary = dir.resolve("target/failsafe-reports/failsafe-summary.xml");
        Files.createDirectories(summary.getParent());
        Files.writeString(summary, failsafeSummary(2, 0, 0));
        stop("target/harp");
        start();
        Files.delete(summary);
        stop("target/harp");

        assertThat(UsageLog.at(dir.resolve("target/harp")).read().uses())
                .extracting(FixtureUse::outcome, FixtureUse::selection)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(FixtureUse.Outcome.PASSED, ""),
                        org.assertj.core.groups.Tuple.tuple(FixtureUse.Outcome.UNKNOWN, ""));
    }

    static String failsafeSummary(int completed, int errors, int failures) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <failsafe-summary xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" result="%s" timeout="false">
                    <completed>%d</completed>
                    <errors>%d</errors>
                    <failures>%d</failures>
                    <skipped>0</skipped>
                    <failureMessage xsi:nil="true" />
                </failsafe-summary>
                """.formatted(errors + failures > 0 ? "255" : "", completed, errors, failures);
    }

    @Test
    void aSessionTheBackstopEndsIsWrittenAsFailed() throws Exception {
        int port = start();
        assertThat(get(port, "http://127.0.0.1:1/orders?page=1")).isEqualTo(200);
        session.getRequest().getExecutionListener().projectFailed(projectFailed());

        UsageLog.Contents contents = UsageLog.at(dir.resolve("target/harp")).read();
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.uses()).singleElement().satisfies(use -> {
            assertThat(use.user()).isEqualTo("harp:start (default)");
            assertThat(use.outcome()).as("the build failed before harp:stop: the use may be incomplete")
                    .isEqualTo(FixtureUse.Outcome.FAILED);
            assertThat(use.hits()).isEqualTo(1);
            assertThat(use.unused()).containsExactly(1);
        });
    }

    @Test
    void aSessionTheBackstopEndsAfterASucceededProjectTakesFailsafesOutcomeAndTheSelection() throws Exception {
        session.getUserProperties().setProperty("test", "OrderIT#create");
        int port = start();
        assertThat(get(port, "http://127.0.0.1:1/orders?page=1")).isEqualTo(200);
        Path summary = dir.resolve("target/failsafe-reports/failsafe-summary.xml");
        Files.createDirectories(summary.getParent());
        Files.writeString(summary, failsafeSummary(1, 1, 0));
        session.getRequest().getExecutionListener().projectSucceeded(event(
                org.apache.maven.execution.ExecutionEvent.Type.ProjectSucceeded));

        assertThat(UsageLog.at(dir.resolve("target/harp")).read().uses()).singleElement().satisfies(use -> {
            assertThat(use.outcome()).isEqualTo(FixtureUse.Outcome.FAILED);
            assertThat(use.selection()).isEqualTo("test=OrderIT#create");
        });
    }

    private org.apache.maven.execution.ExecutionEvent projectFailed() {
        return event(org.apache.maven.execution.ExecutionEvent.Type.ProjectFailed);
    }

    private org.apache.maven.execution.ExecutionEvent event(org.apache.maven.execution.ExecutionEvent.Type type) {
        MavenSession current = session;
        MavenProject failed = project;
        return new org.apache.maven.execution.ExecutionEvent() {
            @Override
            public Type getType() {
                return type;
            }

            @Override
            public MavenSession getSession() {
                return current;
            }

            @Override
            public MavenProject getProject() {
                return failed;
            }

            @Override
            public org.apache.maven.plugin.MojoExecution getMojoExecution() {
                return null;
            }

            @Override
            public Exception getException() {
                return null;
            }
        };
    }

    @Test
    void offWritesNothingAndAnUnwritableFolderIsOneWarning() throws Exception {
        start();
        stop("off");
        assertThat(dir.resolve("target/harp/uses")).doesNotExist();

        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where the folder should be");
        start();
        stop(blocker.toString());
        assertThat(warnings).filteredOn(w -> w.contains("usage data")).singleElement().asString()
                .startsWith("Harp could not write usage data under " + blocker);
    }
}
