package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import dev.harp.options.Face;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.FixtureUse.Outcome;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage data of the JUnit face: each test's use of its fixture, with its outcome, hits, misses and unused entries;
 * a shared HAR's use by its class; skipped tests named; parallel classes lose nothing; writing never fails a test.
 */
class UsageDataTest {
    @TempDir
    Path basedir;

    /** Whether the scenario classes run against their recording (and make their planted changes). */
    static volatile boolean replaying;

    static String get(HarpProxy harp, String path) {
        return Http.get(harp.httpClient(), Upstreams.http().uri(path)).body();
    }

    @Harp(wireJvm = false, failOnMiss = false)
    @Scenario
    static class Weather {
        @Test
        void forecast(HarpProxy harp) {
            get(harp, "/forecast?city=Paris");
            if (replaying) {
                get(harp, "/forecast?city=Tokyo&token=s3cr3t-t0ken"); // the planted miss
            } else {
                get(harp, "/stats"); // recorded, never asked for again: the unused entry
            }
        }

        @Test
        void breaks(HarpProxy harp) {
            get(harp, "/breaks");
            if (replaying) {
                throw new IllegalStateException("planted failure");
            }
        }

        @Test
        void assumes(HarpProxy harp) {
            get(harp, "/assumes");
            Assumptions.assumeFalse(replaying, "planted abort");
        }

        @Test
        @Disabled("planted skip")
        void later(HarpProxy harp) {
            get(harp, "/later");
        }
    }

    @Harp(wireJvm = false, har = "shared/api.har")
    @Scenario
    static class Shared {
        @Test
        void first(HarpProxy harp) {
            get(harp, "/a");
        }

        @Test
        void second(HarpProxy harp) {
            if (!replaying) {
                get(harp, "/b"); // recorded; the replay run never asks: unused in the class's use
            }
        }
    }

    @Test
    void eachTestsUseHasItsOutcomeHitsMissesAndUnusedEntries() throws Exception {
        Path recording = basedir.resolve("usage-record");
        Path usage = basedir.resolve("usage");
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            replaying = false;
            EngineExecutionResults record = Scenarios.run(basedir, params("harp.mode", "record",
                    "harp.usageDir", recording.toString()), Weather.class, Shared.class);
            assertThat(Scenarios.failures(record)).isEmpty();
            replaying = true;
            Scenarios.run(basedir, params("harp.mode", "replay", "harp.usageDir", usage.toString()),
                    Weather.class, Shared.class);
        } finally {
            replaying = false;
        }
        Path root = basedir.resolve("src/test/resources/harp").toAbsolutePath().normalize();
        Path forecastHar = root.resolve("UsageDataTest_Weather/forecast.har");

        UsageLog.Contents recorded = UsageLog.at(recording).read();
        assertThat(recorded.problems()).isEmpty();
        FixtureUse firstRecording = byUser(recorded).get("Weather.forecast()");
        assertThat(firstRecording.mode()).isEqualTo(Mode.RECORD);
        assertThat(firstRecording.existed()).isFalse();
        assertThat(firstRecording.sha256()).isEmpty();
        assertThat(firstRecording.recorded()).isEqualTo(2);
        assertThat(firstRecording.outcome()).isEqualTo(Outcome.PASSED);

        UsageLog.Contents contents = UsageLog.at(usage).read();
        assertThat(contents.problems()).isEmpty();
        Map<String, FixtureUse> uses = byUser(contents);
        assertThat(uses.keySet()).containsExactlyInAnyOrder("Weather.forecast()", "Weather.breaks()",
                "Weather.assumes()", "Weather.later()", "Shared.first()", "Shared.second()", "Shared");

