package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** HarpProxy is injected into test, lifecycle and constructor parameters, and describes the fixture in use. */
class InjectionTest {
    @TempDir
    Path basedir;
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @Harp(wireJvm = false)
    @Scenario
    static class Injected {
        private final HarpProxy fromConstructor;

        Injected(HarpProxy harp) {
            this.fromConstructor = harp;
        }

        @BeforeAll
        static void beforeAll(HarpProxy harp) {
            SEEN.put("beforeAll.har", harp.har().getFileName().toString());
            SEEN.put("beforeAll.proxy", harp);
        }

        @BeforeEach
        void beforeEach(HarpProxy harp) {
            SEEN.put("beforeEach.proxy", harp);
        }

        @Test
        void fetch(HarpProxy harp) throws Exception {
            SEEN.put("test.proxy", harp);
            SEEN.put("constructor.proxy", fromConstructor);
            SEEN.put("test.har", harp.har().getFileName().toString());
            SEEN.put("test.mode", harp.mode().effective());
            SEEN.put("proxyHostProperty", String.valueOf(System.getProperty("http.proxyHost")));
            assertThat(harp.port()).isPositive();
            assertThat(harp.host()).isEqualTo("127.0.0.1");
            assertThat(harp.proxyUrl()).isEqualTo("http://127.0.0.1:" + harp.port());
            assertThat(harp.proxyAddress().getPort()).isEqualTo(harp.port());
            assertThat(harp.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
            assertThat(List.of(harp.trustManager().getAcceptedIssuers())).contains(harp.caCertificate());
            harp.trustManager().checkServerTrusted(new X509Certificate[] {harp.caCertificate()}, "ECDHE_ECDSA");
            assertThat(harp.jvmWired()).isFalse();
            assertThat(Http.get(harp.httpClient(), Upstreams.http().uri("/injected")).body())
                    .isEqualTo(TestUpstream.expected("/injected"));
            assertThat(harp.misses()).isEmpty();
        }
    }

    @Harp(wireJvm = false, mode = Mode.REPLAY)
    @Scenario
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class SeesItsMisses {
        @Test
        void miss(HarpProxy harp) {
            Http.get(harp.httpClient(), Upstreams.http().uri("/never-recorded"));
            SEEN.put("misses", harp.misses().size());
            SEEN.put("missText", harp.misses().get(0).describe());
        }
    }

    @Test
    void oneProxyIsInjectedEverywhereInTheClass() throws Exception {
        SEEN.clear();
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults run = Scenarios.run(basedir, params(), Injected.class);
            assertThat(Scenarios.failures(run)).isEmpty();
        }
        assertThat(SEEN.get("beforeAll.proxy")).isSameAs(SEEN.get("test.proxy"))
                .isSameAs(SEEN.get("beforeEach.proxy")).isSameAs(SEEN.get("constructor.proxy"));
        assertThat(SEEN).containsEntry("beforeAll.har", "beforeAll.har").containsEntry("test.har", "fetch.har")
                .containsEntry("test.mode", Mode.AUTO).containsEntry("proxyHostProperty", "null");
    }

    @Test
    void missesSoFarAreVisibleToTheTestAndStillFailIt() throws Exception {
        SEEN.clear();
        EngineExecutionResults run;
        try (TestUpstream upstream = TestUpstream.http()) { // its own upstream: it must not depend on test order
            Upstreams.http(upstream);
            run = Scenarios.run(basedir, params(), SeesItsMisses.class);
        }

        assertThat(SEEN).containsEntry("misses", 1);
        assertThat((String) SEEN.get("missText")).contains("/never-recorded");
        assertThat(Scenarios.failures(run)).singleElement().asString().contains("SeesItsMisses.miss() made 1 request");
    }
}
