package dev.harp.har;

import dev.harp.flow.Utf8Text;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The body of a response ({@code response.content}).
 *
 * <p>{@code text} holds the body after HTTP decoding (no gzip or chunking). Binary bodies are
 * base64 with {@code encoding: "base64"}; use {@link #bodyBytes()} to get the bytes either way and
 * {@link #ofBytes(byte[], String)} to store a body.
 *
 * @param size length of the decoded body in bytes ({@code -1} when a file did not say; mitmproxy
 *     writes the wire size here)
 * @param compression optional bytes saved by transfer compression, {@code null} when absent
 * @param mimeType the response's Content-Type including parameters, {@code ""} when unknown
 * @param text optional body, {@code null} when absent (not recorded), {@code ""} when empty
 * @param encoding optional encoding of {@code text}, {@code "base64"} or {@code null}
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. Playwright's {@code _file})
 */
public record HarContent(long size, Long compression, String mimeType, String text,
        String encoding, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("size", "compression", "mimeType", "text",
            "encoding", "comment");

    /** The value of {@code encoding} for base64 bodies. */
    public static final String BASE64 = "base64";

    /** Checks the required member and freezes the extensions. */
    public HarContent {
        Extensions.required(mimeType, "content mimeType");
        extensions = Extensions.freeze(extensions, MEMBERS, "content");
    }

    /**
     * Stores a decoded body: as text when the MIME type is textual (text/*, JSON, XML, JavaScript,
     * urlencoded, {@code +json}, {@code +xml}, ...) and the bytes are valid UTF-8, otherwise as
     * base64 with {@code encoding: "base64"}. Either way {@link #bodyBytes()} gives back exactly
     * {@code body}, and {@code size} is {@code body.length}. An empty body is stored as {@code ""}.
     */
    public static HarContent ofBytes(byte[] body, String mimeType) {
        String type = mimeType == null ? "" : mimeType;
        if (body.length == 0) {
            return new HarContent(0, null, type, "", null, null, null);
        }
        if (MimeTypes.isTextual(type)) {
            String text = Utf8Text.decode(body);
            if (text != null) {
                return new HarContent(body.length, null, type, text, null, null, null);
            }
        }
        return new HarContent(body.length, null, type, Base64.getEncoder().encodeToString(body),
                BASE64, null, null);
    }

    /** Stores a text body as is; {@code size} is its UTF-8 length. */
    public static HarContent ofText(String text, String mimeType) {
        return new HarContent(text.getBytes(StandardCharsets.UTF_8).length, null,
                mimeType == null ? "" : mimeType, text, null, null, null);
    }

    /** Content without a body ({@code text} absent), e.g. for a failed request. */
    public static HarContent none(String mimeType) {
        return new HarContent(0, null, mimeType == null ? "" : mimeType, null, null, null, null);
    }

    /** True when {@code encoding} is base64 (case ignored). */
    public boolean isBase64() {
        return encoding != null && encoding.trim().equalsIgnoreCase(BASE64);
    }

    /**
     * The body bytes: base64-decoded when {@code encoding} is base64 (line breaks and missing
     * padding tolerated), otherwise the UTF-8 bytes of {@code text}; empty when {@code text} is
     * absent. Other encodings are not interpreted and give the UTF-8 bytes of the text.
     *
     * @throws IllegalStateException when the text is marked base64 but is not valid base64
     */
    public byte[] bodyBytes() {
        if (text == null) {
            return new byte[0];
        }
        if (!isBase64()) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        String compact = text.indexOf(' ') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0
                && text.indexOf('\t') < 0 ? text : text.replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(compact);
            } catch (IllegalArgumentException notUrlSafe) {
                IllegalStateException e = new IllegalStateException(
                        "content.text is marked base64 but is not valid base64: "
                                + notStandard.getMessage(), notStandard);
                e.addSuppressed(notUrlSafe);
                throw e;
            }
        }
    }

    /** A copy with another text and encoding; size is left as is. */
    public HarContent withText(String newText, String newEncoding) {
        return new HarContent(size, compression, mimeType, newText, newEncoding, comment,
                extensions);
    }
}
