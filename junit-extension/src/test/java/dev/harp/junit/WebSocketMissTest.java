package dev.harp.junit;

import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** A replayed WebSocket message that matches nothing fails the test like an HTTP miss, with the core's diagnostic. */
class WebSocketMissTest {
    private static final String CHAT_HAR = """
            {"log":{"version":"1.2","creator":{"name":"Chrome","version":"120"},"entries":[{
              "startedDateTime":"2024-05-01T10:00:00.000Z","time":20,
              "request":{"method":"GET","url":"wss://chat.test/room","httpVersion":"HTTP/1.1","cookies":[],
                "headers":[{"name":"Upgrade","value":"websocket"}],"queryString":[],"headersSize":-1,"bodySize":0},
              "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1","cookies":[],
                "headers":[{"name":"Upgrade","value":"websocket"}],"content":{"size":0,"mimeType":""},
                "redirectURL":"","headersSize":-1,"bodySize":0},
              "cache":{},"timings":{"send":0,"wait":20,"receive":0},
              "_resourceType":"websocket","_webSocketMessages":[
                {"type":"send","time":1714557601.0,"opcode":1,"data":"{\\"op\\":\\"join\\",\\"room\\":\\"a\\"}"},
                {"type":"receive","time":1714557601.1,"opcode":1,"data":"joined a"}]}]}}
            """;

    @TempDir
    Path basedir;

    /** What the scenario's client saw when the connection closed. */
    static volatile String closed;

    @Harp(har = "chat.har", directory = "fixtures")
    @Scenario
    static class Chat {
        @Test
        void joinsAnotherRoom() throws Exception {
            CompletableFuture<String> close = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder() // the JVM wiring routes it through Harp
                    .buildAsync(URI.create("wss://chat.test/room"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            close.complete(statusCode + " " + reason);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"op\":\"join\",\"room\":\"b\"}", true).get(10, TimeUnit.SECONDS);
            closed = close.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMessageThatMatchesNothingFailsTheTestWithTheMiss() throws Exception {
        Files.writeString(Files.createDirectories(basedir.resolve("fixtures")).resolve("chat.har"), CHAT_HAR);
        closed = null;

        EngineExecutionResults replay = Scenarios.run(basedir, params("harp.mode", "replay"), Chat.class);

        assertThat(closed).startsWith("1008 Harp replay miss; closest recorded: text (24 bytes): {\"op\":\"join\",\"room\":\"a\"}");
        assertThat(Scenarios.failures(replay)).singleElement().asString()
                .contains("Harp: Chat.joinsAnotherRoom() made 1 WebSocket message with no recorded response")
                .contains("No recorded WebSocket message matches what the client sent on GET https://chat.test/room")
                .contains("message differs at $.room: live \"b\", recorded \"a\"");
    }
}
