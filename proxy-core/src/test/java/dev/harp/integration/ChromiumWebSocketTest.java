package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.proxy.WsEchoServer;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium opens a WebSocket from a page through Harp ({@code --proxy-server}): recorded with the server
 * up, then replayed with it stopped, and the page sees the same messages and close both times. Chromium tunnels
 * {@code ws://} and {@code wss://} alike with CONNECT and offers permessage-deflate. The socket's host is
 * {@code localhost}: the browser is told to keep every dotted host (its own background traffic) off the proxy.
 */
class ChromiumWebSocketTest {
    private static final String EXPECTED = "hello|echo:ping|binary 1,2,3|close 4000 asked";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ws", "wss"})
    void chromiumRecordsThenReplaysAConversation(String scheme) throws Exception {
        Map<String, String> env = PlaywrightHarReplayTest.nodeEnvironment();
        Prerequisites.require(Prerequisite.CHROMIUM);
        Prerequisites.require(Prerequisite.PLAYWRIGHT,
                () -> ChildProcess.succeeds(List.of("node", "-e", "require.resolve('playwright-core')"), env));
        Path script = PlaywrightHarReplayTest.copyResource("/playwright/websocket.js", dir.resolve("websocket.js"));
        Path har = dir.resolve("chromium-" + scheme + ".har");

        String url;
        try (WsEchoServer server = scheme.equals("wss") ? WsEchoServer.startTls() : WsEchoServer.start()) {
            url = scheme + "://localhost:" + server.port() + "/feed";
            try (HarpServer harp = Proxied.harp(Mode.RECORD, har).insecureUpstream(true).start()) {
                assertThat(open(script, url, harp, env)).isEqualTo(EXPECTED);
            }
        }
        com.fasterxml.jackson.databind.JsonNode entry = ForeignHarReplayTest.readJson(har).get("log").get("entries").get(0);
        assertThat(entry.get("request").get("url").asText()).isEqualTo(url);
        assertThat(entry.get("_resourceType").asText()).isEqualTo("websocket");
        assertThat(entry.get("_webSocketMessages").toString())
                .contains("\"data\":\"hello\"", "\"data\":\"ping\"", "\"data\":\"echo:ping\"", "\"data\":\"AQID\"");
        assertThat(entry.get("_webSocketClose").get("code").asInt()).isEqualTo(4000);

        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            assertThat(open(script, url, harp, env)).isEqualTo(EXPECTED);
            assertThat(harp.misses()).isEmpty();
        }
    }

    private String open(Path script, String url, HarpServer harp, Map<String, String> env) throws Exception {
        ChildProcess.Result run = ChildProcess.run(List.of("node", script.toString(), url, "http://127.0.0.1:" + harp.port()),
                dir, env, Duration.ofSeconds(60));
        assertThat(run.exit()).as(run.both()).isZero();
        return run.stdout().lines().filter(l -> l.startsWith("OUT ")).map(l -> l.substring(4)).findFirst().orElse(run.both());
    }
}
