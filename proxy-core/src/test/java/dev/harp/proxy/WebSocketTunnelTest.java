package dev.harp.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.HarpServer;
import dev.harp.har.HarEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.harp.proxy.HttpsSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's own WebSocket client through Harp: it reaches a proxy with CONNECT for {@code ws://} (plain HTTP in the
 * tunnel, which Harp intercepts) and for {@code wss://} (TLS, intercepted with Harp's leaf).
 */
class WebSocketTunnelTest {
    static WsEchoServer ws;
    static WsEchoServer wss;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() {
        ws = WsEchoServer.start();
        wss = WsEchoServer.startTls();
    }

    @AfterAll
    static void stopServers() {
        ws.close();
        wss.close();
    }

    @Test
    void jdkClientWsThroughAPlainConnectTunnelIsRecorded() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("jdk-ws.har"));
        try {
            converse(harp, ws, URI.create("ws://127.0.0.1:" + ws.port() + "/feed?x=1"));
        } finally {
            harp.close();
        }
        assertRecorded(HttpsSupport.closeAndReadHar(harp), "ws://127.0.0.1:" + ws.port() + "/feed?x=1");
    }

    @Test
    void jdkClientWssThroughMitmIsRecorded() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("jdk-wss.har"));
        try {
            converse(harp, wss, URI.create("wss://127.0.0.1:" + wss.port() + "/feed?x=1"));
        } finally {
            harp.close();
        }
        assertRecorded(HttpsSupport.closeAndReadHar(harp), "wss://127.0.0.1:" + wss.port() + "/feed?x=1");
    }

    /** Greeting, a JSON message with a secret, a binary message, then the server closes with 4000 on request. */
    private static void converse(HarpServer harp, WsEchoServer server, URI uri) throws Exception {
        int closedBefore = server.closed();
        HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), HttpClient.Version.HTTP_1_1);
        Collector collector = new Collector();
        WebSocket socket = client.newWebSocketBuilder().subprotocols("chat.v1").connectTimeout(TIMEOUT)
                .buildAsync(uri, collector).get(10, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("chat.v1");
        assertThat(collector.next()).isEqualTo("hello");
        socket.sendText("{\"token\":\"abc\",\"n\":2}", true).get(10, TimeUnit.SECONDS);
        assertThat(collector.next()).isEqualTo("echo:{\"token\":\"abc\",\"n\":2}");
        socket.sendBinary(ByteBuffer.wrap(new byte[] {9, 8, 7}), true).get(10, TimeUnit.SECONDS);
        assertThat(collector.next()).isEqualTo("binary 3");
        socket.sendText("close-me", true).get(10, TimeUnit.SECONDS);
        assertThat(collector.next()).isEqualTo("close 4000 asked");
        // the JDK client answers the close frame on its own, a moment later: the server closes once it has the answer
        assertThat(server.awaitClosed(closedBefore + 1, Duration.ofSeconds(10))).isTrue();
    }

    private static void assertRecorded(List<HarEntry> entries, String url) {
        assertThat(entries).hasSize(1);
        HarEntry entry = entries.get(0);
        assertThat(entry.request().url()).isEqualTo(url);
        assertThat(entry.response().status()).isEqualTo(101);
        assertThat(entry.extensions().get("_resourceType").asText()).isEqualTo("websocket");
        List<String> messages = new ArrayList<>();
        for (JsonNode m : entry.extensions().get("_webSocketMessages")) {
            messages.add(m.get("type").asText() + " " + m.get("opcode").asInt() + " " + m.get("data").asText());
        }
        assertThat(messages).containsExactly(
                "receive 1 hello",
                "send 1 {\"token\":\"REDACTED\",\"n\":2}",
                "receive 1 echo:{\"token\":\"abc\",\"n\":2}",
                "send 2 CQgH",
                "receive 2 CQgH",
                "send 1 close-me");
        JsonNode close = entry.extensions().get("_webSocketClose");
        assertThat(close.get("by").asText()).isEqualTo("server");
        assertThat(close.get("code").asInt()).isEqualTo(4000);
        assertThat(close.get("reason").asText()).isEqualTo("asked");
        assertThat(close.get("answered").asBoolean()).isTrue();
    }

    /** Collects what the JDK client receives as lines: text, "binary N", "close CODE REASON". */
    static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        String next() throws InterruptedException {
            String s = received.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("a message within 10 s").isNotNull();
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            received.add("binary " + data.remaining());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            received.add("close " + statusCode + " " + reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            received.add("error " + error);
        }
    }
}
