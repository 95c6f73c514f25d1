package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.har.HarEntry;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium (driven by playwright-core) opens a page whose script talks WebSocket, over ws:// and wss://,
 * through Harp as its proxy: Chromium tunnels both with CONNECT. Skipped without Chromium or playwright-core.
 */
class WebSocketBrowserTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void chromiumTalksWebSocketThroughHarp(boolean tls) throws Exception {
        Prerequisites.require(Prerequisite.CHROMIUM);
        String nodePath = npmRoot();
        Prerequisites.require(Prerequisite.PLAYWRIGHT,
                () -> run(List.of("node", "-e", "require.resolve('playwright-core')"), nodePath, 20).exit == 0);
        Path script = dir.resolve("record-and-browse.js");
        try (InputStream in = getClass().getResourceAsStream("/playwright/record-and-browse.js")) {
            Files.copy(in, script);
        }
        try (WsEchoServer server = tls ? WsEchoServer.startTls() : WsEchoServer.start()) {
            HarpServer harp = HttpsSupport.startRecording(dir.resolve("browser-ws.har"));
            String origin = (tls ? "https" : "http") + "://localhost:" + server.port();
            Result browsing;
            try {
                browsing = run(List.of("node", script.toString(), origin + "/page", "--proxy",
                        "http://127.0.0.1:" + harp.port(), "--insecure"), nodePath, 90);
                server.awaitClosed(1, Duration.ofSeconds(10));
            } finally {
                harp.close();
            }
            assertThat(browsing.output).contains("OUT got echo:from the browser over chat.v1");
            List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
            HarEntry socket = entries.stream().filter(e -> e.response().status() == 101).findFirst().orElseThrow();
            assertThat(socket.request().url()).isEqualTo((tls ? "wss" : "ws") + "://localhost:" + server.port() + "/live");
            assertThat(socket.extensions().get("_webSocketMessages").toString())
                    .contains("\"data\":\"hello\"", "\"data\":\"from the browser\"", "\"data\":\"echo:from the browser\"");
            assertThat(socket.extensions().get("_webSocketClose").get("code").asInt()).isEqualTo(1000);
        }
    }

    private record Result(int exit, String output) {
    }

    private Result run(List<String> command, String nodePath, int seconds) {
        try {
            ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out-" + System.nanoTime() + ".txt").toFile());
            b.environment().put("NODE_PATH", nodePath);
            Process p = b.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), Files.readString(b.redirectOutput().file().toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private String npmRoot() {
        List<String> parts = new ArrayList<>();
        String own = System.getenv("NODE_PATH");
        if (own != null && !own.isEmpty()) {
            parts.add(own);
        }
        Result root = run(List.of("npm", "root", "-g"), own == null ? "" : own, 20);
        if (root.exit == 0 && !root.output.isBlank()) {
            parts.add(root.output.strip());
        }
        return String.join(java.io.File.pathSeparator, parts);
    }
}
