package dev.harp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.har.HarEntry;
import dev.harp.har.HarHeader;
import dev.harp.har.HarWebSocketMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recorded WebSocket conversation made ready at load time: the upgrade request as matched, the subprotocol the
 * server chose, and the messages in recorded order with their payloads decoded. Immutable; each live connection
 * plays it through its own {@link WebSocketConversation}.
 */
final class WebSocketScript {

    /**
     * One recorded message.
     *
     * @param client  whether the client sent it (a {@code send}), else the server (a {@code receive})
     * @param opcode  {@link HarWebSocketMessage#TEXT}, {@link HarWebSocketMessage#BINARY} or
     *                {@link HarWebSocketMessage#CLOSE}
     * @param payload the decoded bytes (UTF-8 for text)
     * @param millis  when it was sent, in epoch milliseconds, or {@code NaN} when unknown
     */
    record Message(boolean client, int opcode, byte[] payload, double millis) {
    }

    private final int entryIndex;
    private final MatchRequest request;
    private final String subprotocol;
    private final double openedMillis;
    private final List<Message> messages;
    private final Message serverClose;

    private WebSocketScript(int entryIndex, MatchRequest request, String subprotocol, double openedMillis,
                            List<Message> messages, Message serverClose) {
        this.serverClose = serverClose;
        this.entryIndex = entryIndex;
        this.request = request;
        this.subprotocol = subprotocol;
        this.openedMillis = openedMillis;
        this.messages = List.copyOf(messages);
    }

    /**
     * Reads the conversation of a WebSocket entry. Messages with opcodes other than text, binary and close (some
     * tools list pings) are left out.
     *
     * @param request the entry's request as the index matches it
     * @throws Unreplayable when a binary message is not valid base64
     */
    static WebSocketScript of(HarEntry entry, int entryIndex, MatchRequest request) throws Unreplayable {
        List<Message> messages = new ArrayList<>();
        List<HarWebSocketMessage> recorded = HarWebSocketMessage.of(entry);
        for (int i = 0; i < recorded.size(); i++) {
            HarWebSocketMessage m = recorded.get(i);
            int opcode = m.opcode();
            if (opcode != HarWebSocketMessage.TEXT && opcode != HarWebSocketMessage.BINARY
                    && opcode != HarWebSocketMessage.CLOSE) {
                continue;
            }
            byte[] payload;
            try {
                payload = m.bytes();
            } catch (IllegalArgumentException bad) {
                throw new Unreplayable(Unreplayable.Reason.BAD_BASE64, "WebSocket message " + (i + 1)
                        + " (binary) is not valid base64: " + bad.getMessage());
            }
            messages.add(new Message(m.type() == HarWebSocketMessage.Type.SEND, opcode, payload, m.time() * 1000));
        }
        String chosen = null;
        for (HarHeader h : entry.response().headers()) {
            if (h.name().equalsIgnoreCase("Sec-WebSocket-Protocol") && h.value() != null && !h.value().isBlank()) {
                chosen = h.value().trim();
            }
        }
        double opened = entry.startedInstant().map(Instant::toEpochMilli).map(ms -> ms + Math.max(0, entry.time()))
                .map(Double::valueOf).orElse(Double.NaN);
        return new WebSocketScript(entryIndex, request, chosen, opened, messages, serverClose(entry));
    }

    /**
     * How the server ended the recorded conversation, from Harp's {@code _webSocketClose} ({@code by: "server"}, its
     * code and reason): a close message whose payload is {@code CODE reason}; code {@value #ABNORMAL} when the server
     * cut the connection without a close frame, {@value #NO_STATUS} for a close frame without a code. Null when the
     * client closed, or nothing says.
     */
    private static Message serverClose(HarEntry entry) {
        JsonNode close = entry.extensions().get("_webSocketClose");
        if (close == null || !close.isObject() || !"server".equalsIgnoreCase(close.path("by").asText())) {
            return null;
        }
        JsonNode code = close.path("code");
        int value = code.canConvertToInt() ? code.asInt() : NO_STATUS;
        String text = value + " " + close.path("reason").asText("");
        return new Message(false, HarWebSocketMessage.CLOSE, text.trim().getBytes(StandardCharsets.UTF_8), Double.NaN);
    }

    /** The close code of a conversation cut without a close frame (RFC 6455 7.4.1). */
    static final int ABNORMAL = 1006;
    /** The close code of a close frame without a code (RFC 6455 7.4.1). */
    static final int NO_STATUS = 1005;

    /** The server's close after the last recorded message, or null when the recording has none. */
    Message serverClose() {
        return serverClose;
    }

    /** Whether a URL names a WebSocket endpoint ({@code ws://} or {@code wss://}). */
    static boolean isWebSocketUrl(String url) {
        return url != null && (url.regionMatches(true, 0, "ws://", 0, 5) || url.regionMatches(true, 0, "wss://", 0, 6));
    }

    /** The URL as replay matches it: {@code ws://} as {@code http://}, {@code wss://} as {@code https://}. */
    static String httpUrl(String url) {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ws://")) {
            return "http://" + url.substring(5);
        }
        if (lower.startsWith("wss://")) {
            return "https://" + url.substring(6);
        }
        return url;
    }

    /** The entry's index in the HAR. */
    int entryIndex() {
        return entryIndex;
    }

    /** The upgrade request as recorded. */
    MatchRequest request() {
        return request;
    }

    /** The subprotocol the server chose, or null for none. */
    String subprotocol() {
        return subprotocol;
    }

    /** When the handshake ended, in epoch milliseconds, or {@code NaN} when unknown. */
    double openedMillis() {
        return openedMillis;
    }

    /** The messages in recorded order. */
    List<Message> messages() {
        return messages;
    }
}
