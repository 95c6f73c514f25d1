package dev.harp.junit;

import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keepValues} on the annotation and on the builder reaches the recording: the named value stays, the rest goes. */
class KeepValuesTest {
    @TempDir
    Path basedir;

    @Harp(keepValues = "session")
    @Scenario
    static class Annotated {
        @Test
        void login() {
            Http.getWithNewDefaultClient(Upstreams.http().uri("/login?session=abc&token=t0k"));
        }
    }

    @Scenario
    static class Programmatic {
        @RegisterExtension
        static HarpExtension harp = HarpExtension.builder().keepValues("Session").build();

        @Test
        void login() {
            Http.getWithNewDefaultClient(Upstreams.http().uri("/login?session=abc&token=t0k"));
        }
    }

    @Harp
    @Scenario
    static class Default {
        @Test
        void login() {
            Http.getWithNewDefaultClient(Upstreams.http().uri("/login?session=abc&token=t0k"));
        }
    }

    private String record(Class<?> scenario) throws Exception {
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults results = Scenarios.run(basedir, params("harp.mode", "record"), scenario);
            assertThat(Scenarios.failures(results)).isEmpty();
        }
        Path har = basedir.resolve("src/test/resources/harp/KeepValuesTest_" + scenario.getSimpleName() + "/login.har");
        return Files.readString(har);
    }

    @Test
    void theAnnotationKeepsTheNamedValue() throws Exception {
        assertThat(record(Annotated.class)).contains("session=abc&token=REDACTED");
    }

    @Test
    void theBuilderKeepsTheNamedValue() throws Exception {
        assertThat(record(Programmatic.class)).contains("session=abc&token=REDACTED");
    }

    @Test
    void withoutItTheValueIsRedacted() throws Exception {
        assertThat(record(Default.class)).contains("session=REDACTED&token=REDACTED");
    }
}
