package dev.harp.junit;

import dev.harp.Mode;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** Modes are resolved per test: harp.mode, then HARP_MODE, then the annotation; auto replays when CI=true. */
class ModesTest {
    @TempDir
    Path basedir;
    TestUpstream upstream;
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = TestUpstream.http();
        Upstreams.http(upstream);
        SEEN.clear();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Harp
    @Scenario
    static class Auto {
        @Test
        void fetch(HarpProxy harp) {
            SEEN.add(harp.mode().effective().cliName() + " (" + harp.mode().source() + ")");
            Http.getWithNewDefaultClient(Upstreams.http().uri("/auto"));
        }
    }

    @Harp(mode = Mode.REPLAY)
    @Scenario
    static class ReplayOnly {
        @Test
        void fetch(HarpProxy harp) {
            SEEN.add(harp.mode().effective().cliName() + " (" + harp.mode().source() + ")");
            Http.getWithNewDefaultClient(Upstreams.http().uri("/replay-only"));
        }
    }

    /** Replay without a fixture: one test makes a request, the other makes none. */
    @Harp(mode = Mode.REPLAY)
    @Scenario
    static class ReplayWithoutFixture {
        @Test
        void fetch(HarpProxy harp) {
            Http.getWithNewDefaultClient(Upstreams.http().uri("/replay-only"));
        }

        @Test
        void noRequest(HarpProxy harp) {
            SEEN.add(harp.mode().effective().cliName());
        }
    }

    @Harp(har = "trust.har")
    @Scenario
    static class RecordsTheSharedFixture {
        @Test
        void fetch() {
            Http.getWithNewDefaultClient(Upstreams.http().uri("/trusted"));
        }
    }

    /** Names an upstream trust file that a fresh CI checkout does not have (it is made where recording happens). */
    @Harp(har = "trust.har", upstreamTrust = "not-on-this-checkout/upstream-ca.pem")
    @Scenario
    static class TrustOnlyForRecording {
        @Test
        void fetch() {
            Http.getWithNewDefaultClient(Upstreams.http().uri("/trusted"));
        }
    }

    private Path fixture(String scenario) {
        return basedir.resolve("src/test/resources/harp/ModesTest_" + scenario + "/fetch.har");
    }

    @Test
    void autoOnCiRefusesToRecordAndSaysHowToRecord() {
        EngineExecutionResults run = Scenarios.run(basedir, params("harp.environment.CI", "true"), Auto.class);

        assertThat(Scenarios.failures(run)).singleElement().asString()
                .contains("Auto.fetch() made 1 request with no recorded response (mode replay: configured auto, acting as replay because CI=true)")
                .contains(fixture("Auto") + " (does not exist)")
                .contains("The fixture has not been recorded yet. To record it, run it once with -Dharp.mode=record (or HARP_MODE=record)");
        assertThat(upstream.requests()).isZero();
        assertThat(basedir.resolve("src/test/resources")).doesNotExist();
    }

    @Test
    void autoOffCiRecordsWhatIsMissingAndThenReplaysOnCi() {
        EngineExecutionResults local = Scenarios.run(basedir, params(), Auto.class);
        assertThat(Scenarios.failures(local)).isEmpty();
        assertThat(fixture("Auto")).isRegularFile();
        assertThat(upstream.requests()).isEqualTo(1);

        EngineExecutionResults ci = Scenarios.run(basedir, params("harp.environment.CI", "true"), Auto.class);

        assertThat(Scenarios.failures(ci)).isEmpty();
        assertThat(upstream.requests()).isEqualTo(1);
        assertThat(SEEN).containsExactly("auto (configured auto)", "replay (configured auto, acting as replay because CI=true)");
    }

    @Test
    void harpModeOverridesTheAnnotation() {
        EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record"), ReplayOnly.class);

        assertThat(Scenarios.failures(run)).isEmpty();
        assertThat(fixture("ReplayOnly")).isRegularFile();
        assertThat(SEEN).containsExactly("record (-Dharp.mode=record)");
    }

    @Test
    void harpModeEnvironmentVariableOverridesTheAnnotationButNotTheProperty() {
        EngineExecutionResults byEnv = Scenarios.run(basedir, params("harp.environment.HARP_MODE", "record"), ReplayOnly.class);
        assertThat(Scenarios.failures(byEnv)).isEmpty();

        EngineExecutionResults both = Scenarios.run(basedir,
                params("harp.environment.HARP_MODE", "record", "harp.mode", "replay"), ReplayOnly.class);

        assertThat(Scenarios.failures(both)).isEmpty();
        assertThat(upstream.requests()).isEqualTo(1);
        assertThat(SEEN).containsExactly("record (HARP_MODE=record)", "replay (-Dharp.mode=replay)");
    }

    @Test
    void explicitReplayWithoutFixtureFailsOnlyTestsThatMakeRequests() throws Exception {
        EngineExecutionResults run = Scenarios.run(basedir, params(), ReplayWithoutFixture.class);

        assertThat(Scenarios.failures(run)).singleElement().asString()
                .startsWith("fetch(HarpProxy) -> ").contains("(does not exist)", "-Dharp.mode=record");
        assertThat(Scenarios.passed(run)).as("the test that makes no request").containsExactly("noRequest(HarpProxy)");
        assertThat(SEEN).containsExactly("replay");
        assertThat(upstream.requests()).isZero();
        assertThat(basedir.resolve("src/test/resources")).as("nothing recorded").doesNotExist();
    }

    @Test
    void aBadModeNamesWhereItCameFrom() {
        EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "replya"), Auto.class);

        assertThat(Scenarios.failures(run)).singleElement().asString()
                .contains("Harp: system property harp.mode: unknown mode 'replya' (expected record, replay, auto or passthrough)");
    }

    @Test
    void replayNeverReadsTheUpstreamTrustFileThatOnlyRecordingNeeds() {
        assertThat(Scenarios.failures(Scenarios.run(basedir, params("harp.mode", "record"), RecordsTheSharedFixture.class)))
                .isEmpty();

        EngineExecutionResults ci = Scenarios.run(basedir, params("harp.environment.CI", "true"), TrustOnlyForRecording.class);

        assertThat(Scenarios.failures(ci)).isEmpty();
        assertThat(Scenarios.passed(ci)).containsExactly("fetch()");
        assertThat(upstream.requests()).isEqualTo(1);

        EngineExecutionResults record = Scenarios.run(basedir, params("harp.mode", "record"), TrustOnlyForRecording.class);

        assertThat(Scenarios.failures(record)).singleElement().asString()
                .contains(basedir.resolve("not-on-this-checkout/upstream-ca.pem") + ": cannot read PEM certificates: no such file")
                .contains("mode record forwards to real servers and needs it");
    }
}
