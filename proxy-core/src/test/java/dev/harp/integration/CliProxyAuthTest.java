package dev.harp.integration;

import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's proxy credentials: from {@code HARP_PROXY_AUTH} (so {@code ps} never shows them) or the flag. */
class CliProxyAuthTest {
    private static final Pattern LISTENING = Pattern.compile("listening on \\S+:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void theEnvironmentVariableRequiresCredentialsAndTheyNeverReachTheOutput() throws Exception {
        String secret = "cli-pa55word";
        try (TestUpstream up = TestUpstream.start()) {
            Map<String, String> env = new HashMap<>();
            env.put("HARP_PROXY_AUTH", "ci:" + secret);
            ProcessBuilder pb = new ProcessBuilder(command("--mode", "passthrough", "--port", "0"))
                    .directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().remove("HARP_MODE");
            pb.environment().remove("CI");
            pb.environment().putAll(env);
            Process p = pb.start();
            StringBuffer out = new StringBuffer();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        out.append(line).append('\n');
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                port.completeExceptionally(new IllegalStateException("harp ended without listening:\n" + out));
            });
            try {
                int harp = port.get(30, TimeUnit.SECONDS);
                String get = "GET " + up.url("/headers") + " HTTP/1.1\r\nHost: 127.0.0.1:" + up.port() + "\r\n";
                assertThat(raw(harp, get + "\r\n")).startsWith("HTTP/1.1 407");
                assertThat(raw(harp, get + "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString(
                        ("ci:" + secret).getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")).startsWith("HTTP/1.1 200");
            } finally {
                p.toHandle().destroy();
                p.waitFor(15, TimeUnit.SECONDS);
                drained.get(10, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
            assertThat(out.toString()).doesNotContain(secret);
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
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, "dev.harp.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--ca-dir", dir.resolve("ca").toString()));
        return cmd;
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
