package dev.harp.samples.releases;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the release service, a separate process, over HTTP; the service's own calls to the releases API go
 * through the Harp of {@code harp:start}, which replays them from {@code src/test/resources/harp/integration-tests.har}
 * (or records them with {@code -Dharp.mode=record}).
 */
class ReleaseServiceIT {
    private static ServiceProcess service;
    // Calls the service directly: this JVM has no proxy configured (no @{harp.argLine} in the POM).
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheService() throws Exception {
        service = ServiceProcess.start();
    }

    @AfterAll
    static void stopTheService() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void answersWithTheLatestRelease() throws Exception {
        HttpResponse<String> response = get("/latest/acme/widgets");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("acme/widgets v2.4.1 (published 2026-11-30)\n");
    }

    @Test
    void anotherRepository() throws Exception {
        assertThat(get("/latest/acme/gadgets").body()).isEqualTo("acme/gadgets v0.9.0 (published 2026-10-02)\n");
    }

    @Test
    void anUnknownRepositoryHasNoRelease() throws Exception {
        HttpResponse<String> response = get("/latest/acme/nothing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("acme/nothing has no release\n");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(service.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
