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

    @Test
    void agreesWithTheJdksStrictDecoderOnEveryShortSequenceAndRandomBytes() {
        // every 1- and 2-byte sequence, every 3-byte one with a lead of E0..EF, and 4-byte ones with F0..F4 leads
        for (int a = 0; a < 256; a++) {
            check(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                check(new byte[] {(byte) a, (byte) b});
                check(new byte[] {'x', (byte) a, (byte) b});
            }
        }
        for (int a = 0xE0; a <= 0xEF; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0x70; c < 0xD0; c++) {
                    check(new byte[] {(byte) a, (byte) b, (byte) c});
                }
            }
        }
        for (int a = 0xF0; a <= 0xF7; a++) {
            for (int b = 0x70; b < 0xD0; b++) {
                check(new byte[] {(byte) a, (byte) b, (byte) 0x80, (byte) 0xBF});
                check(new byte[] {(byte) a, (byte) b, (byte) 0x80, (byte) 0xC0});
                check(new byte[] {(byte) a, (byte) b, (byte) 0x7F, (byte) 0x80});
            }
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(15);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(1, 40)];
            for (int k = 0; k < bytes.length; k++) { // mostly text, some high bytes
                bytes[k] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80, 0x100) : random.nextInt(0x20, 0x80));
            }
            check(bytes);
        }
    }

    @Test
    void aLargeBinaryBodyIsNotText() {
        byte[] binary = new byte[64 * 1024];
        new java.util.SplittableRandom(1).nextBytes(binary);
        binary[0] = (byte) 0x89; // as a PNG starts
        assertThat(Utf8Text.decode(binary)).isNull();
    }

    private static void check(byte[] bytes) {
        String strict;
        try {
            strict = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            strict = null;
        }
        assertThat(Utf8Text.decode(bytes)).as(java.util.HexFormat.of().formatHex(bytes)).isEqualTo(strict);
    }
}
