package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** Replay misses fail the test with the core's diagnostic; unused entries are listed, and fail when asked. */
class MissesTest {
    @TempDir
    Path basedir;
    TestUpstream upstream;

    static volatile String city = "Paris";
    static volatile boolean call = true;
    static volatile String missBody;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = TestUpstream.http();
        Upstreams.http(upstream);
        city = "Paris";
        call = true;
        lenientSaw = null;
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Harp
    @Scenario
    static class Forecast {
        @Test
        void forecast() {
            if (call) {
                Http.getWithNewDefaultClient(Upstreams.http().uri("/forecast?city=" + city + "&units=metric"));
            }
        }
    }

    /** What {@link Lenient}'s test saw of its request: status, Harp-Miss header and the misses Harp reported. */
    static volatile String lenientSaw;

    @Harp(failOnMiss = false)
    @Scenario
    static class Lenient {
        @Test
        void forecast(HarpProxy harp) {
            HttpResponse<String> response = Http.get(HttpClient.newHttpClient(),
                    Upstreams.http().uri("/forecast?city=" + city + "&units=metric"));
            lenientSaw = response.statusCode() + " " + response.headers().firstValue("Harp-Miss").orElse("(no Harp-Miss)")
                    + ", misses: " + harp.misses().size();
        }
    }

    @Harp(failOnUnused = true)
    @Scenario
    static class Strict extends Forecast {
    }

    @Harp
    @Scenario
    static class AssertsTheStatus {
        @Test
        void forecast() {
            int status = Http.get(HttpClient.newHttpClient(), Upstreams.http().uri("/forecast?city=" + city)).statusCode();
            assertThat(status).as("status").isEqualTo(200);
        }
    }

