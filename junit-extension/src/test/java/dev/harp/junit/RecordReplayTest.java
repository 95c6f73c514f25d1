package dev.harp.junit;

import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** Record a class with several tests against a live upstream, then replay it with the upstream stopped. */
class RecordReplayTest {
    @TempDir
    Path basedir;

    @Harp
    @Scenario
    static class Weather {
        @Test
        void today() {
            String body = Http.getWithNewDefaultClient(Upstreams.http().uri("/weather?day=today"));
            assertThat(body).isEqualTo(TestUpstream.expected("/weather?day=today"));
        }

        @Test
        void tomorrow() {
            String body = Http.getWithUrlConnection(Upstreams.http().uri("/weather?day=tomorrow"));
            assertThat(body).isEqualTo(TestUpstream.expected("/weather?day=tomorrow"));
        }

        @Test
        void noTraffic() {
            assertThat(1 + 1).isEqualTo(2);
        }
    }

    @Harp(upstreamTrust = "public-ca.pem")
    @Scenario
    static class SecureWeather {
        @Test
        void today() {
            String body = Http.getWithNewDefaultClient(Upstreams.https().uri("/secure?day=today"));
            assertThat(body).isEqualTo(TestUpstream.expected("/secure?day=today"));
        }
    }

    @Test
    void recordsOneFixturePerTestThenReplaysWithTheUpstreamStopped() throws Exception {
        Path dir = basedir.resolve("src/test/resources/harp/RecordReplayTest_Weather");
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), Weather.class);
            assertThat(Scenarios.failures(recording)).isEmpty();
            assertThat(Scenarios.passed(recording)).hasSize(3);
            assertThat(upstream.requests()).isEqualTo(2);
        }
        assertThat(fileNames(dir)).containsExactlyInAnyOrder("today.har", "tomorrow.har");
        assertThat(Files.readString(dir.resolve("today.har")))
                .contains("\"name\": \"Harp\"", "/weather?day=today", TestUpstream.expected("/weather?day=today"))
                .doesNotContain("day=tomorrow");

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), Weather.class);

        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(Scenarios.passed(replay)).hasSize(3);
        assertThat(fileNames(dir)).containsExactlyInAnyOrder("today.har", "tomorrow.har");
    }

    @Test
    void recordsAndReplaysHttpsThroughTheInterceptingProxy() throws Exception {
        CertificateAuthority publicCa = CertificateAuthority.inMemory();
        publicCa.exportPem(basedir.resolve("public-ca.pem"));
        Path fixture = basedir.resolve("src/test/resources/harp/RecordReplayTest_SecureWeather/today.har");
        try (TestUpstream upstream = TestUpstream.https(publicCa)) {
            Upstreams.https(upstream);
            EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), SecureWeather.class);
            assertThat(Scenarios.failures(recording)).isEmpty();
            assertThat(upstream.requests()).isEqualTo(1);
        }
        assertThat(Files.readString(fixture)).contains("https://127.0.0.1:", "/secure?day=today");

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), SecureWeather.class);

        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(Scenarios.passed(replay)).containsExactly("today()");
    }

    static java.util.List<String> fileNames(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
