package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One WebSocket message of a recorded conversation, as Chrome's DevTools (and mitmproxy, and Harp) write it in the
 * entry extension {@value #EXTENSION}: {@code {"type": "send"|"receive", "time": <epoch seconds>, "opcode": 1|2,
 * "data": "..."}}. Text messages (opcode 1) hold their text; binary ones (opcode 2) hold base64.
 *
 * @param type   who sent it: the client ({@link Type#SEND}) or the server ({@link Type#RECEIVE})
 * @param time   when, in seconds since the epoch, fractions allowed; {@code NaN} when the file does not say
 * @param opcode the frame opcode: {@value #TEXT} text, {@value #BINARY} binary, {@value #CLOSE} a close frame
 *               (its data is the close code, a space and the reason)
 * @param data   the text, or the base64 of the bytes for binary messages
 */
public record HarWebSocketMessage(Type type, double time, int opcode, String data) {
    /** The entry extension holding the messages. */
    public static final String EXTENSION = "_webSocketMessages";
    /** Opcode of a text message. */
    public static final int TEXT = 1;
    /** Opcode of a binary message. */
    public static final int BINARY = 2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 8;

    /** Who sent a message. */
    public enum Type {
        /** The client sent it to the server. */
        SEND,
        /** The server sent it to the client. */
        RECEIVE;

        /** The name as written in a HAR: {@code send} or {@code receive}. */
        public String harName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the parts. */
    public HarWebSocketMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** A text message. */
    public static HarWebSocketMessage text(Type type, double time, String text) {
        return new HarWebSocketMessage(type, time, TEXT, text);
    }

    /** A binary message, stored as base64. */
    public static HarWebSocketMessage binary(Type type, double time, byte[] bytes) {
        return new HarWebSocketMessage(type, time, BINARY, Base64.getEncoder().encodeToString(bytes));
    }

    /** Whether the entry records a WebSocket conversation: status 101 and a WebSocket upgrade or message list. */
    public static boolean isWebSocket(HarEntry entry) {
        if (entry.response().status() != 101) {
            return false;
        }
        JsonNode type = entry.extensions().get("_resourceType");
        if (entry.extensions().containsKey(EXTENSION) || type != null && "websocket".equalsIgnoreCase(type.asText())) {
            return true;
        }
        return upgradesToWebSocket(entry.response().headers()) || upgradesToWebSocket(entry.request().headers());
    }

    private static boolean upgradesToWebSocket(List<HarHeader> headers) {
        for (HarHeader h : headers) {
            if (h.name().equalsIgnoreCase("Upgrade") && h.value() != null
                    && h.value().toLowerCase(Locale.ROOT).contains("websocket")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The messages of an entry, in file order, read leniently: an absent or non-array extension is no messages; a
     * message without a known {@code type} is skipped; a missing opcode is text; numbers written as strings are read.
     */
    public static List<HarWebSocketMessage> of(HarEntry entry) {
        JsonNode list = entry.extensions().get(EXTENSION);
        if (list == null || !list.isArray()) {
            return List.of();
        }
        List<HarWebSocketMessage> out = new ArrayList<>(list.size());
        for (JsonNode m : list) {
            Type type = switch (m.path("type").asText("").toLowerCase(Locale.ROOT)) {
                case "send" -> Type.SEND;
                case "receive" -> Type.RECEIVE;
                default -> null;
            };
            if (type == null) {
                continue;
            }
            JsonNode time = m.path("time");
            double seconds = time.isNumber() || time.isTextual() ? time.asDouble(Double.NaN) : Double.NaN;
            JsonNode data = m.path("data");
            out.add(new HarWebSocketMessage(type, seconds, m.path("opcode").asInt(TEXT),
                    data.isNull() || data.isMissingNode() ? "" : data.asText()));
        }
        return List.copyOf(out);
    }

    /** The messages as the {@value #EXTENSION} array, for {@link HarEntry.Builder#extension}. */
    public static ArrayNode toJson(List<HarWebSocketMessage> messages) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (HarWebSocketMessage m : messages) {
            ObjectNode node = array.addObject().put("type", m.type().harName());
            if (!Double.isNaN(m.time())) {
                node.put("time", m.time());
            }
            node.put("opcode", m.opcode()).put("data", m.data());
        }
        return array;
    }

    /** Whether this is a binary message. */
    public boolean isBinary() {
        return opcode == BINARY;
    }

    /**
     * The payload: the UTF-8 of the text, or the decoded base64 of a binary message.
     *
     * @throws IllegalArgumentException when a binary message is not valid base64
     */
    public byte[] bytes() {
        // strict, line breaks aside: the MIME decoder would skip stray characters and hand back other bytes
        return isBinary() ? Base64.getDecoder().decode(data.replaceAll("\\s", "")) : data.getBytes(StandardCharsets.UTF_8);
    }
}
