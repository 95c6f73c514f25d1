package dev.harp.har;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chrome's {@code _webSocketMessages}, read leniently and written back in the same shape. */
class HarWebSocketMessageTest {
    private static HarEntry entry(int status, String extensions) throws HarFormatException {
        return HarReader.fromJson("""
                {"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{
                  "startedDateTime":"2024-05-01T10:00:00.000Z","time":1,
                  "request":{"method":"GET","url":"wss://h.test/s","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                    "queryString":[],"headersSize":-1,"bodySize":0},
                  "response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                    "content":{"size":0,"mimeType":""},"redirectURL":"","headersSize":-1,"bodySize":0},
                  "cache":{},"timings":{"send":0,"wait":1,"receive":0}%s}]}}
                """.formatted(status, extensions)).log().entries().get(0);
    }

    @Test
    void messagesAreReadLenientlyInFileOrder() throws Exception {
        HarEntry e = entry(101, """
                ,"_resourceType":"websocket","_webSocketMessages":[
                  {"type":"receive","time":1714557600.5,"opcode":1,"data":"hi"},
                  {"type":"ping","time":1714557600.6,"opcode":9,"data":""},
                  {"type":"send","time":"1714557601","data":"no opcode: text"},
                  {"type":"send","opcode":2,"data":"AAEC"}]""");
        List<HarWebSocketMessage> messages = HarWebSocketMessage.of(e);
        assertThat(HarWebSocketMessage.isWebSocket(e)).isTrue();
        assertThat(messages).extracting(HarWebSocketMessage::type).containsExactly(
                HarWebSocketMessage.Type.RECEIVE, HarWebSocketMessage.Type.SEND, HarWebSocketMessage.Type.SEND);
        assertThat(messages.get(1).time()).isEqualTo(1714557601.0);
        assertThat(messages.get(1).opcode()).isEqualTo(HarWebSocketMessage.TEXT);
        assertThat(messages.get(2).time()).isNaN();
        assertThat(messages.get(2).bytes()).containsExactly(0, 1, 2);
    }

    @Test
    void onlyA101WithWebSocketSignsIsAConversation() throws Exception {
        assertThat(HarWebSocketMessage.isWebSocket(entry(200, ",\"_resourceType\":\"websocket\""))).isFalse();
        assertThat(HarWebSocketMessage.isWebSocket(entry(101, ""))).isFalse(); // an h2c or other upgrade
        assertThat(HarWebSocketMessage.of(entry(101, ",\"_webSocketMessages\":{}"))).isEmpty();
    }

    @Test
    void messagesWriteBackAsChromeWritesThem() {
        List<HarWebSocketMessage> messages = List.of(
                HarWebSocketMessage.text(HarWebSocketMessage.Type.SEND, 1.25, "{\"a\":1}"),
                HarWebSocketMessage.binary(HarWebSocketMessage.Type.RECEIVE, 2.5, new byte[] {0, 1, 2}));
        assertThat(HarWebSocketMessage.toJson(messages).toString()).isEqualTo(
                "[{\"type\":\"send\",\"time\":1.25,\"opcode\":1,\"data\":\"{\\\"a\\\":1}\"},"
                        + "{\"type\":\"receive\",\"time\":2.5,\"opcode\":2,\"data\":\"AAEC\"}]");
        assertThatThrownBy(() -> new HarWebSocketMessage(HarWebSocketMessage.Type.SEND, 0, 2, "%%").bytes())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
