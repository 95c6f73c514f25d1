package dev.harp.replay;

import dev.harp.har.HarReader;
import dev.harp.har.HarWebSocketMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a recorded conversation is played, without sockets: pairing, JSON and redactions, delays, misses, closes. */
class WebSocketConversationTest {
    private static final MatchRequest UPGRADE = MatchRequest.of("GET", "https://ws.test/feed",
            List.of(NameValue.of("Upgrade", "websocket")), null);

    @Test
    void recordedLatencyWaitsTheRecordedGapBeforeEachServerMessage() throws Exception {
        HarReplay replay = load(MatchOptions.defaults(), """
                {"type":"receive","time":1000.250,"opcode":1,"data":"hello"},
                {"type":"send","time":1001.0,"opcode":1,"data":"go"},
                {"type":"receive","time":1001.1,"opcode":1,"data":"one"},
                {"type":"receive","time":1001.4,"opcode":1,"data":"two"}""");
        WebSocketConversation c = conversation(replay, Latency.recorded());
        assertThat(c.opening()).extracting(WebSocketConversation.Outgoing::text, WebSocketConversation.Outgoing::delayMillis)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", 250L)); // the entry opened at 1000.000
        WebSocketConversation.Reply reply = c.onMessage(false, utf8("go"));
        assertThat(reply.isMiss()).isFalse();
        assertThat(reply.messages()).extracting(WebSocketConversation.Outgoing::delayMillis).containsExactly(100L, 300L);

        WebSocketConversation fixed = conversation(replay, Latency.fixed(Duration.ofMillis(40)));
        assertThat(fixed.opening()).extracting(WebSocketConversation.Outgoing::delayMillis).containsExactly(40L);
        assertThat(conversation(replay, Latency.none()).opening()).extracting(WebSocketConversation.Outgoing::delayMillis)
                .containsExactly(0L);
    }

    @Test
    void jsonMessagesCompareAsJsonWithIgnoredPathsAndRedactedValues() throws Exception {
        HarReplay replay = load(MatchOptions.builder().ignoreJsonPaths("$.id").build(), """
                {"type":"send","time":1,"opcode":1,"data":"{\\"id\\":1,\\"token\\":\\"REDACTED\\",\\"q\\":[1,2]}"},
                {"type":"receive","time":2,"opcode":1,"data":"ok"}""");
        WebSocketConversation c = conversation(replay, Latency.none());
        assertThat(c.opening()).isEmpty();
        WebSocketConversation.Reply reply = c.onMessage(false, utf8("{ \"q\": [1, 2], \"token\": \"s3cret\", \"id\": 77 }"));
        assertThat(reply.messages()).extracting(WebSocketConversation.Outgoing::text).containsExactly("ok");
        assertThat(replay.misses()).isEmpty();
    }

    @Test
    void aMissShowsTheLiveMessageWithItsSecretsHidden() throws Exception {
        HarReplay replay = load(MatchOptions.defaults(), "{\"type\":\"send\",\"time\":1,\"opcode\":1,\"data\":\"{}\"}");
        conversation(replay, Latency.none()).onMessage(false, utf8("{\"password\":\"hunter2\",\"n\":1}"));
        assertThat(replay.misses().get(0).describe()).contains("\"n\":1").doesNotContain("hunter2");
    }

    @Test
    void aJsonMessageDifferingInOneMemberSuggestsIgnoringItsPath() throws Exception {
        HarReplay replay = load(MatchOptions.defaults(), "{\"type\":\"send\",\"time\":1,\"opcode\":1,\"data\":\"{\\\"id\\\":1}\"}");
        conversation(replay, Latency.none()).onMessage(false, utf8("{\"id\":2}"));
        assertThat(replay.misses().get(0).describe())
                .contains("    - message differs at $.id: live 2, recorded 1\n      option: --ignore-json-path $.id");
    }

    @Test
    void textAndBinaryNeverMatchEachOtherAndBinaryComparesBytes() throws Exception {
        HarReplay replay = load(MatchOptions.defaults(), """
                {"type":"send","time":1,"opcode":2,"data":"AQID"},
                {"type":"receive","time":2,"opcode":2,"data":"BAU="}""");
        WebSocketConversation text = conversation(replay, Latency.none());
        assertThat(text.onMessage(false, new byte[] {1, 2, 3}).isMiss()).isTrue();
        assertThat(replay.misses().get(0).describe()).contains("message type: live text, recorded binary");

        WebSocketConversation binary = conversation(replay, Latency.none());
        WebSocketConversation.Reply reply = binary.onMessage(true, new byte[] {1, 2, 3});
        assertThat(reply.messages()).singleElement().satisfies(m -> {
            assertThat(m.opcode()).isEqualTo(HarWebSocketMessage.BINARY);
            assertThat(m.payload()).containsExactly(4, 5);
        });
    }

    @Test
    void aMessageOutOfOrderIsAMissThatSaysSoAndEndsThePlay() throws Exception {
        HarReplay replay = load(MatchOptions.defaults(), """
                {"type":"send","time":1,"opcode":1,"data":"first"},
                {"type":"send","time":2,"opcode":1,"data":"second"},
                {"type":"receive","time":3,"opcode":1,"data":"done"}""");
        WebSocketConversation c = conversation(replay, Latency.none());
        WebSocketConversation.Reply reply = c.onMessage(false, utf8("second"));
        assertThat(reply.closeReason()).isEqualTo("Harp replay miss; closest recorded: text (6 bytes): second");
        assertThat(replay.misses()).singleElement().satisfies(miss -> {
            assertThat(miss.reason()).isEqualTo(Miss.Reason.WEBSOCKET_MESSAGE);
            assertThat(miss.describe()).contains("the recording expects client message 1 first");
        });
        assertThat(replay.summary().misses()).isEqualTo(1);
        assertThat(c.onMessage(false, utf8("first")).isMiss()).as("nothing more is played after a miss").isTrue();
    }

