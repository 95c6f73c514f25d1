package dev.harp.flow;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frame decoder on bytes cut in every possible way, with the frame shapes RFC 6455 allows. */
class WebSocketFramesTest {
    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    @Test
    void decodesMessagesWhateverPiecesTheBytesArriveIn() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, true, 1, "short".getBytes(StandardCharsets.UTF_8), true);
        frame(wire, false, 1, "frag".getBytes(StandardCharsets.UTF_8), true);
        frame(wire, true, 9, new byte[] {1, 2}, true); // a ping between fragments
        frame(wire, true, 0, "ment".getBytes(StandardCharsets.UTF_8), true);
        byte[] medium = new byte[300];
        Arrays.fill(medium, (byte) 7);
        frame(wire, true, 2, medium, true);
        byte[] large = new byte[70_000];
        Arrays.fill(large, (byte) 'x');
        frame(wire, true, 1, large, false); // unmasked, as a server sends
        frame(wire, true, 8, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'}, true);
        byte[] bytes = wire.toByteArray();
        for (int cut : List.of(1, 2, 3, 7, 13, 1000, bytes.length)) {
            WebSocketLog log = new WebSocketLog(1 << 20);
            WebSocketFrames frames = new WebSocketFrames(log, true);
            for (int at = 0; at < bytes.length; at += cut) {
                frames.feed(ByteBuffer.wrap(bytes, at, Math.min(cut, bytes.length - at)));
            }
            assertThat(frames.broken()).isFalse();
            List<WebSocketLog.Message> messages = log.messages();
            assertThat(messages).hasSize(4);
            assertThat(new String(messages.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("short");
            assertThat(new String(messages.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("fragment");
            assertThat(messages.get(2).opcode()).isEqualTo(2);
            assertThat(messages.get(2).data()).isEqualTo(medium);
            assertThat(messages.get(3).data()).isEqualTo(large);
            assertThat(log.sentClose(true)).isTrue();
            log.ended("client", "closed");
            assertThat(log.close()).isEqualTo(new WebSocketLog.Close("client", 1000, "bye", false));
        }
    }

    @Test
    void feedingDoesNotMoveTheBuffer() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, true, 1, "abc".getBytes(StandardCharsets.UTF_8), true);
        ByteBuffer chunk = ByteBuffer.wrap(wire.toByteArray());
        new WebSocketFrames(new WebSocketLog(100), true).feed(chunk);
        assertThat(chunk.position()).isZero();
    }

    @Test
    void stopsKeepingAtTheLimitButKeepsCounting() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, true, 1, "12345".getBytes(StandardCharsets.UTF_8), false);
        frame(wire, true, 1, "1234567".getBytes(StandardCharsets.UTF_8), false);
        frame(wire, true, 1, "1".getBytes(StandardCharsets.UTF_8), false);
        WebSocketLog log = new WebSocketLog(10);
        new WebSocketFrames(log, false).feed(ByteBuffer.wrap(wire.toByteArray()));
        assertThat(log.messages()).hasSize(1);
        assertThat(log.droppedMessages()).isEqualTo(2);
        assertThat(log.droppedBytes()).isEqualTo(8);
    }

    @Test
    void aFrameWithExtensionBitsStopsDecodingOnly() {
        WebSocketLog log = new WebSocketLog(100);
        WebSocketFrames frames = new WebSocketFrames(log, false);
        frames.feed(ByteBuffer.wrap(new byte[] {(byte) 0xc1, 0x01, 'x'})); // RSV1: a compressed message
        assertThat(frames.broken()).isTrue();
        assertThat(log.messages()).isEmpty();
    }

    private static void frame(ByteArrayOutputStream out, boolean fin, int opcode, byte[] payload, boolean masked) {
        out.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >> (8 * i)) & 0xff);
            }
        }
        if (masked) {
            out.write(MASK, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
    }
}
