package dev.harp.flow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The messages of one WebSocket conversation relayed by Harp, as {@link WebSocketFrames} decode them from both
 * directions, and how the conversation ended.
 *
 * <p>Message payloads are kept up to a byte limit per conversation (the capture limit): once a message does not fit,
 * it and every later message are relayed but not kept ({@link #droppedMessages}), so what is kept is always a whole
 * prefix of the conversation. Confined to the I/O thread of the conversation until it is delivered with its flow.
 */
public final class WebSocketLog {
    /** Text message (RFC 6455 opcode). */
    public static final int TEXT = 1;
    /** Binary message (RFC 6455 opcode). */
    public static final int BINARY = 2;
    /** The status code of a conversation that ended without a close frame (RFC 6455 7.4.1: never sent on the wire). */
    public static final int ABNORMAL_CLOSURE = 1006;

    /**
     * One whole message (its fragments joined).
     *
     * @param fromClient whether the client sent it (HAR {@code send}) or the server ({@code receive})
     * @param time       when its last frame passed through Harp, epoch seconds
     * @param opcode     {@link #TEXT} or {@link #BINARY}
     * @param data       the payload, unmasked
     */
    public record Message(boolean fromClient, double time, int opcode, byte[] data) {
    }

    /**
     * How the conversation ended.
     *
     * @param by       {@code client} or {@code server}: the side that sent the first close frame, or, without one,
     *                 the side whose connection ended first
     * @param code     the close frame's status code, {@link #ABNORMAL_CLOSURE} without a close frame, null for a close
     *                 frame without a code
     * @param reason   the close frame's reason, or why the connection ended
     * @param answered whether the other side answered the close frame with its own (a clean close handshake)
     */
    public record Close(String by, Integer code, String reason, boolean answered) {
    }

    private final long limit;
    private final List<Message> messages = new ArrayList<>();
    private long kept;
    private int droppedMessages;
    private long droppedBytes;
    private Close close;
    private boolean closeAnswered;
    private boolean clientClosed;
    private boolean serverClosed;

    /** @param limit payload bytes kept at most, both directions together */
    public WebSocketLog(long limit) {
        this.limit = limit;
    }

    /** The byte limit on kept payloads. */
    public long limit() {
        return limit;
    }

    /** Whether a message of {@code size} bytes would still be kept. */
    boolean room(long size) {
        return droppedMessages == 0 && kept + size <= limit;
    }

    void message(boolean fromClient, int opcode, byte[] data) {
        if (!room(data.length)) {
            dropped(data.length);
            return;
        }
        kept += data.length;
        messages.add(new Message(fromClient, epochSeconds(Instant.now()), opcode, data));
    }

    void dropped(long size) {
        droppedMessages++;
        droppedBytes += size;
    }

    /** A close frame went by; the first one says who closed, a second one from the other side answers it. */
    void closeFrame(boolean fromClient, Integer code, String reason) {
        if (fromClient) {
            clientClosed = true;
        } else {
            serverClosed = true;
        }
        if (close == null) {
            close = new Close(fromClient ? "client" : "server", code, reason, false);
        } else if (!close.by().equals(fromClient ? "client" : "server")) {
            closeAnswered = true;
        }
    }

    /**
     * The conversation ended; without any close frame, {@code side} (whose connection ended first) and {@code why}
     * say how.
     */
    public void ended(String side, String why) {
        if (close == null) {
            close = new Close(side, ABNORMAL_CLOSURE, why, false);
        }
    }

    /** Whether that side has sent its close frame. */
    public boolean sentClose(boolean client) {
        return client ? clientClosed : serverClosed;
    }

    /** The kept messages, in the order they passed through Harp. */
    public List<Message> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** Messages relayed past the limit and not kept. */
    public int droppedMessages() {
        return droppedMessages;
    }

    /** The payload bytes of the messages not kept. */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** How it ended, or null while it goes on. */
    public Close close() {
        return close == null ? null : new Close(close.by(), close.code(), close.reason(), closeAnswered);
    }

    static double epochSeconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1_000_000L / 1_000.0;
    }
}
