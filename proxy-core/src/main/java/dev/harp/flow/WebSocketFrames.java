package dev.harp.flow;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the frames of one direction of a relayed WebSocket connection (RFC 6455 section 5) into the messages of a
 * {@link WebSocketLog}, from the bytes as they pass through, in whatever pieces they arrive. The bytes themselves are
 * relayed untouched; this only watches.
 *
 * <p>Bounded: a frame head is at most 14 bytes, a message's payload is kept only while the log has room for it (its
 * bytes are counted, not kept, past that), a close frame's payload at most 125 bytes. Ping and pong frames are
 * skipped, fragments are joined (control frames may come between them). A frame this reader cannot make sense of
 * (reserved opcode, extension bits, unexpected continuation) stops the decoding of this direction; the relay goes on.
 */
public final class WebSocketFrames {
    private static final int CONTINUATION = 0;
    private static final int CLOSE = 8;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final WebSocketLog log;
    private final boolean fromClient;
    private final byte[] head = new byte[14];
    private int headLength;
    private boolean inPayload;
    private boolean fin;
    private int opcode;
    private boolean masked;
    private final byte[] mask = new byte[4];
    private long remaining;
    private long position;
    /** The message being assembled: its opcode (0 when none), its kept bytes, its size. */
    private int messageOpcode;
    private ByteArrayOutputStream message;
    private long messageSize;
    private ByteArrayOutputStream control;
    private boolean broken;

    /** @param fromClient whether this direction carries the client's frames (masked) or the server's */
    public WebSocketFrames(WebSocketLog log, boolean fromClient) {
        this.log = log;
        this.fromClient = fromClient;
    }

    /** Looks at the bytes between the buffer's position and limit, without moving them. */
    public void feed(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate();
        while (in.hasRemaining() && !broken) {
            if (inPayload) {
                payload(in);
            } else {
                head(in);
            }
        }
    }

    /** Whether decoding stopped on a frame it could not understand. */
    public boolean broken() {
        return broken;
    }

    private void head(ByteBuffer in) {
        head[headLength++] = in.get();
        if (headLength < 2) {
            return;
        }
        int length7 = head[1] & 0x7f;
        boolean hasMask = (head[1] & 0x80) != 0;
        int needed = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (hasMask ? 4 : 0);
        if (headLength < needed) {
            return;
        }
        fin = (head[0] & 0x80) != 0;
        opcode = head[0] & 0x0f;
        masked = hasMask;
        if ((head[0] & 0x70) != 0) {
            broken = true; // an extension's bits: Harp removed the extension offers, so this is not plain WebSocket
            return;
        }
        int at = 2;
        if (length7 == 126) {
            remaining = ((head[2] & 0xffL) << 8) | (head[3] & 0xffL);
            at = 4;
        } else if (length7 == 127) {
            remaining = 0;
            for (int i = 2; i < 10; i++) {
                remaining = (remaining << 8) | (head[i] & 0xffL);
            }
            at = 10;
        } else {
            remaining = length7;
        }
        if (masked) {
            System.arraycopy(head, at, mask, 0, 4);
        }
        headLength = 0;
        position = 0;
        if (!frameStarts()) {
            broken = true;
            return;
        }
        inPayload = true;
        if (remaining == 0) {
            frameEnds();
        }
    }

    /** Checks the frame against the message in progress; false when it makes no sense. */
    private boolean frameStarts() {
        if (opcode >= CLOSE) {
            if (opcode > 10 || !fin || remaining > MAX_CONTROL_PAYLOAD || remaining < 0) {
                return false;
            }
            control = opcode == CLOSE ? new ByteArrayOutputStream((int) remaining) : null;
            return true;
        }
        if (opcode == CONTINUATION) {
            return messageOpcode != 0;
        }
        if (opcode != WebSocketLog.TEXT && opcode != WebSocketLog.BINARY || messageOpcode != 0) {
            return false;
        }
        messageOpcode = opcode;
        messageSize = 0;
        message = new ByteArrayOutputStream();
        return true;
    }

    private void payload(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        byte[] chunk = new byte[n];
        in.get(chunk);
        if (masked) {
            for (int i = 0; i < n; i++) {
                chunk[i] ^= mask[(int) ((position + i) & 3)];
            }
        }
        position += n;
        remaining -= n;
        if (opcode >= CLOSE) {
            if (control != null) {
                control.write(chunk, 0, n);
            }
        } else {
            messageSize += n;
            if (message != null && log.room(messageSize)) {
                message.write(chunk, 0, n);
            } else {
                message = null; // too big to keep: counted only
            }
        }
        if (remaining == 0) {
            frameEnds();
        }
    }

    private void frameEnds() {
        inPayload = false;
        if (opcode >= CLOSE) {
            if (opcode == CLOSE) {
                closeFrame(control.toByteArray());
            }
            control = null;
            return;
        }
        if (!fin) {
            return;
        }
        if (message != null) {
            log.message(fromClient, messageOpcode, message.toByteArray());
        } else {
            log.dropped(messageSize);
        }
        message = null;
        messageOpcode = 0;
    }

    private void closeFrame(byte[] payload) {
        Integer code = null;
        String reason = "";
        if (payload.length >= 2) {
            code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
        log.closeFrame(fromClient, code, reason);
    }
}
