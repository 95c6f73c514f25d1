package dev.harp.flow;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Whether a body is text: the recorder stores valid UTF-8 as text, and redaction only rewrites text. */
public final class Utf8Text {
    private Utf8Text() {
    }

    /** The text when the bytes are valid UTF-8, else null. */
    public static String decode(byte[] bytes) {
        // fast path: the JDK's intrinsic decoder replaces malformed input with U+FFFD, so text without one was valid
        String lenient = new String(bytes, StandardCharsets.UTF_8);
        if (lenient.indexOf('\uFFFD') < 0) {
            return lenient;
        }
        try { // a U+FFFD that the bytes really hold is valid; only the strict decoder can tell
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
