package dev.harp.junit;

import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A class after the first reuses the proxy a finished class with the same options left (issue 17: a further class
 * must cost little), with its own fixtures and wiring; other options get a proxy of their own, and every proxy is
 * closed when the run ends.
 */
class ProxyReuseTest {
    @TempDir
    Path basedir;

    /** Port of each class's proxy, by the path it fetched. */
    static final Map<String, Integer> PORTS = new ConcurrentHashMap<>();

    static void fetch(HarpProxy harp, String path) {
        PORTS.put(path, harp.port());
        assertThat(harp.jvmWired()).isTrue();
        assertThat(Http.getWithNewDefaultClient(Upstreams.http().uri(path))).isEqualTo(TestUpstream.expected(path));
    }

    @Harp
    @Scenario
    static class First {
        @Test
        void fetch(HarpProxy harp) {
            ProxyReuseTest.fetch(harp, "/first");
        }
    }

    @Harp
    @Scenario
    static class Second {
        @Test
        void fetch(HarpProxy harp) {
            ProxyReuseTest.fetch(harp, "/second");
        }
    }

    @Harp(latency = "1ms")
    @Scenario
    static class OtherOptions {
        @Test
        void fetch(HarpProxy harp) {
            ProxyReuseTest.fetch(harp, "/other");
        }
    }

    @Test
    void aFurtherClassWithTheSameOptionsReusesTheProxyWithItsOwnFixtures() throws Exception {
        PORTS.clear();
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record"),
                    First.class, Second.class, OtherOptions.class);
            assertThat(Scenarios.failures(run)).isEmpty();
            assertThat(Scenarios.passed(run)).hasSize(3);
        }
        assertThat(PORTS).hasSize(3);
        assertThat(PORTS.get("/second")).as("the second class reuses the first's proxy").isEqualTo(PORTS.get("/first"));
        assertThat(PORTS.get("/other")).as("other options, another proxy").isNotEqualTo(PORTS.get("/first"));
        Path root = basedir.resolve("src/test/resources/harp");
        assertThat(Files.readString(root.resolve("ProxyReuseTest_First/fetch.har"))).contains("/first")
                .doesNotContain("/second");
        assertThat(Files.readString(root.resolve("ProxyReuseTest_Second/fetch.har"))).contains("/second")
                .doesNotContain("/first");
        for (int port : PORTS.values()) {
            assertThatThrownBy(() -> connect(port)).as("closed when the run ended").isInstanceOf(IOException.class);
        }

        // and replayed, again through one proxy for both classes
        PORTS.clear();
        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"),
                First.class, Second.class);
        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(PORTS).hasSize(2);
        assertThat(PORTS.get("/second")).isEqualTo(PORTS.get("/first"));
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
    }
}
