package dev.harp.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which bodies the recorder stores as text: valid UTF-8 only, whatever path the check takes. */
class Utf8TextTest {
    @Test
    void validUtf8IsText() {
        assertThat(Utf8Text.decode("plain ASCII".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain ASCII");
        assertThat(Utf8Text.decode("Zürich – 東京 😀".getBytes(StandardCharsets.UTF_8))).isEqualTo("Zürich – 東京 😀");
    }

    @Test
    void aReplacementCharacterTheBytesReallyHoldIsStillText() {
        assertThat(Utf8Text.decode("before \uFFFD after".getBytes(StandardCharsets.UTF_8))).isEqualTo("before \uFFFD after");
    }

    @Test
    void malformedUtf8IsNotText() {
        assertThat(Utf8Text.decode(new byte[] {'o', 'k', (byte) 0xC3})).isNull(); // cut in the middle of a character
        assertThat(Utf8Text.decode(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1})).isNull();
        assertThat(Utf8Text.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isNull(); // a lone surrogate
    }
}