    @Test
    void closeReasonsFitInACloseFrameWithoutCuttingACharacter() throws Exception {
        String long_ = "é".repeat(200);
        HarReplay replay = load(MatchOptions.defaults(), "{\"type\":\"send\",\"time\":1,\"opcode\":1,\"data\":\"" + long_ + "\"}");
        String reason = conversation(replay, Latency.none()).onMessage(false, utf8("x")).closeReason();
        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(reason).startsWith("Harp replay miss; closest recorded: text").endsWith("é...");
    }

    @Test
    void aRecordedCloseIsPlayedWithItsCodeAndEndsTheScript() throws Exception {
        HarReplay replay = load(MatchOptions.defaults(), """
                {"type":"receive","time":1,"opcode":1,"data":"bye"},
                {"type":"receive","time":2,"opcode":8,"data":"4000 maintenance"},
                {"type":"receive","time":3,"opcode":1,"data":"never"}""");
        List<WebSocketConversation.Outgoing> opening = conversation(replay, Latency.none()).opening();
        assertThat(opening).extracting(WebSocketConversation.Outgoing::opcode).containsExactly(1, 8);
        assertThat(opening.get(1).closeCode()).isEqualTo(4000);
        assertThat(opening.get(1).text()).isEqualTo("maintenance");
    }

    @Test
    void harpsRecordedServerCloseFollowsTheLastMessageAndAClientsCloseIsNotPlayed() throws Exception {
        HarReplay replay = HarReplay.of(Path.of("ws.har"), HarReader.fromJson(har("""
                {"type":"receive","time":1,"opcode":1,"data":"hi"},
                {"type":"send","time":2,"opcode":1,"data":"bye"}""", close("server", 4001, "kicked"))), MatchOptions.defaults());
        WebSocketConversation c = conversation(replay, Latency.recorded());
        assertThat(c.opening()).extracting(WebSocketConversation.Outgoing::text).containsExactly("hi");
        List<WebSocketConversation.Outgoing> after = c.onMessage(false, utf8("bye")).messages();
        assertThat(after).singleElement().satisfies(close -> {
            assertThat(close.opcode()).isEqualTo(HarWebSocketMessage.CLOSE);
            assertThat(close.closeCode()).isEqualTo(4001);
            assertThat(close.text()).isEqualTo("kicked");
        });

        String last = "{\"type\":\"receive\",\"time\":1,\"opcode\":1,\"data\":\"last\"}";
        String cut = har(last, close("server", 1006, "reset"));
        assertThat(conversation(HarReplay.of(Path.of("ws.har"), HarReader.fromJson(cut), MatchOptions.defaults()),
                Latency.none()).opening()).extracting(WebSocketConversation.Outgoing::closeCode)
                .containsExactly(0, WebSocketConversation.ABNORMAL);

        String byClient = har(last, close("client", 1000, ""));
        assertThat(conversation(HarReplay.of(Path.of("ws.har"), HarReader.fromJson(byClient), MatchOptions.defaults()),
                Latency.none()).opening()).hasSize(1);
    }

    @Test
    void aBinaryMessageThatIsNotBase64SkipsTheEntryWithItsReason() throws Exception {
        Path file = Path.of("broken.har");
        List<SkippedEntry> skipped = HarReplay.skippedEntries(file, HarReader.fromJson(har(
                "{\"type\":\"receive\",\"time\":1,\"opcode\":2,\"data\":\"%%%\"}")), 1024);
        assertThat(skipped).singleElement().extracting(SkippedEntry::message).asString()
                .contains("WebSocket message 1 (binary) is not valid base64");
    }

    private static WebSocketConversation conversation(HarReplay replay, Latency latency) {
        Lookup<ReplayResponse> hit = replay.find(UPGRADE);
        assertThat(hit.isHit()).as("the upgrade matches the WebSocket entry").isTrue();
        return replay.webSocket(hit.payload(), UPGRADE, latency).orElseThrow();
    }

    private static HarReplay load(MatchOptions options, String messages) throws Exception {
        return HarReplay.of(Path.of("ws.har"), HarReader.fromJson(har(messages)), options);
    }

    private static String har(String messages) {
        return har(messages, "");
    }

    /** @param extra more entry members, each with a leading comma */
    private static String har(String messages, String extra) {
        return """
                {"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[{
                  "startedDateTime":"1970-01-01T00:16:39.900Z","time":100,
                  "request":{"method":"GET","url":"wss://ws.test/feed","httpVersion":"HTTP/1.1","cookies":[],
                    "headers":[{"name":"Upgrade","value":"websocket"}],"queryString":[],"headersSize":-1,"bodySize":0},
                  "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1","cookies":[],
                    "headers":[],"content":{"size":0,"mimeType":""},"redirectURL":"","headersSize":-1,"bodySize":0},
                  "cache":{},"timings":{"send":0,"wait":100,"receive":0},
                  "_resourceType":"websocket","_webSocketMessages":[%s]%s}]}}
                """.formatted(messages, extra);
    }

    /** Harp's {@code _webSocketClose} member, with its leading comma. */
    private static String close(String by, int code, String reason) {
        return ",\"_webSocketClose\":{\"by\":\"%s\",\"code\":%d,\"reason\":\"%s\",\"answered\":true}"
                .formatted(by, code, reason);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
