package dev.harp.integration;

import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's proxy credentials: from {@code HARP_PROXY_AUTH} (so {@code ps} never shows them) or the flag. */
class CliProxyAuthTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentVariableRequiresCredentialsAndTheyNeverReachTheOutput() throws Exception {
        String secret = "cli-pa55word";
        try (TestUpstream up = TestUpstream.start()) {
            Map<String, String> env = new HashMap<>();
            env.put("HARP_MODE", null);
            env.put("CI", null);
            env.put("HARP_PROXY_AUTH", "ci:" + secret);
            String output;
            try (CliProcess harp = CliProcess.start(dir, command("--mode", "passthrough", "--port", "0"), env)) {
                String get = "GET " + up.url("/headers") + " HTTP/1.1\r\nHost: 127.0.0.1:" + up.port() + "\r\n";
                assertThat(raw(harp.port(), get + "\r\n")).startsWith("HTTP/1.1 407");
                assertThat(raw(harp.port(), get + "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString(
                        ("ci:" + secret).getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")).startsWith("HTTP/1.1 200");
                harp.stop();
                output = harp.output();
            }
            assertThat(output).doesNotContain(secret);
        }
    }

    @Test
    void aValueWithoutColonExits2NamingTheFlag() throws Exception {
        ChildProcess.Result r = ChildProcess.run(command("--proxy-auth", "justaname", "--port", "0"), dir,
                Map.of(), Duration.ofSeconds(30));
        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr()).as(r.both()).contains("--proxy-auth").contains("USER:PASSWORD")
                .doesNotContain("\tat ");
    }

    private List<String> command(String... args) {
        return CliProcess.command(dir.resolve("ca"), args);
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = s.getInputStream().readNBytes(12);
            return new String(head, StandardCharsets.ISO_8859_1);
        }
    }
}
