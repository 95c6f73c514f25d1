package dev.harp.replay;

import dev.harp.har.HarWebSocketMessage;
import dev.harp.options.OptionCatalog;
import dev.harp.redaction.Redaction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * One live replay of a recorded WebSocket conversation: which server messages to send when the connection opens,
 * and, for each message the client sends, whether it is the next one recorded and which server messages follow it.
 *
 * <p>The server's messages recorded before the client's first message are sent at once ({@link #opening()}). A
 * client message matches the next recorded client message when both are text or both binary and the payloads are
 * equal, or equal as JSON (the {@code ignoreJsonPaths} option applied, a recorded {@code REDACTED} matching any
 * value). Then the server messages recorded after it, up to the next client message, are played in order
 * ({@link #onMessage}). Anything else is a miss: it is reported through the same channel as HTTP misses
 * ({@link HarReplay#misses()}) and the connection should be closed with {@link #POLICY_VIOLATION} and
 * {@link Reply#closeReason()}. Delays follow the {@link Latency} option: recorded gaps between messages, a fixed
 * delay before each server message, or none.
 *
 * <p>Not thread-safe: one connection, one thread (its I/O thread).
 */
public final class WebSocketConversation {
    /** The close code of a miss: 1008, policy violation. */
    public static final int POLICY_VIOLATION = 1008;
    /** The close code that stands for a close frame without a code. */
    public static final int NO_STATUS = WebSocketScript.NO_STATUS;
    /** The close code that stands for a connection cut without a close frame. */
    public static final int ABNORMAL = WebSocketScript.ABNORMAL;
    /** A close frame's reason holds at most this many bytes of UTF-8. */
    static final int MAX_REASON_BYTES = 123;

    /**
     * A server message to send.
     *
     * @param opcode      {@link HarWebSocketMessage#TEXT}, {@link HarWebSocketMessage#BINARY} or
     *                    {@link HarWebSocketMessage#CLOSE}
     * @param payload     the bytes (UTF-8 for text; for a close, the reason)
     * @param closeCode   for a close, its code: {@value #NO_STATUS} for a close frame without one, {@value #ABNORMAL}
     *                    for a connection cut without a close frame (as recorded); else 0
     * @param delayMillis how long to wait after the previous message (or the trigger) before sending it
     */
    public record Outgoing(int opcode, byte[] payload, int closeCode, long delayMillis) {
        /** The payload as text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /**
     * What to do after a client message.
     *
     * @param messages    the server messages to send, in order (none on a miss)
     * @param closeReason null when the message matched; on a miss, the reason to close with (at most 123 bytes of
     *                    UTF-8), naming the closest recorded message
     */
    public record Reply(List<Outgoing> messages, String closeReason) {
        /** Copies the list. */
        public Reply {
            messages = List.copyOf(messages);
        }

        /** Whether the client's message matched nothing. */
        public boolean isMiss() {
            return closeReason != null;
        }
    }

    private final WebSocketScript script;
    private final MatchRequest live;
    private final RequestComparator comparator;
    private final Latency latency;
    private final Consumer<Miss> misses;
    private final IntSupplier recordedEntries;
    private int cursor;
    private int clientMessages;
    /** Whether the end of the script was played (so the server's close is sent once). */
    private boolean ended;

    WebSocketConversation(WebSocketScript script, MatchRequest live, RequestComparator comparator, Latency latency,
                          Consumer<Miss> misses, IntSupplier recordedEntries) {
        this.script = script;
        this.live = live;
        this.comparator = comparator;
        this.latency = latency;
        this.misses = misses;
        this.recordedEntries = recordedEntries;
    }

    /** The subprotocol the server chose in the recording, or null for none. */
    public String subprotocol() {
        return script.subprotocol();
    }

    /** The index of the HAR entry being replayed. */
    public int entryIndex() {
        return script.entryIndex();
    }

    /** The server messages recorded before the client's first message; call once, when the connection opens. */
    public List<Outgoing> opening() {
        return serverMessagesFrom(script.openedMillis());
    }

    /**
     * Takes one message from the client.
     *
     * @param binary  whether it is a binary message (else text)
     * @param payload its bytes (UTF-8 for text)
     * @return the server messages that follow it, or a miss
     */
    public Reply onMessage(boolean binary, byte[] payload) {
        clientMessages++;
        int opcode = binary ? HarWebSocketMessage.BINARY : HarWebSocketMessage.TEXT;
        List<WebSocketScript.Message> all = script.messages();
        PreparedRequest prepared = comparator.prepareLive(asRequest(payload));
        if (cursor < all.size() && all.get(cursor).client() && all.get(cursor).opcode() != HarWebSocketMessage.CLOSE
                && difference(opcode, prepared, all.get(cursor)) == null) {
            double sent = all.get(cursor).millis();
            cursor++;
            return new Reply(serverMessagesFrom(sent), null);
        }
        return miss(opcode, payload, prepared);
    }

    /**
     * The server messages from the cursor up to the next client message; a recorded close ends the script, and at its
     * end the server's recorded close, if any, follows.
     */
    private List<Outgoing> serverMessagesFrom(double triggerMillis) {
        List<Outgoing> out = messagesFrom(triggerMillis);
        boolean closes = !out.isEmpty() && out.get(out.size() - 1).opcode() == HarWebSocketMessage.CLOSE;
        if (cursor >= script.messages().size() && !closes && !ended && script.serverClose() != null) {
            out.add(close(script.serverClose().payload(), 0));
        }
        ended |= cursor >= script.messages().size();
        return out;
    }

    private List<Outgoing> messagesFrom(double triggerMillis) {
        List<WebSocketScript.Message> all = script.messages();
        List<Outgoing> out = new ArrayList<>();
        double previous = triggerMillis;
        while (cursor < all.size() && !all.get(cursor).client()) {
            WebSocketScript.Message m = all.get(cursor++);
            double gap = Double.isNaN(previous) || Double.isNaN(m.millis()) ? 0 : Math.max(0, m.millis() - previous);
            long delay = latency.delayMillis(gap);
            if (!Double.isNaN(m.millis())) {
                previous = m.millis();
            }
            if (m.opcode() == HarWebSocketMessage.CLOSE) {
                out.add(close(m.payload(), delay));
                cursor = all.size();
                break;
            }
            out.add(new Outgoing(m.opcode(), m.payload(), 0, delay));
        }
        return out;
    }

    /** A recorded close: its data is the code, a space and the reason, or just a reason (then 1000). */
    private static Outgoing close(byte[] data, long delay) {
        String text = new String(data, StandardCharsets.UTF_8).trim();
        int code = 1000;
        String reason = text;
        int digits = 0;
        while (digits < text.length() && digits < 4 && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        if (digits == 4) {
            code = Integer.parseInt(text.substring(0, 4));
            reason = text.substring(4).trim();
        }
        return new Outgoing(HarWebSocketMessage.CLOSE, truncate(reason).getBytes(StandardCharsets.UTF_8), code, delay);
    }

    private Reply miss(int opcode, byte[] payload, PreparedRequest prepared) {
        List<WebSocketScript.Message> all = script.messages();
        // the live message as a recording would keep it (secret-named JSON members hidden): a miss ends up in CI logs
        boolean json = opcode == HarWebSocketMessage.TEXT && JsonDiff.parseObjectOrArray(payload) != null;
        byte[] shown = json ? Redaction.defaults().body(payload, "application/json") : payload;
        if (json) {
            prepared = comparator.prepareLive(asRequest(shown));
        }
        int best = -1;
        double bestScore = -1;
        Difference bestDifference = null;
        for (int i = cursor; i < all.size(); i++) {
            WebSocketScript.Message m = all.get(i);
            if (!m.client() || m.opcode() == HarWebSocketMessage.CLOSE) {
                continue;
            }
            Difference d = difference(opcode, prepared, m);
            double score = d == null ? 3 : (m.opcode() == opcode ? 1 : 0) + prefixShare(payload, m.payload());
            if (score > bestScore) {
                best = i;
                bestScore = score;
                bestDifference = d;
            }
        }
        String livePreview = preview(opcode, shown);
        StringBuilder detail = new StringBuilder()
                .append("  client message ").append(clientMessages).append(", ").append(livePreview).append('\n');
        String reason;
        if (best < 0) {
            detail.append("  the recording has no more client messages after ").append(sends(cursor))
                    .append(" (entry #").append(script.entryIndex()).append(")\n");
            reason = "Harp replay miss: no more client messages recorded";
        } else {
            WebSocketScript.Message m = all.get(best);
            String recordedPreview = preview(m.opcode(), m.payload());
            detail.append("  closest recorded: client message ").append(sends(best) + 1).append(" of entry #")
                    .append(script.entryIndex()).append(", ").append(recordedPreview).append('\n');
            if (bestDifference == null) {
                detail.append("    - it matches, but the recording expects client message ").append(sends(cursor) + 1)
                        .append(" first: messages are matched in recorded order\n");
            }
            reason = "Harp replay miss; closest recorded: " + Redaction.forLogText(recordedPreview);
        }
        NearMiss near = new NearMiss(List.of(script.entryIndex()), script.request(), 100,
                bestDifference == null ? List.of() : List.of(bestDifference)); // MissText lists it, with its option
        misses.accept(new Miss(live, live, Miss.Reason.WEBSOCKET_MESSAGE, List.of(near), recordedEntries.getAsInt(),
                comparator.options().face().orElse(null), detail.toString()));
        cursor = all.size(); // the connection closes: nothing more is played
        ended = true;
        return new Reply(List.of(), truncate(reason));
    }

    /** How many client messages the script holds before position {@code end}. */
    private int sends(int end) {
        int n = 0;
        for (int i = 0; i < end && i < script.messages().size(); i++) {
            if (script.messages().get(i).client()) {
                n++;
            }
        }
        return n;
    }

    /** Null when the live message matches the recorded one, else how they differ. */
    private Difference difference(int opcode, PreparedRequest live, WebSocketScript.Message recorded) {
        if (opcode != recorded.opcode()) {
            return new Difference(Difference.Aspect.BODY, "message type: live " + kind(opcode) + ", recorded "
                    + kind(recorded.opcode()), null);
        }
        byte[] bytes = live.request().bodyBytes();
        if (Arrays.equals(bytes, recorded.payload())) {
            return null;
        }
        if (opcode == HarWebSocketMessage.BINARY) {
            return new Difference(Difference.Aspect.BODY, "message differs at byte " + Arrays.mismatch(bytes,
                    recorded.payload()) + ": live " + bytes.length + " bytes, recorded " + recorded.payload().length, null);
        }
        Difference d = BodyComparator.compare(live, comparator.prepareRecorded(asRequest(recorded.payload())));
        if (d == null) {
            return null;
        }
        // ignoreJsonPaths applies to messages, ignoreBody does not: only a JSON path is worth suggesting
        Suggestion path = d.suggestion().filter(s -> s.option() == OptionCatalog.IGNORE_JSON_PATHS).orElse(null);
        return new Difference(Difference.Aspect.BODY, d.description().replaceFirst("^body", "message"), path);
    }

    private static String kind(int opcode) {
        return opcode == HarWebSocketMessage.BINARY ? "binary" : "text";
    }

    /** A message as a request whose body is its payload, so bodies' comparison rules (JSON, redactions) apply. */
    private static MatchRequest asRequest(byte[] payload) {
        return MatchRequest.builder().method("WS").scheme("http").host("websocket.message").port(80).path("/")
                .body(payload).build();
    }

    private static double prefixShare(byte[] a, byte[] b) {
        int max = Math.max(a.length, b.length);
        if (max == 0) {
            return 1;
        }
        int common = Arrays.mismatch(a, b);
        return (common < 0 ? max : common) / (double) max;
    }

    private static String preview(int opcode, byte[] payload) {
        if (opcode == HarWebSocketMessage.BINARY) {
            return "binary (" + payload.length + (payload.length == 1 ? " byte)" : " bytes)");
        }
        return "text " + MissText.bodyPreview(payload);
    }

    /** Cuts text to {@value #MAX_REASON_BYTES} bytes of UTF-8, never inside a character, marking the cut. */
    static String truncate(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int used = 3; // the "..." that marks the cut
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > MAX_REASON_BYTES) {
                break;
            }
            out.appendCodePoint(cp);
            used += size;
            i += Character.charCount(cp);
        }
        return out.append("...").toString();
    }
}
