package dev.harp.junit;

import dev.harp.junit.testing.UsageFiles;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.options.Face;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.FixtureUse.Outcome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test classes that never run their tests (disabled, {@code @BeforeAll} failed or aborted) are written as usage data
 * by {@link ClassesNotRun}, naming their fixture folder (or shared HAR), so pruning leaves their fixtures alone. The
 * scenario classes run through a launcher made by {@link LauncherFactory#create()}: the listener is there only
 * because the launcher found it through {@link java.util.ServiceLoader}.
 */
class ClassesNotRunTest {
    @TempDir
    Path basedir;

    /** How often {@link Off} was initialised: never, as neither JUnit nor the listener has to. */
    static final AtomicInteger OFF_INITIALISED = new AtomicInteger();

    @Harp(wireJvm = false)
    @Disabled("planted")
    @Scenario
    static class Off {
        static final int INIT = OFF_INITIALISED.incrementAndGet();

        @Test
        void a() {
        }

        @Nested
        class Inner {
            @Test
            void b() {
            }
        }
    }

    @Harp(wireJvm = false, har = "shared/api.har", directory = "fixtures")
    @Disabled("planted")
    @Scenario
    static class OffShared {
        @Test
        void a() {
        }
    }

    @Disabled("planted")
    @Scenario
    static class OffProgrammatic {
        @RegisterExtension
        static HarpExtension harp = HarpExtension.builder().wireJvm(false).build();

        @Test
        void a() {
        }
    }

    @ExtendWith(HarpExtension.class)
    @Disabled("planted")
    @Scenario
    static class OffExtendWith {
        @Test
        void a() {
        }
    }

    @Disabled("planted")
    @Scenario
    static class NotHarp {
        @Test
        void a() {
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class BrokenSetup {
        @BeforeAll
        static void setUp() {
            throw new IllegalStateException("planted @BeforeAll failure");
        }

        @Test
        void a() {
        }

        @Nested
        class Inner {
            @Test
            void b() {
            }
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class AbortedSetup {
        @BeforeAll
        static void setUp() {
            Assumptions.assumeTrue(false, "planted assumption");
        }

        @Test
        void a() {
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Runs {
        @Test
        void a() {
        }
    }

    @Test
    void aDisabledHarpClassAndItsNestedClassesAreWrittenAsSkippedByFolderWithoutInitialisingIt() throws Exception {
        Files.createDirectories(root().resolve("ClassesNotRunTest_Off"));
        TestExecutionSummary summary = run(Map.of(), Off.class);
        assertThat(summary.getContainersSkippedCount()).isEqualTo(2); // Off and Off.Inner

        Map<String, FixtureUse> uses = byUser(uses());
        assertThat(uses.keySet()).containsExactlyInAnyOrder(Off.class.getName(), Off.Inner.class.getName());
        FixtureUse off = uses.get(Off.class.getName());
        assertThat(off.fixture()).isEqualTo(root().resolve("ClassesNotRunTest_Off"));
        assertThat(off.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(off.face()).isEqualTo(Face.JUNIT);
        assertThat(off.userId()).contains("[class:" + Off.class.getName() + "]");
        assertThat(off.existed()).isTrue();
        assertThat(off.entries()).isZero();
        assertThat(off.sha256()).isEmpty();
        assertThat(off.modeSource()).isNotEmpty();
        FixtureUse inner = uses.get(Off.Inner.class.getName());
        assertThat(inner.fixture()).isEqualTo(root().resolve("ClassesNotRunTest_Off_Inner"));
        assertThat(inner.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(inner.existed()).isFalse();
        assertThat(inner.userId()).contains("[nested-class:Inner]");
        assertThat(OFF_INITIALISED).hasValue(0);
    }

    @Test
    void aSharedHarIsNamedAsTheFileAndProgrammaticOrExtendWithRegistrationCountsAsHarp() throws Exception {
        run(Map.of(), OffShared.class, OffProgrammatic.class, OffExtendWith.class);

        Map<String, FixtureUse> uses = byUser(uses());
        assertThat(uses.keySet()).containsExactlyInAnyOrder(OffShared.class.getName(),
                OffProgrammatic.class.getName(), OffExtendWith.class.getName());
        assertThat(uses.get(OffExtendWith.class.getName()).fixture())
                .isEqualTo(root().resolve("ClassesNotRunTest_OffExtendWith"));
        assertThat(uses.get(OffShared.class.getName()).fixture())
                .isEqualTo(basedir.resolve("fixtures/shared/api.har").toAbsolutePath().normalize());
        assertThat(uses.get(OffProgrammatic.class.getName()).fixture())
                .isEqualTo(root().resolve("ClassesNotRunTest_OffProgrammatic"));
    }

    @Test
    void aFailedOrAbortedBeforeAllIsWrittenAsFailedOrAborted() throws Exception {
        TestExecutionSummary summary = run(Map.of("harp.mode", "replay"), BrokenSetup.class, AbortedSetup.class);
        assertThat(summary.getContainersFailedCount()).isEqualTo(1);
        assertThat(summary.getContainersAbortedCount()).isEqualTo(1);

        Map<String, FixtureUse> uses = byUser(uses());
        assertThat(uses.keySet()).containsExactlyInAnyOrder(BrokenSetup.class.getName(),
                BrokenSetup.Inner.class.getName(), AbortedSetup.class.getName());
        FixtureUse broken = uses.get(BrokenSetup.class.getName());
        assertThat(broken.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(broken.fixture()).isEqualTo(root().resolve("ClassesNotRunTest_BrokenSetup"));
        assertThat(broken.modeSource()).contains("harp.mode");
        assertThat(uses.get(BrokenSetup.Inner.class.getName()).outcome()).isEqualTo(Outcome.FAILED);
        FixtureUse aborted = uses.get(AbortedSetup.class.getName());
        assertThat(aborted.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(aborted.fixture()).isEqualTo(root().resolve("ClassesNotRunTest_AbortedSetup"));
    }

    @Test
    void classesWithoutHarpAndClassesThatRanGetNoRecordOfTheirOwn() throws Exception {
        TestExecutionSummary summary = run(Map.of(), NotHarp.class, Runs.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);

        List<FixtureUse> uses = uses();
        assertThat(uses).extracting(FixtureUse::user).containsExactly("Runs.a()");
        assertThat(uses.get(0).outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void withoutTheLaunchersAutoRegistrationNothingIsWritten() throws Exception {
        execute(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build(), Map.of(),
                Off.class);

        assertThat(uses()).isEmpty();
    }

    private Path root() {
        return basedir.resolve(HarpExtension.DEFAULT_DIRECTORY).toAbsolutePath().normalize();
    }

    /** Runs the classes through a launcher with the listeners it finds itself (and a summary). */
    private TestExecutionSummary run(Map<String, String> parameters, Class<?>... classes) {
        return execute(LauncherConfig.DEFAULT, parameters, classes);
    }

    private TestExecutionSummary execute(LauncherConfig config, Map<String, String> parameters, Class<?>... classes) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(Scenarios.FLAG, "true");
        all.put("harp.basedir", basedir.toString());
        all.put("harp.environment.isolated", "true");
        all.put("harp.usageDir", basedir.resolve("usage").toString());
        all.putAll(parameters);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(all)
                .selectors(Arrays.stream(classes).map(DiscoverySelectors::selectClass).collect(Collectors.toList()))
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        // The launcher also finds the test class path's SkipSummary (made per execution), which prints its line to
        // the System.out it sees when made: this inner run's line is not the build's, so it goes nowhere.
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            LauncherFactory.create(config).execute(request, summary);
        } finally {
            System.setOut(out);
        }
        return summary.getSummary();
    }

    private List<FixtureUse> uses() throws Exception {
        return UsageFiles.uses(basedir.resolve("usage"));
    }

    private static Map<String, FixtureUse> byUser(List<FixtureUse> uses) {
        return UsageFiles.byUser(uses);
    }
}
