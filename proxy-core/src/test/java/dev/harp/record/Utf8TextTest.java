package dev.harp.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which bodies the recorder stores as text: valid UTF-8 only, whatever path the check takes. */
class Utf8TextTest {
    @Test
    void validUtf8IsText() {
        assertThat(HarEntries.utf8("plain ASCII".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain ASCII");
        assertThat(HarEntries.utf8("Zürich – 東京 😀".getBytes(StandardCharsets.UTF_8))).isEqualTo("Zürich – 東京 😀");
    }

    @Test
    void aReplacementCharacterTheBytesReallyHoldIsStillText() {
        assertThat(HarEntries.utf8("before \uFFFD after".getBytes(StandardCharsets.UTF_8))).isEqualTo("before \uFFFD after");
    }

    @Test
    void malformedUtf8IsNotText() {
        assertThat(HarEntries.utf8(new byte[] {'o', 'k', (byte) 0xC3})).isNull(); // cut in the middle of a character
        assertThat(HarEntries.utf8(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1})).isNull();
        assertThat(HarEntries.utf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isNull(); // a lone surrogate
    }
}
