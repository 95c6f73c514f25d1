package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarReader;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Auto mode appends what it records to a fixture Harp wrote, without rewriting a byte of what was there. */
class AutoModeAppendTest {
    private static final int CLOSING = "\n    ]\n  }\n}\n".length();

    @TempDir
    Path dir;

    @Test
    void autoModeAppendsToAnExistingFixtureWithoutRewritingIt() throws Exception {
        Path har = dir.resolve("fixture.har");
        try (TestUpstream upstream = TestUpstream.start()) {
            try (HarpServer recording = Proxied.harp(Mode.RECORD, har).start()) {
                HttpClient c = Proxied.client(recording);
                get(c, upstream.url("/hello"));
                get(c, upstream.url("/json"));
            }
            byte[] before = Files.readAllBytes(har);
            Object inode = Files.getAttribute(har, "unix:ino");
            try (HarpServer auto = Proxied.harp(Mode.AUTO, har).start()) {
                HttpClient c = Proxied.client(auto);
                assertThat(text(get(c, upstream.url("/hello")))).isEqualTo("hello harp\n");
            }
            assertThat(Files.readAllBytes(har)).as("nothing new, nothing written").isEqualTo(before);
            try (HarpServer auto = Proxied.harp(Mode.AUTO, har).start()) {
                HttpClient c = Proxied.client(auto);
                get(c, upstream.url("/bytes"));
                get(c, upstream.url("/status/201"));
            }
            byte[] after = Files.readAllBytes(har);
            assertThat(Files.getAttribute(har, "unix:ino")).as("the same file, not a rewritten copy").isEqualTo(inode);
            assertThat(Arrays.copyOf(after, before.length - CLOSING)).as("every byte before the old closing kept")
                    .isEqualTo(Arrays.copyOf(before, before.length - CLOSING));
            assertThat(HarReader.read(har).entries()).extracting(e -> e.request().url())
                    .containsExactly(upstream.url("/hello"), upstream.url("/json"), upstream.url("/bytes"),
                            upstream.url("/status/201"));
        }
    }
}
