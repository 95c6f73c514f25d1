package dev.harp.flow;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** A capture told the length to expect keeps exactly what came, whether more, fewer or as many bytes arrive. */
class BodyCaptureTest {
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] capture(long expected, byte[] body, int threshold, long limit) throws Exception {
        try (BodyCapture c = new BodyCapture(threshold, limit)) {
            c.expect(expected);
            for (int off = 0; off < body.length; off += 1000) { // in chunks, as the proxy tees them
                c.write(body, off, Math.min(1000, body.length - off));
            }
            CapturedBody captured = c.finish();
            assertThat(captured.size()).isEqualTo(body.length);
            return captured.bytes();
        }
    }

    @Test
    void keepsWhatCameWhateverWasExpected() throws Exception {
        byte[] body = bytes(64 * 1024);
        assertThat(capture(body.length, body, 1 << 20, Long.MAX_VALUE)).isEqualTo(body);
        assertThat(capture(1_000, body, 1 << 20, Long.MAX_VALUE)).isEqualTo(body); // more than said
        assertThat(capture(1 << 30, body, 1 << 20, Long.MAX_VALUE)).isEqualTo(body); // fewer than said
        assertThat(capture(-1, body, 1 << 20, Long.MAX_VALUE)).isEqualTo(body); // unknown
    }

    @Test
    void spillsPastTheThresholdAndStopsAtTheLimitAsBefore() throws Exception {
        byte[] body = bytes(10_000);
        assertThat(capture(body.length, body, 4_096, Long.MAX_VALUE)).isEqualTo(body); // spilled to a file
        try (BodyCapture c = new BodyCapture(1 << 20, 5_000)) {
            c.expect(body.length);
            c.write(body, 0, body.length);
            CapturedBody captured = c.finish();
            assertThat(captured.truncated()).isTrue();
            assertThat(captured.bytes()).isEqualTo(Arrays.copyOf(body, 5_000));
        }
    }
}
