package dev.harp.junit;

import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** Fixture names for nested classes, test templates, inheritance, meta-annotations and class-level requests. */
class NamingTest {
    @TempDir
    Path basedir;
    TestUpstream upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = TestUpstream.http();
        Upstreams.http(upstream);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    static void fetch(String path) {
        assertThat(Http.getWithNewDefaultClient(Upstreams.http().uri(path))).isEqualTo(TestUpstream.expected(path));
    }

    @Harp
    @Scenario
    static class Outer {
        @BeforeAll
        static void warmUp() {
            fetch("/before-all");
        }

        @AfterAll
        static void coolDown() {
            fetch("/after-all");
        }

        @Test
        void plain() {
            fetch("/plain-test");
        }

        @ParameterizedTest
        @ValueSource(strings = {"tokyo", "paris"})
        void city(String city) {
            fetch("/city/" + city);
        }

        @RepeatedTest(2)
        void poll() {
            fetch("/poll");
        }

        @Nested
        class Inner {
            @Test
            void deep() {
                fetch("/deep");
            }
        }
    }

    @Harp
    abstract static class Base {
        @Test
        void inherited() {
            fetch("/inherited/" + getClass().getSimpleName());
        }
    }

    @Scenario
    static class Child extends Base {
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Harp(har = "shared/api.har", wireJvm = false)
    @Scenario
    @interface ApiTest {
    }

    @ApiTest
    static class Meta {
        @Test
        void first(HarpProxy harp) {
            assertThat(Http.get(harp.httpClient(), Upstreams.http().uri("/first")).body()).endsWith("/first");
        }

        @Test
        void second(HarpProxy harp) {
            assertThat(Http.get(harp.httpClient(), Upstreams.http().uri("/second")).body()).endsWith("/second");
        }
    }

    @Scenario
    static class MethodOnly {
        @Test
        @Harp
        void annotated() {
            fetch("/method-only");
        }

        @Test
        void bare() {
            assertThat(System.getProperty("http.proxyHost")).isNull();
        }
    }

    private List<String> files() throws IOException {
        Path root = basedir.resolve("src/test/resources/harp");
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void everyKindOfTestGetsADocumentedNameAndReplays() throws IOException {
        EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), Outer.class);
        assertThat(Scenarios.failures(recording)).isEmpty();
        assertThat(Scenarios.passed(recording)).hasSize(6);

        assertThat(files()).containsExactly(
                "NamingTest_Outer/afterAll.har",
                "NamingTest_Outer/beforeAll.har",
                "NamingTest_Outer/city_1_tokyo.har",
                "NamingTest_Outer/city_2_paris.har",
                "NamingTest_Outer/plain.har",
                "NamingTest_Outer/poll_repetition_1_of_2.har",
                "NamingTest_Outer/poll_repetition_2_of_2.har",
                "NamingTest_Outer_Inner/deep.har");
        Path root = basedir.resolve("src/test/resources/harp/NamingTest_Outer");
        assertThat(Files.readString(root.resolve("beforeAll.har"))).contains("/before-all").doesNotContain("/plain-test");
        assertThat(Files.readString(root.resolve("afterAll.har"))).contains("/after-all").doesNotContain("/deep");

        upstream.close();
        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), Outer.class);
        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(Scenarios.passed(replay)).hasSize(6);
    }

    @Test
    void inheritedTestsAreNamedAfterTheClassThatRunsThem() throws IOException {
        EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record"), Child.class);

        assertThat(Scenarios.failures(run)).isEmpty();
        assertThat(files()).containsExactly("NamingTest_Child/inherited.har");
    }

    @Test
    void aMetaAnnotationWithOneHarForTheClassRecordsEveryTestIntoIt() throws IOException {
        EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), Meta.class);
        assertThat(Scenarios.failures(recording)).isEmpty();
        assertThat(files()).containsExactly("shared/api.har");
        assertThat(Files.readString(basedir.resolve("src/test/resources/harp/shared/api.har"))).contains("/first", "/second");

        upstream.close();
        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), Meta.class);
        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(Scenarios.passed(replay)).hasSize(2);
    }

    @Test
    void harpOnAMethodAloneGivesThatTestItsOwnProxy() throws IOException {
        EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record"), MethodOnly.class);

        assertThat(Scenarios.failures(run)).isEmpty();
        assertThat(Scenarios.passed(run)).hasSize(2);
        assertThat(files()).containsExactly("NamingTest_MethodOnly/annotated.har");
    }

    @Test
    void fileSafeSuffixes() {
        assertThat(FixtureNames.fileSafe("[1] city=\"Tokyo\"")).isEqualTo("1_city_Tokyo");
        assertThat(FixtureNames.fileSafe("repetition 2 of 3")).isEqualTo("repetition_2_of_3");
        assertThat(FixtureNames.fileSafe("[]")).isEqualTo("invocation");
        String longName = FixtureNames.fileSafe("x".repeat(200));
        assertThat(longName).hasSize(FixtureNames.MAX_SUFFIX).startsWith("xxx").matches(".*_[0-9a-f]{8}");
        assertThat(FixtureNames.classDirectory(Outer.Inner.class)).isEqualTo("NamingTest_Outer_Inner");
    }
}
