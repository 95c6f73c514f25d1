package dev.harp.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.drift.Change.Kind;
import dev.harp.drift.Change.Severity;
import dev.harp.flow.HttpHeader;
import dev.harp.har.JsonTrees;
import dev.harp.redaction.Redaction;
import dev.harp.replay.ReplayResponse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the responses recorded for one request: status, the headers that matter ({@link VolatileHeaders} are
 * left out), and the body: as JSON when both sides parse as JSON, else as text when both are UTF-8 text, else by
 * SHA-256.
 */
final class ResponseDrift {
    private static final int SHOWN = 80;
    private static final int EXCERPT = 30;

    private ResponseDrift() {
    }

    static Changes compare(ReplayResponse before, ReplayResponse after, DriftOptions options) {
        Changes out = new Changes();
        if (before.status() != after.status()) {
            out.add(new Change(Severity.BREAKING, Kind.STATUS, "status", Integer.toString(before.status()),
                    Integer.toString(after.status())));
        }
        headers(before.headers(), after.headers(), options, out);
        body(bytes(before.bodyView()), bytes(after.bodyView()), options, out);
        return out;
    }

    private static void headers(List<HttpHeader> before, List<HttpHeader> after, DriftOptions options, Changes out) {
        Map<String, String> b = compared(before, options);
        Map<String, String> a = compared(after, options);
        Set<String> names = new TreeSet<>(b.keySet());
        names.addAll(a.keySet());
        for (String name : names) {
            String was = b.get(name);
            String now = a.get(name);
            String where = "header " + displayName(name, before, after);
            if (was == null) {
                out.add(new Change(Severity.BREAKING, Kind.HEADER_ADDED, where, Change.ABSENT, shown(now)));
            } else if (now == null) {
                out.add(new Change(Severity.BREAKING, Kind.HEADER_REMOVED, where, shown(was), Change.ABSENT));
            } else if (!was.equals(now) && !was.contains(Redaction.REDACTED) && !now.contains(Redaction.REDACTED)) {
                boolean breaking = name.equals("location") || name.equals("set-cookie") // cookie names only
                        || name.equals("content-type") && !mediaType(was).equals(mediaType(now));
                out.add(new Change(breaking ? Severity.BREAKING : Severity.CHANGED, Kind.HEADER_CHANGED, where,
                        shown(was), shown(now)));
            }
        }
    }

    /** The compared headers by lower-case name, repeated ones joined; {@code Set-Cookie} by cookie names only. */
    private static Map<String, String> compared(List<HttpHeader> headers, DriftOptions options) {
        Map<String, String> out = new TreeMap<>();
        for (HttpHeader h : headers) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (VolatileHeaders.isVolatile(name) || options.ignoreHeaders().contains(name)) {
                continue;
            }
            String value = name.equals("set-cookie") ? cookieName(h.value()) : h.value().strip();
            out.merge(name, value, (x, y) -> x + ", " + y);
        }
        out.computeIfPresent("set-cookie", (k, v) -> String.join(", ", new TreeSet<>(List.of(v.split(", ")))));
        return out;
    }

    private static String cookieName(String setCookie) {
        int eq = setCookie.indexOf('=');
        return (eq < 0 ? setCookie : setCookie.substring(0, eq)).strip() + "=...";
    }

    private static String displayName(String lower, List<HttpHeader> before, List<HttpHeader> after) {
        for (List<HttpHeader> side : List.of(after, before)) {
            for (HttpHeader h : side) {
                if (h.is(lower)) {
                    return h.name();
                }
            }
        }
        return lower;
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static void body(byte[] before, byte[] after, DriftOptions options, Changes out) {
        if (before.length == 0 && after.length == 0) {
            return;
        }
        JsonNode b = json(before);
        JsonNode a = json(after);
        if (b != null && a != null) {
            JsonDrift.compare(b, a, options, out);
            return;
        }
        if (b != null || a != null) {
            out.add(new Change(Severity.BREAKING, Kind.BODY_CHANGED, "body", kind(before, b), kind(after, a)));
            return;
        }
        if (java.util.Arrays.equals(before, after)) {
            return;
        }
        String textBefore = text(before);
        String textAfter = text(after);
        if (textBefore != null && textAfter != null) {
            int at = firstDifference(textBefore, textAfter);
            out.add(new Change(Severity.CHANGED, Kind.BODY_CHANGED, "body (text, " + lineAndColumn(textBefore, at) + ")",
                    excerpt(textBefore, at), excerpt(textAfter, at)));
        } else {
            out.add(new Change(Severity.CHANGED, Kind.BODY_CHANGED, "body (bytes)", digest(before), digest(after)));
        }
    }

    /** The body as a JSON document, or null when it is none (empty bodies and bare scalars count as none). */
    private static JsonNode json(byte[] body) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i == body.length || body[i] != '{' && body[i] != '[') {
            return null;
        }
        try {
            return JsonTrees.read(body, true, true);
        } catch (IOException | RuntimeException notJson) { // not JSON, or deeper than the parser's bound
            return null;
        }
    }

    private static String kind(byte[] body, JsonNode json) {
        if (json != null) {
            return "JSON " + JsonDrift.type(json);
        }
        if (body.length == 0) {
            return "empty";
        }
        return text(body) != null ? "text (" + body.length + " bytes)" : "bytes (" + body.length + ")";
    }

    private static String text(byte[] body) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            String s = chars.toString();
            return s.indexOf('\0') >= 0 ? null : s;
        } catch (CharacterCodingException binary) {
            return null;
        }
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    private static String lineAndColumn(String text, int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (at - lineStart + 1);
    }

    /** Up to {@value #EXCERPT} characters from {@code at}, quoted; secret shapes hidden. */
    private static String excerpt(String text, int at) {
        if (at >= text.length()) {
            return "(end)";
        }
        int end = Math.min(text.length(), at + EXCERPT);
        String cut = text.substring(at, end) + (end < text.length() ? "..." : "");
        return "\"" + Changes.shorten(Redaction.forLogText(cut), EXCERPT + 3) + "\"";
    }

    private static String digest(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return body.length + " bytes, sha256 " + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String shown(String headerValue) {
        return Changes.shorten(Redaction.forLogText(headerValue), SHOWN);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
