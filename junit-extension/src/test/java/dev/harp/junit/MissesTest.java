package dev.harp.junit;

import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
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

    private void record(Class<?> scenario) {
        EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), scenario);
        assertThat(Scenarios.failures(recording)).isEmpty();
    }
}
