package dev.harp.flow;

import java.nio.charset.StandardCharsets;

/** Whether a body is text: the recorder stores valid UTF-8 as text, and redaction only rewrites text. */
public final class Utf8Text {
    private Utf8Text() {
    }

    /**
     * The text when the bytes are valid UTF-8, else null. ASCII is taken as it is; anything else is validated first,
     * stopping at the first byte that is not UTF-8 (a binary body, an image or random bytes, is usually known for one
     * after a few bytes), and only valid text is decoded.
     */
    public static String decode(byte[] bytes) {
        int ascii = 0;
        while (ascii < bytes.length && bytes[ascii] >= 0) {
            ascii++;
        }
        if (ascii == bytes.length) {
            return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII: one byte a character, no decoding
        }
        return isValid(bytes, ascii) ? new String(bytes, StandardCharsets.UTF_8) : null;
    }

    /**
     * Whether {@code bytes[from..]} is well-formed UTF-8 as the Unicode standard defines it (its table 3-7): no
     * overlong form, no surrogate, nothing past U+10FFFF, no sequence cut short: what a strict decoder accepts.
     */
    static boolean isValid(byte[] bytes, int from) {
        int i = from;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min = 0x80; // the second byte's range; the third and fourth are always 80..BF
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                if (b == 0xE0) {
                    min = 0xA0; // overlong below
                } else if (b == 0xED) {
                    max = 0x9F; // surrogates above
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                if (b == 0xF0) {
                    min = 0x90; // overlong below
                } else if (b == 0xF4) {
                    max = 0x8F; // past U+10FFFF above
                }
            } else {
                return false; // a continuation byte first, C0, C1, F5..FF
            }
            if (i + length > n) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                int c = bytes[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}
