package dev.harp.samples.containers;

import dev.harp.junit.Harp;
import dev.harp.junit.HarpProxy;
import dev.harp.junit.testcontainers.HarpContainers;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A containerised job calls an HTTP API; Harp, running in this JVM, records its calls and replays them. (HTTPS works
 * the same for clients that honour the proxy variables; busybox wget is not a good one for HTTPS: see the README.)
 * {@code wireJvm = false}: nothing in this JVM needs the proxy, only the container. The image is built
 * {@code FROM scratch} with a static busybox (its {@code sh} runs the job, its {@code wget} is the client), so
 * nothing is pulled.
 */
@Harp(wireJvm = false)
class StatusReportContainerTest {
    static ImageFromDockerfile image;

    @BeforeAll
    static void image() {
        // Harp's own CI: skip without Docker (or fail with CI=true); @Testcontainers(disabledWithoutDocker = true)
        // is the plain way to skip in a project of yours.
        Prerequisites.require(Prerequisite.BUSYBOX);
        Prerequisites.require(Prerequisite.DOCKER, () -> DockerClientFactory.instance().isDockerAvailable());
        image = new ImageFromDockerfile("harp-sample-status-report", false)
                .withFileFromPath("busybox", Path.of("/bin/busybox"))
                .withFileFromPath("status-report.sh", Path.of("src/test/docker/status-report.sh"))
                .withFileFromString("Dockerfile", """
                        FROM scratch
                        COPY busybox /bin/busybox
                        COPY status-report.sh /app/status-report.sh
                        ENTRYPOINT ["/bin/busybox", "sh", "/app/status-report.sh"]
                        """);
    }

    @Test
    void reportsTheApiStatus(HarpProxy harp) {
        try (GenericContainer<?> job = new GenericContainer<>(image)) {
            job.withNetworkMode("host") // the container reaches Harp at 127.0.0.1 (Linux; see the README for bridges)
                    .withEnv("API_URL", "http://api.example.test")
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)));
            HarpContainers.routeThrough(job, harp); // HTTP(S)_PROXY to Harp, Harp's CA into the container
            job.start();

            assertThat(job.getLogs()).isEqualTo("http://api.example.test is operational (version 2.3.1)\n");
        }
    }
}