        FixtureUse forecast = uses.get("Weather.forecast()");
        assertThat(forecast.fixture()).isEqualTo(forecastHar);
        assertThat(forecast.face()).isEqualTo(Face.JUNIT);
        assertThat(forecast.userId()).contains("Weather").contains("forecast");
        assertThat(forecast.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(forecast.mode()).isEqualTo(Mode.REPLAY);
        assertThat(forecast.modeSource()).contains("harp.mode");
        assertThat(forecast.existed()).isTrue();
        assertThat(forecast.sha256()).isEqualTo(UsageLog.sha256(forecastHar));
        assertThat(forecast.entries()).isEqualTo(2);
        assertThat(forecast.hits()).isEqualTo(1);
        assertThat(forecast.unused()).containsExactly(1);
        assertThat(forecast.recorded()).isZero();
        // Surefire passes -Dtest=... into this JVM: the scenario run inherits it as its own narrowing
        assertThat(forecast.selection()).isEqualTo(UsageRecords.selection(System.getProperties()));
        assertThat(forecast.misses()).singleElement().satisfies(miss -> {
            assertThat(miss.live().url()).contains("city=Tokyo").doesNotContain("s3cr3t-t0ken");
            assertThat(miss.closest().get(0).entries()).containsExactly(0);
            assertThat(miss.closest().get(0).differences()).anySatisfy(d -> assertThat(d.description()).contains("city"));
            assertThat(miss.text()).contains("ignoreQueryParams = \"city\"");
        });
        assertThat(Files.list(usage.resolve(UsageLog.USES)).map(p -> {
            try {
                return Files.readString(p);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).collect(Collectors.joining())).doesNotContain("s3cr3t-t0ken");

        assertThat(uses.get("Weather.breaks()").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(uses.get("Weather.breaks()").hits()).isEqualTo(1);
        assertThat(uses.get("Weather.assumes()").outcome()).isEqualTo(Outcome.ABORTED);
        FixtureUse later = uses.get("Weather.later()");
        assertThat(later.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(later.fixture()).isEqualTo(root.resolve("UsageDataTest_Weather/later.har"));
        assertThat(later.hits()).isZero();

        Path sharedHar = root.resolve("shared/api.har");
        FixtureUse shared = uses.get("Shared");
        assertThat(shared.fixture()).isEqualTo(sharedHar);
        assertThat(shared.entries()).isEqualTo(2);
        List<dev.harp.HarFile.Entry> entries = dev.harp.HarFile.read(sharedHar).entries();
        int b = entries.get(0).url().endsWith("/b") ? 0 : 1; // the order the tests ran in when recording
        assertThat(entries.get(b).url()).endsWith("/b");
        assertThat(shared.unused()).as("/b, recorded by second(), never asked for in replay").containsExactly(b);
        assertThat(shared.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(uses.get("Shared.first()").hits()).isEqualTo(1);
        assertThat(uses.get("Shared.first()").fixture()).isEqualTo(sharedHar);
        assertThat(uses.get("Shared.second()").hits()).isZero();
    }

    private static final int TESTS_PER_CLASS = 3;

    @Harp(wireJvm = false)
    @Scenario
    static class P1 {
        @Test
        void a(HarpProxy harp) {
            get(harp, "/p1/a");
        }

        @Test
        void b(HarpProxy harp) {
            get(harp, "/p1/b");
        }

        @Test
        void c(HarpProxy harp) {
            get(harp, "/p1/c");
        }
    }

    @Scenario
    static class P2 extends P1 {
    }

    @Scenario
    static class P3 extends P1 {
    }

    @Scenario
    static class P4 extends P1 {
    }

    @Test
    void classesRunInParallelLoseNothing() throws Exception {
        Path usage = basedir.resolve("usage");
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record",
                            "harp.usageDir", usage.toString(),
                            "junit.jupiter.execution.parallel.enabled", "true",
                            "junit.jupiter.execution.parallel.mode.default", "concurrent",
                            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                            "junit.jupiter.execution.parallel.config.strategy", "fixed",
                            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"),
                    P1.class, P2.class, P3.class, P4.class);
            assertThat(Scenarios.failures(run)).isEmpty();
        }
        UsageLog.Contents contents = UsageLog.at(usage).read();
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.uses()).hasSize(4 * TESTS_PER_CLASS);
        assertThat(contents.uses().stream().map(FixtureUse::user).distinct()).hasSize(4 * TESTS_PER_CLASS);
        assertThat(contents.uses()).allSatisfy(u -> {
            assertThat(u.recorded()).isEqualTo(1);
            assertThat(u.outcome()).isEqualTo(Outcome.PASSED);
        });
    }

    @Test
    void offWritesNothingAndAnUnwritableFolderFailsNoTest() throws Exception {
        Path blocker = Files.writeString(basedir.resolve("blocker"), "a file where the usage folder should be");
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults off = Scenarios.run(basedir, params("harp.mode", "record", "harp.usageDir", "off"),
                    P1.class);
            assertThat(Scenarios.failures(off)).isEmpty();
            EngineExecutionResults blocked = Scenarios.run(basedir, params("harp.mode", "record",
                    "harp.environment.HARP_USAGE_DIR", blocker.toString()), P2.class);
            assertThat(Scenarios.failures(blocked)).isEmpty();
            assertThat(Scenarios.passed(blocked)).hasSize(TESTS_PER_CLASS);
        }
        assertThat(basedir.resolve("off")).doesNotExist();
        assertThat(blocker).isRegularFile();
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Broken {
        @Test
        void reads(HarpProxy harp) {
            get(harp, "/never-reached");
        }
    }

    @Test
    void aTestWhoseFixtureCannotBeOpenedIsWrittenAsFailedForThatFixture() throws Exception {
        Path har = basedir.resolve("src/test/resources/harp/UsageDataTest_Broken/reads.har");
        Files.createDirectories(har.getParent());
        Files.writeString(har, "{\"log\": {\"entries\": [ {\"request\": ,");
        Path usage = basedir.resolve("usage");
        EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "replay",
                "harp.usageDir", usage.toString()), Broken.class);
        assertThat(run.testEvents().failed().count()).isEqualTo(1);

        UsageLog.Contents contents = UsageLog.at(usage).read();
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.uses()).filteredOn(u -> u.user().equals("Broken.reads()")).singleElement()
                .satisfies(use -> {
                    assertThat(use.fixture()).isEqualTo(har.toAbsolutePath().normalize());
                    assertThat(use.outcome()).as("pruning must keep what a failed test did not reach")
                            .isEqualTo(Outcome.FAILED);
                    assertThat(use.existed()).isTrue();
                    assertThat(use.hits()).isZero();
                });
    }

    @Test
    void theFolderIsTheModulesTargetHarpUnlessConfigured() throws Exception {
        Path module = basedir.resolve("module");
        Path classes = Files.createDirectories(module.resolve("target/test-classes"));
        assertThat(UsageRecords.folder(basedir, null, classes)).contains(module.resolve("target/harp"));
        assertThat(UsageRecords.folder(basedir, "build/usage", classes)).contains(basedir.resolve("build/usage"));
        assertThat(UsageRecords.folder(basedir, "NONE", classes)).isEmpty();
        assertThat(UsageRecords.folder(basedir, "off", classes)).isEmpty();
        Path jar = Files.writeString(basedir.resolve("tests.jar"), "");
        assertThat(UsageRecords.folder(basedir, null, jar)).as("no target folder under the base directory").isEmpty();
        assertThat(UsageRecords.folder(module, null, jar)).contains(module.resolve("target/harp"));
    }

    @Test
    void theSelectionNamesWhatNarrowedTheRun() {
        Properties none = new Properties();
        assertThat(UsageRecords.selection(none)).isEmpty();
        Properties narrowed = new Properties();
        narrowed.setProperty("test", "WeatherTest#forecast");
        narrowed.setProperty("groups", " slow ");
        narrowed.setProperty("excludedGroups", "");
        assertThat(UsageRecords.selection(narrowed)).isEqualTo("test=WeatherTest#forecast groups=slow");
    }

    private static Map<String, FixtureUse> byUser(UsageLog.Contents contents) {
        Map<String, FixtureUse> byUser = new HashMap<>();
        for (FixtureUse use : contents.uses()) {
            assertThat(byUser.put(use.user(), use)).as("one use by " + use.user()).isNull();
        }
        return byUser;
    }
}
