package dev.harp.integration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.proxy.RawWsClient;
import dev.harp.replay.Latency;
import dev.harp.replay.Miss;
import dev.harp.testing.LogCapture;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replaying recorded WebSocket conversations through a real Harp on loopback, with no network behind it: the JDK's
 * WebSocket client (which tunnels with CONNECT; {@code wss://} is intercepted), a raw client upgrading in absolute
 * form over plain HTTP, hand-written HARs in Chrome's {@code _webSocketMessages} format, and mitmproxy's file.
 */
class WebSocketReplayTest {
    private static final long WAIT = Proxied.TIMEOUT.toSeconds();

    @TempDir
    Path dir;

    @Test
    void theJdkClientGetsTheServersMessagesInRecordedOrderAfterEachMatchingClientMessage() throws Exception {
        Path har = chat(dir.resolve("chat.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            Client client = Client.open(harp, "wss://chat.test/room", "chat.v1");
            assertThat(client.socket.getSubprotocol()).isEqualTo("chat.v1");
            assertThat(client.next()).isEqualTo("text welcome");
            assertThat(client.next()).isEqualTo("text 2 online");

            client.socket.sendText("{ \"room\": \"a\", \"op\": \"join\" }", true).get(WAIT, TimeUnit.SECONDS); // JSON as JSON
            assertThat(client.next()).isEqualTo("text joined a");
            assertThat(client.next()).isEqualTo("binary AAEC");

            client.socket.sendText("bye", true).get(WAIT, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("text ciao");

            client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(WAIT, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("close 1000 done");
            assertThat(harp.misses()).isEmpty();
            assertThat(harp.replaySummary().hits()).isEqualTo(1);
        }
    }

    @Test
    void aClientMessageThatMatchesNothingClosesWith1008NamingTheClosestAndIsReportedAsAMiss() throws Exception {
        Path har = chat(dir.resolve("chat.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            Client client = Client.open(harp, "wss://chat.test/room", "chat.v1");
            assertThat(client.next()).isEqualTo("text welcome");
            assertThat(client.next()).isEqualTo("text 2 online");

            client.socket.sendText("{\"op\":\"join\",\"room\":\"b\"}", true).get(WAIT, TimeUnit.SECONDS);
            String close = client.next();
            assertThat(close).startsWith("close 1008 ").contains("closest recorded").contains("{\"op\":\"join\",\"room\":\"a\"}");
            assertThat(close.substring("close 1008 ".length()).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);

            assertThat(harp.misses()).singleElement().satisfies(miss -> {
                assertThat(miss.reason()).isEqualTo(Miss.Reason.WEBSOCKET_MESSAGE);
                assertThat(miss.request().url()).isEqualTo("https://chat.test/room");
                assertThat(miss.describe())
                        .contains("No recorded WebSocket message matches what the client sent on GET https://chat.test/room")
                        .contains("entry #0")
                        .contains("client message 1, text (24 bytes): {\"op\":\"join\",\"room\":\"b\"}")
                        .contains("message differs at $.room: live \"b\", recorded \"a\"");
            });
        }
    }

    @Test
    void aMissClosesAtOnceEvenWhileServerMessagesWaitForTheirDelay() throws Exception {
        Path har = chat(dir.resolve("chat.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).latency(Latency.fixed(Duration.ofSeconds(30))).start()) {
            Client client = Client.open(harp, "wss://chat.test/room", "chat.v1");
            client.socket.sendText("too early", true).get(WAIT, TimeUnit.SECONDS);
            assertThat(client.next()).startsWith("close 1008 "); // not after the 30 s the welcome waits for
        }
    }

    @Test
    void aRawClientUpgradingInAbsoluteFormGetsTheHandshakePongsFragmentsJoinedAndTheCloseHandshake() throws Exception {
        Path har = feed(dir.resolve("feed.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start();
             RawWsClient ws = RawWebSocket.open(harp, "http://feed.test/prices")) {
            assertThat(ws.head()).startsWith("HTTP/1.1 101 ");
            String head = ws.head().toLowerCase();
            assertThat(head).contains("sec-websocket-accept: " + RawWebSocket.acceptFor(ws.key()).toLowerCase())
                    .doesNotContain("s3pplmbitxaq9kygzzhzrbk+xoo=") // the recorded accept: another key's
                    .doesNotContain("sec-websocket-protocol").doesNotContain("sec-websocket-extensions")
                    .contains("set-cookie: feed=1");
            assertThat(ws.read().text()).isEqualTo("{\"price\":1}");

            ws.sendPing("are you there".getBytes(StandardCharsets.UTF_8));
            RawWsClient.Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("are you there");

            ws.send(RawWebSocket.TEXT, "mo".getBytes(StandardCharsets.UTF_8), false); // fragmented: compared whole
            ws.send(0, "re".getBytes(StandardCharsets.UTF_8), true);
            assertThat(ws.read().text()).isEqualTo("{\"price\":2}");
            RawWsClient.Frame binary = ws.read();
            assertThat(binary.opcode()).isEqualTo(RawWebSocket.BINARY);
            assertThat(binary.payload()).containsExactly(9, 8, 7);

            ws.sendClose(1000, "bye");
            RawWsClient.Frame close = ws.read();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(ws.endOfStream()).isTrue();
            assertThat(harp.misses()).isEmpty();
        }
    }

    @Test
    void aPlainRequestDoesNotGetARecordedUpgradeNorAnUpgradeOfferingAnotherSubprotocol() throws Exception {
        Path har = chat(dir.resolve("chat.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            assertThat(Proxied.get(Proxied.client(harp), "https://chat.test/room").statusCode()).isEqualTo(502);
            assertThatThrownBy(() -> Client.open(harp, "wss://chat.test/room", "chat.v2"))
                    .hasCauseInstanceOf(WebSocketHandshakeException.class).hasStackTraceContaining("502");
            try (RawWsClient other = RawWebSocket.open(harp, "http://chat.test/room", "Sec-WebSocket-Protocol: chat.v1")) {
                assertThat(other.head()).startsWith("HTTP/1.1 502"); // http, not https: another origin
            }
            assertThat(harp.misses()).hasSize(3);
            assertThat(harp.misses().get(0).describe()).contains("header \"upgrade\" missing: recorded \"websocket\"");
            assertThat(harp.misses().get(1).describe())
                    .contains("header \"sec-websocket-protocol\": live \"chat.v2\", recorded \"chat.v1\"")
                    .doesNotContain("option:"); // no option stops comparing the WebSocket headers
            assertThat(harp.misses().get(2).describe()).contains("scheme: live http, recorded https");
        }
    }

    @Test
    void reverseModeReplaysAnUpgradeSentToHarpItself() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ArrayNode messages = webSocket(h, "ws://backend.test:8081/events", null).putArray("_webSocketMessages");
        message(messages, "receive", 30.0, 1, "hello from the recording");
        Path har = h.write(dir.resolve("reverse.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).upstream(URI.create("http://backend.test:8081")).start();
             RawWsClient ws = RawWebSocket.open(harp, "/events")) {
            assertThat(ws.head()).startsWith("HTTP/1.1 101 ");
            assertThat(ws.read().text()).isEqualTo("hello from the recording");
        }
    }

    @Test
    void stoppingHarpEndsOpenReplayedConversationsPromptly() throws Exception {
        Path har = chat(dir.resolve("chat.har"));
        HarpServer harp = Proxied.harp(Mode.REPLAY, har).start();
        Client client = Client.open(harp, "wss://chat.test/room", "chat.v1");
        assertThat(client.next()).isEqualTo("text welcome");
        assertThat(client.next()).isEqualTo("text 2 online");
        long start = System.nanoTime();
        harp.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(client.next()).matches("(close|error) .*"); // the client learns that the conversation ended
    }

    @Test
    void autoModeReplaysARecordedConversationWithoutTheNetwork() throws Exception {
        Path har = chat(dir.resolve("chat.har"));
        try (HarpServer harp = Proxied.harp(Mode.AUTO, har).start()) {
            Client client = Client.open(harp, "wss://chat.test/room", "chat.v1"); // chat.test does not resolve: a hit or nothing
            assertThat(client.next()).isEqualTo("text welcome");
            assertThat(client.next()).isEqualTo("text 2 online");
            client.socket.sendText("{\"op\":\"join\",\"room\":\"a\"}", true).get(WAIT, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("text joined a");
            assertThat(harp.replaySummary().hits()).isEqualTo(1);
        }
    }

    @Test
    void clientsVanishingBeforeADelayedMessageOrMidFrameLeaveNoTraceAndOthersAreServed() throws Exception {
        Path har = feed(dir.resolve("feed.har"));
        try (LogCapture logs = LogCapture.start();
             HarpServer harp = Proxied.harp(Mode.REPLAY, har).latency(Latency.fixed(Duration.ofMillis(200))).start()) {
            RawWebSocket.open(harp, "http://feed.test/prices").close(); // gone before the opening message is due
            try (RawWsClient midFrame = RawWebSocket.open(harp, "http://feed.test/prices")) {
                midFrame.rawBytes(new byte[] {(byte) 0x81, (byte) 0x84, 1, 2}); // a text frame cut inside its mask
            }
            try (RawWsClient ws = RawWebSocket.open(harp, "http://feed.test/prices")) {
                assertThat(ws.read().text()).isEqualTo("{\"price\":1}"); // after the first client's message was due
                ws.sendText("more");
                assertThat(ws.read().text()).isEqualTo("{\"price\":2}");
                ws.sendClose(1000, "");
                assertThat(ws.read().opcode()).isEqualTo(RawWebSocket.CLOSE);
            }
            assertThat(harp.misses()).isEmpty();
            assertThat(logs.problems()).as("WARN or ERROR lines, stack traces").isEmpty();
        }
    }

    @Test
    void harpsRecordedEndingsArePlayedACloseFrameFromTheServerOrACutConnection() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ObjectNode kicked = webSocket(h, "ws://game.test/kicked", null);
        message(kicked.putArray("_webSocketMessages"), "receive", 1.0, 1, "you are out");
        kicked.putObject("_webSocketClose").put("by", "server").put("code", 4001).put("reason", "kicked").put("answered", true);
        ObjectNode cut = webSocket(h, "ws://game.test/cut", null);
        message(cut.putArray("_webSocketMessages"), "receive", 1.0, 1, "going down");
        cut.putObject("_webSocketClose").put("by", "server").put("code", 1006).put("reason", "reset").put("answered", false);
        Path har = h.write(dir.resolve("endings.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            try (RawWsClient ws = RawWebSocket.open(harp, "http://game.test/kicked")) {
                assertThat(ws.read().text()).isEqualTo("you are out");
                RawWsClient.Frame close = ws.read();
                assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
                assertThat(close.closeCode()).isEqualTo(4001);
                assertThat(close.closeReason()).isEqualTo("kicked");
            }
            try (RawWsClient ws = RawWebSocket.open(harp, "http://game.test/cut")) {
                assertThat(ws.read().text()).isEqualTo("going down");
                assertThat(ws.endOfStream()).as("cut without a close frame, as recorded").isTrue();
            }
        }
    }

    @Test
    void serverMessagesWaitAsTheLatencyOptionSays() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ArrayNode messages = webSocket(h, "wss://slow.test/ws", null).putArray("_webSocketMessages");
        message(messages, "send", 20.0, 1, "go");
        message(messages, "receive", 20.01, 1, "done");
        Path har = h.write(dir.resolve("slow.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).latency(Latency.fixed(Duration.ofMillis(300))).start()) {
            Client client = Client.open(harp, "wss://slow.test/ws", null);
            long start = System.nanoTime();
            client.socket.sendText("go", true).get(WAIT, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("text done");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void mitmproxysWebSocketHarReplaysItsThreeConversations() throws Exception {
        Prerequisites.require(Prerequisite.HAR_CORPUS);
        Path har = Files.copy(Prerequisites.harCorpus().resolve("mitmproxy-savehar-websocket.har"), dir.resolve("mitmproxy.har"));
        String url = "wss://demo.piesocket.com/v3/channel_123?api_key=VCXCEuvhGcBDP7XhiJJUDvR1e1D3eiVjgZ9VRiaV&notify_self";
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            Client missingKey = Client.open(harp, "wss://demo.piesocket.com/v3/channel_123", null);
            assertThat(missingKey.next()).isEqualTo("text {\"error\":\"Missing apiKey\"}");

            Client first = Client.open(harp, url, null); // entries #0 and #2 are one sequence: #0 first
            assertThat(first.next()).isEqualTo("text {\"error\":\"Unknown api key\"}");

            Client second = Client.open(harp, url, null);
            assertThat(second.next()).isEqualTo("text {\"error\":\"Unknown api key\"}");
            second.socket.sendText("foo", true).get(WAIT, TimeUnit.SECONDS);
            second.socket.sendText("bar", true).get(WAIT, TimeUnit.SECONDS);
            assertThat(harp.misses()).isEmpty();
            second.socket.sendText("one more", true).get(WAIT, TimeUnit.SECONDS); // entry #2 recorded two messages only
            assertThat(second.next()).isEqualTo("close 1008 Harp replay miss: no more client messages recorded");
            assertThat(harp.misses()).singleElement().extracting(m -> m.closest().get(0).entryIndex()).isEqualTo(2);
        }
    }

    /** Chrome's shape: a wss:// URL, a subprotocol, messages before and after the client's. */
    private static Path chat(Path file) throws Exception {
        HandMadeHar h = new HandMadeHar();
        ArrayNode messages = webSocket(h, "wss://chat.test/room", "chat.v1").putArray("_webSocketMessages");
        message(messages, "receive", 100.0, 1, "welcome");
        message(messages, "receive", 100.01, 1, "2 online");
        message(messages, "send", 101.0, 1, "{\"op\":\"join\",\"room\":\"a\"}");
        message(messages, "receive", 101.1, 1, "joined a");
        message(messages, "receive", 101.2, 2, "AAEC");
        message(messages, "send", 102.0, 1, "bye");
        message(messages, "receive", 102.1, 1, "ciao");
        return h.write(file);
    }

    /** A ws:// feed with no subprotocol: one price at once, two more (text, binary) after the client asks. */
    private static Path feed(Path file) throws Exception {
        HandMadeHar h = new HandMadeHar();
        ObjectNode entry = webSocket(h, "ws://feed.test/prices", null);
        HandMadeHar.header(entry, "response", "Set-Cookie", "feed=1");
        ArrayNode messages = entry.putArray("_webSocketMessages");
        message(messages, "receive", 10.0, 1, "{\"price\":1}");
        message(messages, "send", 11.0, 1, "more");
        message(messages, "receive", 11.5, 1, "{\"price\":2}");
        message(messages, "receive", 11.6, 2, Base64.getEncoder().encodeToString(new byte[] {9, 8, 7}));
        return h.write(file);
    }

    private static ObjectNode webSocket(HandMadeHar h, String url, String subprotocol) {
        ObjectNode e = h.entry("GET", url, 101, null, null);
        HandMadeHar.header(e, "request", "Upgrade", "websocket");
        HandMadeHar.header(e, "request", "Connection", "Upgrade");
        HandMadeHar.header(e, "request", "Sec-WebSocket-Version", "13");
        HandMadeHar.header(e, "request", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        HandMadeHar.header(e, "response", "Upgrade", "websocket");
        HandMadeHar.header(e, "response", "Connection", "Upgrade");
        HandMadeHar.header(e, "response", "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        if (subprotocol != null) {
            HandMadeHar.header(e, "request", "Sec-WebSocket-Protocol", subprotocol);
            HandMadeHar.header(e, "response", "Sec-WebSocket-Protocol", subprotocol);
        }
        ((ObjectNode) e.get("response")).put("statusText", "Switching Protocols");
        e.put("_resourceType", "websocket");
        return e;
    }

    private static void message(ArrayNode messages, String type, double time, int opcode, String data) {
        messages.addObject().put("type", type).put("time", time).put("opcode", opcode).put("data", data);
    }

    /** The JDK's WebSocket through Harp, every event in one queue: {@code text ...}, {@code binary <base64>}, {@code close CODE REASON}. */
    private static final class Client implements WebSocket.Listener {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private WebSocket socket;

        static Client open(HarpServer harp, String url, String subprotocol) throws Exception {
            HttpClient http = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(harp.address()))
                    .sslContext(Proxied.trusting(harp.certificateAuthority()))
                    .connectTimeout(Proxied.TIMEOUT)
                    .build();
            Client client = new Client();
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Proxied.TIMEOUT);
            if (subprotocol != null) {
                builder.subprotocols(subprotocol);
            }
            client.socket = builder.buildAsync(URI.create(url), client).get(WAIT, TimeUnit.SECONDS);
            return client;
        }

        String next() throws InterruptedException {
            String event = events.poll(WAIT, TimeUnit.SECONDS);
            assertThat(event).as("a WebSocket event within " + WAIT + " s").isNotNull();
            return event;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text " + text);
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            events.add("binary " + Base64.getEncoder().encodeToString(bytes));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close " + statusCode + " " + reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add("error " + error);
        }
    }
}
