package dev.harp.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.HarpServer;
import dev.harp.har.HarEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket upgrades relayed and recorded on the paths that reach Harp as plain HTTP/1.1 (absolute form, reverse). */
class WebSocketRelayTest {
    static WsEchoServer ws;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        ws = WsEchoServer.start();
    }

    @AfterAll
    static void stopServer() {
        ws.close();
    }

    @Test
    void absoluteFormWsIsRelayedAndRecordedLikeDevTools() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("ws.har"));
        try (RawWsClient c = new RawWsClient(new Socket("127.0.0.1", harp.port()))) {
            String head = c.handshake("ws://127.0.0.1:" + ws.port() + "/chat?room=1", "127.0.0.1:" + ws.port(),
                    "Sec-WebSocket-Protocol: chat.v1", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
            conversation(c, head);
        }
        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(ws.extensionsAsked()).last().as("the extension offer is removed").isEqualTo("");
        assertThat(entries).hasSize(1);
        assertRecorded(entries.get(0), "ws://127.0.0.1:" + ws.port() + "/chat?room=1");
    }

    @Test
    void reverseProxyRelaysTheUpgrade() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("reverse.har"),
                b -> b.upstream(java.net.URI.create("http://127.0.0.1:" + ws.port() + "/base")));
        try (RawWsClient c = new RawWsClient(new Socket("127.0.0.1", harp.port()))) {
            String head = c.handshake("/chat?room=1", "127.0.0.1:" + harp.port(), "Sec-WebSocket-Protocol: chat.v1");
            conversation(c, head);
        }
        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).hasSize(1);
        assertRecorded(entries.get(0), "ws://127.0.0.1:" + ws.port() + "/base/chat?room=1");
    }

    @Test
    void passthroughRelaysAndRecordsNothing() throws Exception {
        Path har = dir.resolve("passthrough.har");
        HarpServer harp = HttpsSupport.startRecording(har, b -> b.mode(dev.harp.Mode.PASSTHROUGH));
        try (RawWsClient c = new RawWsClient(new Socket("127.0.0.1", harp.port()))) {
            String head = c.handshake("ws://127.0.0.1:" + ws.port() + "/chat", "127.0.0.1:" + ws.port(),
                    "Sec-WebSocket-Protocol: chat.v1");
            conversation(c, head);
        } finally {
            harp.close();
        }
        assertThat(har).doesNotExist();
    }

    @Test
    void autoModeRecordsAConversationItDoesNotKnow() throws Exception {
        Path har = dir.resolve("auto.har");
        HarpServer harp = HttpsSupport.startRecording(har, b -> b.mode(dev.harp.Mode.AUTO));
        try (RawWsClient c = new RawWsClient(new Socket("127.0.0.1", harp.port()))) {
            String head = c.handshake("ws://127.0.0.1:" + ws.port() + "/chat?room=1", "127.0.0.1:" + ws.port(),
                    "Sec-WebSocket-Protocol: chat.v1");
            conversation(c, head);
        }
        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).hasSize(1);
        assertRecorded(entries.get(0), "ws://127.0.0.1:" + ws.port() + "/chat?room=1");
    }

    @Test
    void aQuietConversationOutlivesTheIdleTimeoutOfHttpConnections() throws Exception {
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("quiet.har"),
                b -> b.idleTimeout(java.time.Duration.ofMillis(300)));
        try (Socket socket = new Socket("127.0.0.1", harp.port()); RawWsClient c = new RawWsClient(socket)) {
            c.handshake("ws://127.0.0.1:" + ws.port() + "/quiet", "127.0.0.1:" + ws.port());
            assertThat(c.readMessage().text()).isEqualTo("hello");
            socket.setSoTimeout(1_000);
            // nothing comes for a second, three idle timeouts: the read times out, the connection stays
            org.assertj.core.api.Assertions.assertThatThrownBy(c::read).isInstanceOf(java.net.SocketTimeoutException.class);
            socket.setSoTimeout(10_000);
            c.sendText("still there?");
            assertThat(c.readMessage().text()).isEqualTo("echo:still there?");
            c.sendClose(1000, "");
            assertThat(c.readMessage().opcode()).isEqualTo(8);
        } finally {
            harp.close();
        }
    }

    /** The conversation every path runs: greeting, JSON text, fragments, ping, binary, close by the client. */
    static void conversation(RawWsClient c, String head) throws Exception {
        assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("sec-websocket-protocol: chat.v1")
                .doesNotContainIgnoringCase("sec-websocket-extensions");
        assertThat(c.readMessage().text()).isEqualTo("hello");
        c.sendText("{\"q\":1,\"password\":\"hunter2\"}");
        assertThat(c.readMessage().text()).isEqualTo("echo:{\"q\":1,\"password\":\"hunter2\"}");
        c.sendPing(new byte[] {7});
        c.sendFragmented("frag", "men", "t");
        assertThat(c.readMessage().text()).isEqualTo("echo:fragment");
        c.sendBinary(new byte[] {0, 1, 2, (byte) 255});
        RawWsClient.Frame binary = c.readMessage();
        assertThat(binary.opcode()).isEqualTo(2);
        assertThat(binary.payload()).containsExactly(0, 1, 2, 255);
        c.sendClose(1000, "bye");
        RawWsClient.Frame close = c.readMessage();
        assertThat(close.opcode()).isEqualTo(8);
        assertThat(close.closeCode()).isEqualTo(1000);
    }

    static void assertRecorded(HarEntry entry, String url) {
        assertThat(entry.request().url()).isEqualTo(url);
        assertThat(entry.response().status()).isEqualTo(101);
        assertThat(entry.timings().receive()).as("the entry times the handshake, not the conversation").isZero();
        assertThat(entry.extensions().get("_resourceType").asText()).isEqualTo("websocket");
        List<String> messages = new ArrayList<>();
        for (JsonNode m : entry.extensions().get("_webSocketMessages")) {
            assertThat(m.get("time").asDouble()).isGreaterThan(1.6e9);
            messages.add(m.get("type").asText() + " " + m.get("opcode").asInt() + " " + m.get("data").asText());
        }
        assertThat(messages).containsExactly(
                "receive 1 hello",
                "send 1 {\"q\":1,\"password\":\"REDACTED\"}",
                "receive 1 echo:{\"q\":1,\"password\":\"hunter2\"}",
                "send 1 fragment",
                "receive 1 echo:fragment",
                "send 2 AAEC/w==",
                "receive 2 AAEC/w==");
        JsonNode close = entry.extensions().get("_webSocketClose");
        assertThat(close.get("by").asText()).isEqualTo("client");
        assertThat(close.get("code").asInt()).isEqualTo(1000);
        assertThat(close.get("reason").asText()).isEqualTo("bye");
        assertThat(close.get("answered").asBoolean()).isTrue();
        assertThat(entry.extensions()).doesNotContainKeys("_aborted", "_error");
    }
}
