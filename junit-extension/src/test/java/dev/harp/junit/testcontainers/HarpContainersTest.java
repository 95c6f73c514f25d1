package dev.harp.junit.testcontainers;

import dev.harp.junit.Harp;
import dev.harp.junit.HarpProxy;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container built FROM scratch with a static busybox fetches through Harp: recorded with the upstream running,
 * replayed with it stopped. Needs a Docker daemon (see .ci/docker-setup.sh) and /bin/busybox; skipped otherwise (failed with CI=true).
 * No image is pulled: the image is built locally from the busybox binary.
 */
class HarpContainersTest {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static ImageFromDockerfile image;

    @TempDir
    Path basedir;

    @BeforeAll
    static void dockerAndBusybox() {
        Prerequisites.require(Prerequisite.BUSYBOX);
        Prerequisites.require(Prerequisite.DOCKER, () -> DockerClientFactory.instance().isDockerAvailable());
        image = new ImageFromDockerfile("harp-junit-busybox", false)
                .withFileFromPath("busybox", BUSYBOX)
                .withFileFromString("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT [\"/bin/busybox\"]\n");
    }

    /** Runs busybox with the arguments in a host-networked container routed through Harp; returns its output. */
    static String busybox(HarpProxy harp, String... arguments) {
        try (GenericContainer<?> container = new GenericContainer<>(image)) {
            container.withNetworkMode("host")
                    .withCommand(arguments)
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)));
            HarpContainers.routeThrough(container, harp);
            container.start();
            return container.getLogs();
        }
    }

    @Harp(wireJvm = false, upstreamTrust = "public-ca.pem")
    @Scenario
    static class InContainer {
        @Test
        void http(HarpProxy harp) {
            String path = "/from-container/http";
            assertThat(busybox(harp, "wget", "-q", "-O", "-", Upstreams.http().uri(path).toString()))
                    .isEqualTo(TestUpstream.expected(path));
        }

        @Test
        void https(HarpProxy harp) {
            String path = "/from-container/https";
            assertThat(busybox(harp, "wget", "-q", "-O", "-", Upstreams.https().uri(path).toString()))
                    .isEqualTo(TestUpstream.expected(path));
        }

        @Test
        void environment(HarpProxy harp) {
            String env = busybox(harp, "env");
            String proxy = "http://127.0.0.1:" + harp.port();
            assertThat(env).contains("HTTP_PROXY=" + proxy, "http_proxy=" + proxy, "HTTPS_PROXY=" + proxy,
                    "https_proxy=" + proxy, "NO_PROXY=\n", "no_proxy=\n",
                    "SSL_CERT_FILE=/harp/ca-bundle.pem", "REQUESTS_CA_BUNDLE=/harp/ca-bundle.pem",
                    "CURL_CA_BUNDLE=/harp/ca-bundle.pem", "NODE_EXTRA_CA_CERTS=/harp/harp-ca.pem",
                    "JAVA_TOOL_OPTIONS=-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=" + harp.port(),
                    "-Djavax.net.ssl.trustStore=/harp/truststore.p12");
            assertThat(busybox(harp, "cat", HarpContainers.CA_FILE)).isEqualTo(harp.caCertificatePem());
            assertThat(busybox(harp, "head", "-c", "65", HarpContainers.BUNDLE_FILE))
                    .isEqualTo(harp.caCertificatePem().substring(0, 65));
        }
    }

    @Test
    void aContainerRecordsThroughHarpAndReplaysWithTheUpstreamStopped() throws Exception {
        CertificateAuthority publicCa = CertificateAuthority.inMemory();
        publicCa.exportPem(basedir.resolve("public-ca.pem"));
        try (TestUpstream http = TestUpstream.http(); TestUpstream https = TestUpstream.https(publicCa)) {
            Upstreams.http(http);
            Upstreams.https(https);
            EngineExecutionResults recording = Scenarios.run(basedir, params("harp.mode", "record"), InContainer.class);
            assertThat(Scenarios.failures(recording)).isEmpty();
            assertThat(http.requests()).isEqualTo(1);
            assertThat(https.requests()).isEqualTo(1);
        }
        Path fixtures = basedir.resolve("src/test/resources/harp/HarpContainersTest_InContainer");
        assertThat(Files.readString(fixtures.resolve("http.har"))).contains("/from-container/http");
        assertThat(Files.readString(fixtures.resolve("https.har"))).contains("https://127.0.0.1:", "/from-container/https");

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), InContainer.class);

        assertThat(Scenarios.failures(replay)).isEmpty();
        assertThat(Scenarios.passed(replay)).hasSize(3);
    }
}
