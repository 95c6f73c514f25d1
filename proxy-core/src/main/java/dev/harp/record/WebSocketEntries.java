package dev.harp.record;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.harp.flow.Utf8Text;
import dev.harp.flow.WebSocketLog;
import dev.harp.har.HarEntry;
import dev.harp.har.HarRequest;
import dev.harp.har.HarWebSocketMessage;
import dev.harp.redaction.Redaction;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The WebSocket members of a HAR entry, as Chrome's DevTools writes them, so the files open in the tools people use:
 * {@code _resourceType: "websocket"} and {@code _webSocketMessages}, a list of {@code {type: "send"|"receive", time:
 * epoch seconds, opcode: 1|2, data}} (text as it is, binary as base64). Text messages go through the same redaction
 * as bodies (JSON members by name, secret shapes anywhere). The request URL takes the {@code ws}/{@code wss} scheme,
 * as Chrome writes it.
 *
 * <p>Harp adds {@code _webSocketClose: {by: "client"|"server", code, reason, answered}}: who sent the first close
 * frame with its code and reason, and whether the other side answered it; for a conversation cut without a close
 * frame, the side whose connection ended first, code 1006 and what happened. Messages past the capture limit are
 * counted in the entry's {@code comment}.
 */
final class WebSocketEntries {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private WebSocketEntries() {
    }

    /**
     * @param receivedSink told of each value redacted in a message from the server (the recorder warns: replay would
     *                     send {@code REDACTED} there)
     */
    static void add(HarEntry.Builder entry, HarRequest request, WebSocketLog log, Redactor redactor,
                    Redaction.Sink receivedSink) {
        entry.request(request.toBuilder().url(webSocketUrl(request.url())).build());
        entry.extension("_resourceType", TextNode.valueOf("websocket"));
        List<HarWebSocketMessage> messages = new ArrayList<>();
        for (WebSocketLog.Message m : log.messages()) {
            messages.add(new HarWebSocketMessage(m.fromClient() ? HarWebSocketMessage.Type.SEND : HarWebSocketMessage.Type.RECEIVE,
                    m.time(), m.opcode(), data(m, redactor, m.fromClient() ? Redaction.Sink.NONE : receivedSink)));
        }
        entry.extension(HarWebSocketMessage.EXTENSION, HarWebSocketMessage.toJson(messages));
        WebSocketLog.Close close = log.close();
        if (close != null) {
            ObjectNode node = JSON.objectNode();
            node.put("by", close.by());
            if (close.code() == null) {
                node.putNull("code");
            } else {
                node.put("code", close.code());
            }
            node.put("reason", Redactor.forLogText(close.reason()));
            node.put("answered", close.answered());
            entry.extension("_webSocketClose", node);
        }
        if (log.droppedMessages() > 0) {
            entry.comment(log.droppedMessages() + " WebSocket message(s) of " + log.droppedBytes() + " bytes relayed but"
                    + " not stored: past the capture limit of " + log.limit() + " bytes per conversation");
        }
    }

    private static String data(WebSocketLog.Message m, Redactor redactor, Redaction.Sink sink) {
        if (m.opcode() == WebSocketLog.TEXT) {
            byte[] redacted = redactor.body(m.data(), null, m.fromClient() ? "webSocket.send" : "webSocket.receive", sink);
            String text = Utf8Text.decode(redacted);
            if (text != null) {
                return text;
            }
        }
        return Base64.getEncoder().encodeToString(m.data());
    }

    /** {@code http://} becomes {@code ws://}, {@code https://} becomes {@code wss://}. */
    static String webSocketUrl(String url) {
        if (url.startsWith("http://")) {
            return "ws://" + url.substring("http://".length());
        }
        if (url.startsWith("https://")) {
            return "wss://" + url.substring("https://".length());
        }
        return url;
    }
}
