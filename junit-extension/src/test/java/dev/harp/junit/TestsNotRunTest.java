package dev.harp.junit;

import dev.harp.junit.testing.UsageFiles;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.FixtureUse.Outcome;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of Harp classes that run, but not all of their tests: a disabled or broken test template, methods and
 * {@code @Nested} classes filtered out of the plan. Each is written as a {@code SKIPPED} (or {@code FAILED}) use of
 * what it would have used: a plain test's own file, the class folder for a template (its invocations' files cannot
 * be named without running it), so pruning leaves them alone. Scenarios run through {@link LauncherFactory} with the
 * listeners the launcher finds itself, as {@link ClassesNotRunTest} runs them.
 */
class TestsNotRunTest {
    @TempDir
    Path basedir;

    @Harp(wireJvm = false)
    @Scenario
    static class DisabledTemplate {
        @Test
        void plain() {
        }

        @Disabled("planted")
        @ParameterizedTest
        @ValueSource(strings = {"Tokyo", "Lima"})
        void city(String city) {
        }

        @Disabled("planted")
        @TestFactory
        Stream<DynamicTest> dynamic() {
            return Stream.of(DynamicTest.dynamicTest("one", () -> { }));
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class BrokenSource {
        static Stream<String> cities() {
            throw new IllegalStateException("planted argument source failure");
        }

        @ParameterizedTest
        @MethodSource("cities")
        void city(String city) {
        }

        @TestFactory
        Stream<DynamicTest> dynamic() {
            throw new IllegalStateException("planted factory failure");
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class TwoTests {
        @Test
        void a() {
        }

        @Test
        void b() {
        }

        @Nested
        class Inner {
            @Test
            void c() {
            }
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Tagged {
        @Test
        void plain() {
        }

        @Tag("slow")
        @ParameterizedTest
        @ValueSource(strings = {"Tokyo"})
        void city(String city) {
        }

        @Tag("slow")
        @RepeatedTest(2)
        void again() {
        }
    }

    @Harp(wireJvm = false, har = "shared/api.har", directory = "fixtures")
    @Scenario
    static class Shared {
        @Test
        void a() {
        }

        @Test
        void b() {
        }

        @Test
        void c() {
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    @ParameterizedClass
    @ValueSource(strings = {"Tokyo", "Lima"})
    static class PerCity {
        final String city;

        PerCity(String city) {
            this.city = city;
        }

        @Test
        void a() {
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Factories {
        @TestFactory
        Stream<DynamicTest> ok() {
            return Stream.of(DynamicTest.dynamicTest("one", () -> { }), DynamicTest.dynamicTest("two", () -> { }));
        }

        @TestFactory
        Stream<DynamicTest> bad() {
            return Stream.of(DynamicTest.dynamicTest("one", () -> {
                throw new IllegalStateException("planted dynamic test failure");
            }));
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class OwnHarp {
        @Test
        void plain() {
        }

        @Harp(wireJvm = false, har = "own/special.har")
        @Test
        void special() {
        }
    }

    abstract static class Base {
        @Test
        void inherited() {
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Sub extends Base {
        @Test
        void own() {
        }
    }

    @Scenario
    static class NotHarp {
        @Test
        void a() {
        }

        @Test
        void b() {
        }
    }

    @Test
    void inheritedMethodsAndTheOuterClassOfASelectedNestedClassCountClassesWithoutHarpWriteNothing()
            throws Exception {
        run(List.of(), DiscoverySelectors.selectMethod(Sub.class, "own"),
                DiscoverySelectors.selectMethod(TwoTests.Inner.class, "c"),
                DiscoverySelectors.selectMethod(NotHarp.class, "a"));

        Map<String, FixtureUse> skipped = byUser(withOutcome(Outcome.SKIPPED));
        assertThat(skipped.keySet()).containsExactlyInAnyOrder("Sub.inherited()", "TwoTests.a()", "TwoTests.b()");
        assertThat(skipped.get("Sub.inherited()").fixture())
                .isEqualTo(root().resolve("TestsNotRunTest_Sub/inherited.har"));
        assertThat(skipped.get("TwoTests.a()").fixture()).isEqualTo(root().resolve("TestsNotRunTest_TwoTests/a.har"));
        assertThat(uses()).extracting(FixtureUse::user).noneMatch(user -> user.contains("NotHarp"));
    }

    @Test
    void aFilteredTestWithItsOwnHarpNamesTheFileThatAnnotationGives() throws Exception {
        run(List.of(), DiscoverySelectors.selectMethod(OwnHarp.class, "plain"));

        assertThat(withOutcome(Outcome.SKIPPED)).singleElement().satisfies(use -> {
            assertThat(use.user()).isEqualTo("OwnHarp.special()");
            assertThat(use.fixture()).isEqualTo(root().resolve("own/special.har"));
        });
    }

    @Test
    void aDisabledParameterizedTestOrFactoryIsWrittenAsSkippedByItsClassFolder() throws Exception {
        TestExecutionSummary summary = run(List.of(), DiscoverySelectors.selectClass(DisabledTemplate.class));
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getContainersSkippedCount()).isEqualTo(2);

        List<FixtureUse> skipped = withOutcome(Outcome.SKIPPED);
        assertThat(skipped).extracting(FixtureUse::user)
                .containsExactlyInAnyOrder("DisabledTemplate.city()", "DisabledTemplate.dynamic()");
        assertThat(skipped).extracting(FixtureUse::fixture)
                .containsOnly(root().resolve("TestsNotRunTest_DisabledTemplate"));
        assertThat(withOutcome(Outcome.PASSED)).extracting(FixtureUse::user).contains("DisabledTemplate.plain()");
    }

    @Test
    void aParameterizedTestWhoseArgumentSourceThrowsOrAFactoryThatThrowsIsWrittenAsFailedByItsClassFolder() throws Exception {
        TestExecutionSummary summary = run(List.of(), DiscoverySelectors.selectClass(BrokenSource.class));
        assertThat(summary.getContainersFailedCount()).isEqualTo(2);

        Path folder = root().resolve("TestsNotRunTest_BrokenSource");
        List<FixtureUse> failed = withOutcome(Outcome.FAILED);
        assertThat(failed).filteredOn(use -> use.user().equals("BrokenSource.city()")).singleElement()
                .satisfies(use -> {
                    assertThat(use.fixture()).isEqualTo(folder);
                    assertThat(use.userId()).endsWith("/[test-template:city(java.lang.String)]");
                });
        // the factory's own use (its file, as Harp switched to it before the factory threw) and its folder
        assertThat(failed).filteredOn(use -> use.user().equals("BrokenSource.dynamic()"))
                .extracting(FixtureUse::fixture).containsExactlyInAnyOrder(folder, folder.resolve("dynamic.har"));
        assertThat(withOutcome(Outcome.SKIPPED)).isEmpty();
    }

    @Test
    void aFactoryIsWrittenWhenItEndsAndAFailedDynamicTestMarksItsClassFolderFailed() throws Exception {
        TestExecutionSummary summary = run(List.of(), DiscoverySelectors.selectClass(Factories.class));
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);

        Path folder = root().resolve("TestsNotRunTest_Factories");
        Map<String, FixtureUse> passed = byUser(withOutcome(Outcome.PASSED));
        assertThat(passed.keySet()).containsExactlyInAnyOrder("Factories.ok()", "Factories.bad()");
        assertThat(passed.get("Factories.ok()").fixture()).isEqualTo(folder.resolve("ok.har"));
        assertThat(withOutcome(Outcome.FAILED)).singleElement().satisfies(use -> {
            assertThat(use.fixture()).isEqualTo(folder);
            assertThat(use.user()).isEqualTo("Factories.bad()");
        });
    }

    @Test
    void aMethodLeftOutByAMethodSelectorIsWrittenAsSkippedWithItsOwnFileAndALeftOutNestedClassByItsFolder()
            throws Exception {
        TestExecutionSummary summary = run(List.of(), DiscoverySelectors.selectMethod(TwoTests.class, "a"));
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);

        Map<String, FixtureUse> skipped = byUser(withOutcome(Outcome.SKIPPED));
        assertThat(skipped.keySet()).containsExactlyInAnyOrder("TwoTests.b()", TwoTests.Inner.class.getName());
        assertThat(skipped.get("TwoTests.b()").fixture()).isEqualTo(root().resolve("TestsNotRunTest_TwoTests/b.har"));
        assertThat(skipped.get("TwoTests.b()").userId()).endsWith("[class:" + TwoTests.class.getName()
                + "]/[method:b()]");
        assertThat(skipped.get(TwoTests.Inner.class.getName()).fixture())
                .isEqualTo(root().resolve("TestsNotRunTest_TwoTests_Inner"));
        assertThat(withOutcome(Outcome.PASSED)).extracting(FixtureUse::user).contains("TwoTests.a()");
    }

    @Test
    void templatesExcludedByATagAreWrittenAsSkippedByTheClassFolder() throws Exception {
        TestExecutionSummary summary = run(List.of(TagFilter.excludeTags("slow")),
                DiscoverySelectors.selectClass(Tagged.class));
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);

        List<FixtureUse> skipped = withOutcome(Outcome.SKIPPED);
        assertThat(skipped).extracting(FixtureUse::user)
                .containsExactlyInAnyOrder("Tagged.city()", "Tagged.again()");
        assertThat(skipped).extracting(FixtureUse::fixture).containsOnly(root().resolve("TestsNotRunTest_Tagged"));
    }

    @Test
    void aClassSharingOneHarNamesThatFileOnceForItsFilteredMethods() throws Exception {
        run(List.of(), DiscoverySelectors.selectMethod(Shared.class, "a"));

        List<FixtureUse> skipped = withOutcome(Outcome.SKIPPED);
        assertThat(skipped).hasSize(2); // b and c, both naming the one file
        assertThat(skipped).extracting(FixtureUse::fixture)
                .containsOnly(basedir.resolve("fixtures/shared/api.har").toAbsolutePath().normalize());
    }

    @Test
    void aFullRunWritesNoSkippedUse() throws Exception {
        TestExecutionSummary summary = run(List.of(), DiscoverySelectors.selectClass(TwoTests.class),
                DiscoverySelectors.selectClass(Tagged.class), DiscoverySelectors.selectClass(Shared.class),
                DiscoverySelectors.selectClass(PerCity.class));
        assertThat(summary.getTestsSucceededCount()).isEqualTo(12);

        assertThat(uses()).isNotEmpty().allSatisfy(use -> assertThat(use.outcome()).isEqualTo(Outcome.PASSED));
    }

    private Path root() {
        return basedir.resolve(HarpExtension.DEFAULT_DIRECTORY).toAbsolutePath().normalize();
    }

    /** Runs the selection through a launcher with the listeners it finds itself (and a summary). */
    private TestExecutionSummary run(List<Filter<?>> filters, DiscoverySelector... selectors) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(Scenarios.FLAG, "true");
        all.put("harp.basedir", basedir.toString());
        all.put("harp.environment.isolated", "true");
        all.put("harp.usageDir", basedir.resolve("usage").toString());
        all.put("harp.mode", "replay");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(all)
                .selectors(selectors)
                .filters(filters.toArray(new Filter<?>[0]))
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        PrintStream out = System.out; // the skip summary found on the class path prints this inner run's line
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            LauncherFactory.create().execute(request, summary);
        } finally {
            System.setOut(out);
        }
        return summary.getSummary();
    }

    private List<FixtureUse> withOutcome(Outcome outcome) throws Exception {
        return uses().stream().filter(use -> use.outcome() == outcome).toList();
    }

    private List<FixtureUse> uses() throws Exception {
        return UsageFiles.uses(basedir.resolve("usage"));
    }

    private static Map<String, FixtureUse> byUser(List<FixtureUse> uses) {
        return UsageFiles.byUser(uses);
    }
}
