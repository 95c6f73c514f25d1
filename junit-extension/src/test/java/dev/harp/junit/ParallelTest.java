package dev.harp.junit;

import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** Classes that do not wire the JVM run in parallel, each with its own proxy and fixtures. */
class ParallelTest {
    @TempDir
    Path basedir;

    /** Both classes must be inside their test at the same time, or the barrier times out and the tests fail. */
    static volatile CyclicBarrier together;

    static void fetchThenMeet(HarpProxy harp, String path) throws Exception {
        assertThat(Http.get(harp.httpClient(), Upstreams.http().uri(path)).body()).isEqualTo(TestUpstream.expected(path));
        together.await(20, TimeUnit.SECONDS);
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Left {
        @Test
        void fetch(HarpProxy harp) throws Exception {
            fetchThenMeet(harp, "/left");
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Right {
        @Test
        void fetch(HarpProxy harp) throws Exception {
            fetchThenMeet(harp, "/right");
        }
    }

    @Test
    void twoUnwiredClassesRecordConcurrentlyIntoTheirOwnFixtures() throws Exception {
        together = new CyclicBarrier(2);
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record",
                            "junit.jupiter.execution.parallel.enabled", "true",
                            "junit.jupiter.execution.parallel.mode.default", "same_thread",
                            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                            "junit.jupiter.execution.parallel.config.strategy", "fixed",
                            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"),
                    Left.class, Right.class);

            assertThat(Scenarios.failures(run)).isEmpty();
            assertThat(Scenarios.passed(run)).hasSize(2);
        }
        Path root = basedir.resolve("src/test/resources/harp");
        assertThat(Files.readString(root.resolve("ParallelTest_Left/fetch.har"))).contains("/left").doesNotContain("/right");
        assertThat(Files.readString(root.resolve("ParallelTest_Right/fetch.har"))).contains("/right").doesNotContain("/left");
    }
}
