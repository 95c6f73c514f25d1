package dev.harp.maven;

import dev.harp.testing.PublicApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin uses only the core's public API ({@link PublicApi}): a reference to anything else, such as the HAR
 * model in {@code dev.harp.har}, fails here.
 */
class PublicApiOnlyTest {

    @Test
    void mainSourcesReferenceOnlyTheCoresPublicApi() throws IOException {
        Path main = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/main/java");
        assertThat(PublicApi.violations(main, "dev.harp.maven"))
                .as("references to core internals (use the public API, or add to it in the core)").isEmpty();
    }
}
