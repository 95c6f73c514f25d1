package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import dev.harp.replay.SequencePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The @RegisterExtension builder has the annotation's options; options reach the core. */
class ProgrammaticTest {
    @TempDir
    Path basedir;
    TestUpstream upstream;
    static final List<Integer> PORTS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = TestUpstream.http();
        Upstreams.http(upstream);
        PORTS.clear();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Scenario
    static class Static {
        @RegisterExtension
        static HarpExtension harp = HarpExtension.builder().wireJvm(false).ignoreQueryParams("ts").build();

        @Test
        void first(HarpProxy proxy) {
            PORTS.add(proxy.port());
            Http.get(proxy.httpClient(), Upstreams.http().uri("/clock?ts=" + System.nanoTime()));
        }

        @Test
        void second(HarpProxy proxy) {
            PORTS.add(proxy.port());
            Http.get(proxy.httpClient(), Upstreams.http().uri("/clock?ts=" + System.nanoTime()));
        }
    }

    @Scenario
    static class PerTest {
        @RegisterExtension
        HarpExtension harp = HarpExtension.builder().wireJvm(false).build();

        @Test
        void first(HarpProxy proxy) {
            PORTS.add(proxy.port());
        }

        @Test
        void second(HarpProxy proxy) {
            PORTS.add(proxy.port());
        }
    }

    @Harp(wireJvm = false)
    @Scenario
    static class Twice {
        @RegisterExtension
        static HarpExtension harp = HarpExtension.builder().wireJvm(false).build();

        @Test
        void nothing() {
        }
    }

    @Harp(latency = "fast")
    @Scenario
    static class BadOption {
        @Test
        void nothing() {
        }
    }

    @Harp(wireJvm = false, latency = "300ms")
    @Scenario
    static class Slow {
        @Test
        void fetch(HarpProxy proxy) {
            long start = System.nanoTime();
            var response = Http.get(proxy.httpClient(), Upstreams.http().uri("/slow"));
            assertThat(response.statusCode() + " " + response.body()).isEqualTo("200 " + TestUpstream.expected("/slow"));
            PORTS.add((int) ((System.nanoTime() - start) / 1_000_000));
        }
    }

    @Test
    void aStaticFieldGivesOneProxyPerClassWithItsMatchingOptions() {
        EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), Static.class);
        assertThat(Scenarios.failures(recording)).isEmpty();
        upstream.close();

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), Static.class);

        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(PORTS).hasSize(4);
        assertThat(PORTS.get(0)).isEqualTo(PORTS.get(1));
    }

    @Test
    void anInstanceFieldGivesEachTestItsOwnProxy() {
        EngineExecutionResults run = Scenarios.run(basedir, params(), PerTest.class);

        assertThat(Scenarios.failures(run)).isEmpty();
        assertThat(PORTS).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void harpTwiceOnOneClassIsAConfigurationError() {
        EngineExecutionResults run = Scenarios.run(basedir, params(), Twice.class);

        assertThat(Scenarios.failures(run)).singleElement().asString().contains("registers Harp twice");
    }

    @Test
    void aBadOptionNamesTheClass() {
        EngineExecutionResults run = Scenarios.run(basedir, params(), BadOption.class);

        assertThat(Scenarios.failures(run)).singleElement().asString()
                .contains("invalid @Harp on class dev.harp.junit.ProgrammaticTest$BadOption", "fast");
    }

    @Test
    void latencyReachesTheProxy() throws Exception {
        HarpOptions options = HarpOptions.from(Slow.class.getAnnotation(Harp.class));
        Fixture fixture = new Fixture(basedir.resolve("slow.har"),
                new dev.harp.ModeResolution(Mode.PASSTHROUGH, Mode.PASSTHROUGH, "test"), "test");
        try (ProxyHandle proxy = ProxyHandle.start(basedir, options.proxy(), fixture)) {
            assertThat(proxy.coreConfig().latency()).hasToString("300ms");
            assertThat(proxy.coreConfig().matchOptions()).isEqualTo(options.proxy().match());
        }
    }

    @Test
    void latencyIsSimulatedOnReplay() {
        assertThat(Scenarios.failures(Scenarios.run(basedir, params("harp.mode", "record"), Slow.class))).isEmpty();
        PORTS.clear();

        assertThat(Scenarios.failures(Scenarios.run(basedir, params("harp.mode", "replay"), Slow.class))).isEmpty();

        assertThat(PORTS).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.INTEGER)
                .isGreaterThanOrEqualTo(300);
    }

    @Harp(har = "x.har", directory = "fixtures", mode = Mode.REPLAY, ignoreQueryParams = "a", ignoreJsonPaths = "$.b",
            matchHeaders = "X-C", ignoreBody = true, hostAliases = "localhost:1=api.example:443",
            sequence = SequencePolicy.REUSE_FIRST, wireJvm = false, failOnMiss = false, failOnUnused = true,
            latency = "250ms", insecureUpstream = true, upstreamTrust = "ca.pem", noIntercept = "*.pinned",
            bindAddress = "0.0.0.0", keepValues = "session", proxyAuth = "u:p")
    static class Everything {
    }

    @Test
    void builderAndAnnotationSpeakTheSameOptions() {
        HarpOptions fromBuilder = HarpExtension.builder().har("x.har").directory("fixtures").mode(Mode.REPLAY)
                .ignoreQueryParams("a").ignoreJsonPaths("$.b").matchHeaders("X-C").ignoreBody(true)
                .hostAliases("localhost:1=api.example:443").sequence(SequencePolicy.REUSE_FIRST).wireJvm(false)
                .failOnMiss(false).failOnUnused(true).latency("250ms").insecureUpstream(true).upstreamTrust("ca.pem")
                .noIntercept("*.pinned").bindAddress("0.0.0.0").keepValues("session").proxyAuth("u:p").options();
        HarpOptions fromAnnotation = HarpOptions.from(Everything.class.getAnnotation(Harp.class));

        assertThat(fromBuilder.proxy()).isEqualTo(fromAnnotation.proxy());
        assertThat(fromBuilder).usingRecursiveComparison().isEqualTo(fromAnnotation);
        assertThat(fromBuilder).usingRecursiveComparison().isNotEqualTo(HarpOptions.defaults());
        assertThatThrownBy(() -> HarpExtension.builder().latency("soon").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");
    }
}