    @Test
    void aTestFailingBecauseOfAMissReportsTheMissFirstWithItsOwnFailureAsTheCause() {
        record(AssertsTheStatus.class);
        city = "Tokyo";

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), AssertsTheStatus.class);

        List<Throwable> failures = replay.testEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow())
                .toList();
        assertThat(failures).hasSize(1);
        Throwable reported = failures.get(0);
        assertThat(reported.getMessage())
                .startsWith("Harp: AssertsTheStatus.forecast() made 1 request with no recorded response (mode replay")
                .contains("No recorded response matches GET http://127.0.0.1:", "/forecast?city=Tokyo", "city=Paris")
                .contains("The test then failed with (the cause below): ", "expected: 200", "but was: 502");
        assertThat(reported.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining("but was: 502");
        assertThat(reported.getStackTrace()).as("points at the test's line")
                .anyMatch(frame -> frame.getClassName().endsWith("MissesTest$AssertsTheStatus"));
        assertThat(reported.getSuppressed()).as("the miss is reported once").isEmpty();
    }

    @Harp
    @Scenario
    static class AssertsInBeforeAll {
        @BeforeAll
        static void login() {
            int status = Http.get(HttpClient.newHttpClient(), Upstreams.http().uri("/forecast?city=" + city)).statusCode();
            assertThat(status).as("status").isEqualTo(200);
        }

        @Test
        void nothing() {
        }
    }

    @Test
    void aBeforeAllFailingBecauseOfAMissReportsTheMissFirst() {
        record(AssertsInBeforeAll.class);
        city = "Tokyo";

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), AssertsInBeforeAll.class);

        Throwable reported = replay.containerEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow())
                .findFirst().orElseThrow();
        assertThat(reported.getMessage())
                .startsWith("Harp: @BeforeAll of AssertsInBeforeAll made 1 request with no recorded response")
                .contains("/forecast?city=Tokyo", "but was: 502");
        assertThat(reported.getCause()).hasMessageContaining("but was: 502");
        assertThat(reported.getSuppressed()).as("the miss is reported once").isEmpty();
    }

    @Harp(mode = Mode.REPLAY, failOnMiss = false)
    @Scenario
    static class NotRecordedYet {
        @Test
        void forecast() {
            missBody = Http.get(HttpClient.newHttpClient(), Upstreams.http().uri("/forecast?city=Oslo")).body();
        }
    }

    @Test
    void aMissWithoutAFixtureNamesTheFixtureToRecordInto() {
        Path fixture = basedir.resolve("src/test/resources/harp/MissesTest_NotRecordedYet/forecast.har");
        PrintStream original = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        EngineExecutionResults replay;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8)); // where slf4j-simple writes
        try {
            replay = Scenarios.run(basedir, params(), NotRecordedYet.class);
        } finally {
            System.setErr(original);
        }
        String log = logged.toString(StandardCharsets.UTF_8);
        original.print(log);

        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(missBody).startsWith("Harp replay miss: no recorded response in " + fixture + " for this request.");
        assertThat(log).contains("HAR " + fixture, "Harp replays 0 entries from " + fixture)
                .contains("fixture: " + fixture + " (does not exist)")
                .doesNotContain("no-fixture-yet");
        assertThat(fixture).doesNotExist();
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void aMissFailsTheTestWithTheDiagnosticAndHowToReRecord() {
        record(Forecast.class);
        city = "Tokyo";

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), Forecast.class);

        List<String> failures = Scenarios.failures(replay);
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).startsWith("forecast() -> AssertionFailedError: Harp: Forecast.forecast() made 1 request with no recorded response (mode replay: -Dharp.mode=replay)")
                .contains(basedir.resolve("src/test/resources/harp/MissesTest_Forecast/forecast.har").toString())
                .contains("No recorded response matches GET http://127.0.0.1:", "/forecast?city=Tokyo&units=metric")
                .contains("Closest of 1 recorded entry", "city=Paris")
                .contains("option: ignoreQueryParams = \"city\"") // the annotation's spelling, not the CLI's
                .doesNotContain("--ignore-query-param")
                .contains("-Dharp.mode=record");
    }

    @Test
    void failOnMissFalseLetsTheTestDecide() {
        record(Lenient.class);

        assertThat(lenientSaw).as("recording").isEqualTo("200 (no Harp-Miss), misses: 0");
        city = "Tokyo";

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), Lenient.class);

        assertThat(lenientSaw).as("the test saw the miss itself").startsWith("502 GET http://127.0.0.1:")
                .endsWith("/forecast?city=Tokyo&units=metric, misses: 1");
        assertThat(Scenarios.failures(replay)).as("and Harp left the verdict to it").isEmpty();
        assertThat(Scenarios.passed(replay)).containsExactly("forecast(HarpProxy)");
    }

    @Test
    void unusedEntriesFailOnlyWhenAsked() {
        record(Strict.class);
        record(Forecast.class);
        call = false;

        EngineExecutionResults strict = Scenarios.run(basedir, params("harp.mode", "replay"), Strict.class);
        EngineExecutionResults lenient = Scenarios.run(basedir, params("harp.mode", "replay"), Forecast.class);

        assertThat(Scenarios.failures(strict)).singleElement().asString()
                .contains("Harp: 1 recorded entry of", "MissesTest_Strict/forecast.har", "was never requested by Strict.forecast()")
                .contains("entry 0: GET http://127.0.0.1:", "/forecast?city=Paris&units=metric -> 200");
        assertThat(Scenarios.failures(lenient)).isEmpty();
    }

    /** A fixture from elsewhere (written by another tool, not redacted) must not print its secrets in the report. */
    @Test
    void theUnusedEntriesReportRedactsSecretsInRecordedUrls() throws Exception {
        record(Strict.class);
        Path fixture = basedir.resolve("src/test/resources/harp/MissesTest_Strict/forecast.har");
        String har = Files.readString(fixture);
        assertThat(har).contains("units=metric");
        Files.writeString(fixture, har.replace("units=metric", "units=metric&access_token=s3cr3t-t0ken"));
        call = false;

        EngineExecutionResults strict = Scenarios.run(basedir, params("harp.mode", "replay"), Strict.class);

        assertThat(Scenarios.failures(strict)).singleElement().asString()
                .contains("was never requested by Strict.forecast()", "access_token=REDACTED")
                .doesNotContain("s3cr3t-t0ken");
    }

    private void record(Class<?> scenario) {
        EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), scenario);
        assertThat(Scenarios.failures(recording)).isEmpty();
    }
}
