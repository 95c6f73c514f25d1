package dev.harp.usage;

import dev.harp.flow.HttpHeader;
import dev.harp.record.Redactor;
import dev.harp.replay.MatchRequest;
import dev.harp.replay.NameValue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request as a usage file keeps it for people to read: redacted, with at most {@link #BODY_LIMIT} bytes of a text
 * body. Immutable.
 *
 * @param method        the method
 * @param url           the absolute URL, redacted
 * @param headers       the headers in order, values redacted
 * @param body          the body as text (UTF-8), cut at {@link #BODY_LIMIT} bytes; empty when binary or absent
 * @param bodyLength    the body's full length in bytes
 * @param bodyTruncated whether {@link #body()} holds less than the whole (cut, or binary and not shown)
 */
public record RequestView(String method, String url, List<NameValue> headers, String body, long bodyLength,
                          boolean bodyTruncated) {

    /** Bytes of a body a usage file keeps. */
    public static final int BODY_LIMIT = 16 * 1024;

    /** Checks and copies the parts. */
    public RequestView {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /**
     * @param request  a live or recorded request
     * @param redactor the redaction rules in force (secret headers, parameters and body fields are hidden); rules
     *                 that redact nothing ({@code noRedact}) give way to the defaults: a usage file never keeps a secret
     * @return its view
     */
    public static RequestView of(MatchRequest request, Redactor redactor) {
        if (!redactor.isEnabled()) {
            redactor = Redactor.defaults();
        }
        List<HttpHeader> raw = new ArrayList<>();
        for (NameValue h : request.headers()) {
            raw.add(new HttpHeader(h.name(), h.value()));
        }
        List<NameValue> headers = new ArrayList<>();
        for (HttpHeader h : redactor.headers(raw)) {
            headers.add(NameValue.of(h.name(), Redactor.forLogText(h.value())));
        }
        byte[] body = request.body();
        String contentType = request.header("Content-Type").orElse(null);
        byte[] redacted = body.length == 0 ? body : redactor.body(body, contentType);
        String text = text(redacted);
        boolean truncated = text == null || redacted.length > BODY_LIMIT;
        return new RequestView(request.method(), Redactor.forLog(redactor.url(request.url())), headers,
                text == null ? "" : Redactor.forLogText(text), body.length, truncated && body.length > 0);
    }

    /** @return the first {@link #BODY_LIMIT} bytes as UTF-8 text, or null when they are not text */
    private static String text(byte[] body) {
        int length = Math.min(body.length, BODY_LIMIT);
        // Back off to a character boundary so a cut does not look like binary.
        while (length < body.length && length > 0 && (body[length] & 0xC0) == 0x80) {
            length--;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, 0, length)).toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
