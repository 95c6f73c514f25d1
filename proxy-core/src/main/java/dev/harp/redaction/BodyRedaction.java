package dev.harp.redaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.harp.flow.Utf8Text;
import dev.harp.har.JsonTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body rules of a {@link Redaction}: JSON (whatever the media type says, when the text parses as JSON), form
 * fields, multipart fields, and secret shapes in any other text. Bodies are bounded by the capture limit before they
 * get here; JSON nesting by Jackson's own depth limit; multipart nesting by {@link #MAX_NESTING}.
 */
final class BodyRedaction {
    private static final int MAX_NESTING = 4;

    private final Redaction redactor;

    BodyRedaction(Redaction redactor) {
        this.redactor = redactor;
    }

    byte[] redact(byte[] body, String contentType, String where, Redaction.Sink sink, int nesting) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
        if (type.startsWith("multipart/") && nesting < MAX_NESTING) {
            String boundary = boundary(contentType);
            if (boundary != null) {
                return multipart(body, boundary, where, sink, nesting);
            }
        }
        String text = Utf8Text.decode(body);
        if (text == null) {
            return body; // binary
        }
        String redacted;
        if (type.startsWith("application/x-www-form-urlencoded")) {
            redacted = redactor.form(text, where, sink);
        } else if (startsLikeJson(text)) {
            redacted = json(text, where, sink);
        } else {
            redacted = redactor.shapes(text, where, null, sink);
        }
        return redacted.equals(text) ? body : redacted.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\uFEFF') {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    /** JSON text redacted, or (when it does not parse) its string members by name and its secret shapes. */
    private String json(String text, String where, Redaction.Sink sink) {
        JsonNode tree;
        try {
            tree = JsonTrees.read(text, false, false);
        } catch (IOException | RuntimeException notJson) {
            return redactor.shapes(unparsedMembers(text, where, sink), where, null, sink);
        }
        if (tree == null || !walk(tree, where, sink)) {
            return text;
        }
        try {
            return JsonTrees.toJson(tree);
        } catch (IOException | RuntimeException e) {
            return redactor.shapes(text, where, null, sink);
        }
    }

    /**
     * String members ({@code "name": "value"}) of JSON that does not parse (cut off, too deep), redacted by name in
     * one linear pass over the text.
     */
    private String unparsedMembers(String text, String where, Redaction.Sink sink) {
        StringBuilder sb = null;
        int last = 0;
        int at = text.indexOf('"');
        while (at >= 0) {
            int nameEnd = stringEnd(text, at);
            if (nameEnd < 0) {
                break;
            }
            int colon = skipSpace(text, nameEnd + 1);
            if (colon >= text.length() || text.charAt(colon) != ':') {
                at = text.indexOf('"', nameEnd + 1);
                continue;
            }
            int valueStart = skipSpace(text, colon + 1);
            if (valueStart >= text.length() || text.charAt(valueStart) != '"') {
                at = text.indexOf('"', valueStart);
                continue;
            }
            int valueEnd = stringEnd(text, valueStart);
            if (valueEnd < 0) {
                break;
            }
            String name = text.substring(at + 1, nameEnd);
            String value = text.substring(valueStart + 1, valueEnd);
            if (name.length() <= 200 && redactor.isSecretName(name) && !value.equals(Redaction.REDACTED)) {
                sink.found(where + " " + name, Redaction.RULE_NAME, name);
                if (sb == null) {
                    sb = new StringBuilder(text.length());
                }
                sb.append(text, last, valueStart + 1).append(Redaction.REDACTED);
                last = valueEnd;
            }
            at = text.indexOf('"', valueEnd + 1);
        }
        return sb == null ? text : sb.append(text, last, text.length()).toString();
    }

    /** The index of the quote closing the JSON string opened at {@code open}, or -1. */
    private static int stringEnd(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Walks the tree without recursion; returns whether anything changed. */
    private boolean walk(JsonNode root, String where, Redaction.Sink sink) {
        boolean changed = false;
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {root, "$"});
        while (!todo.isEmpty()) {
            Object[] item = todo.pop();
            JsonNode node = (JsonNode) item[0];
            String path = (String) item[1];
            if (node instanceof ObjectNode obj) {
                changed |= redactKeys(obj, where + " " + path, sink);
                List<Map.Entry<String, JsonNode>> replace = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : obj.properties()) {
                    String name = e.getKey();
                    JsonNode value = e.getValue();
                    String at = path + "." + name;
                    if (redactor.isKept(name) || value.isNull() || value.isBoolean()) {
                        continue;
                    }
                    if (redactor.isSecretName(name)) {
                        if (!(value.isTextual() && Redaction.REDACTED.equals(value.textValue()))) {
                            sink.found(where + " " + at, Redaction.RULE_NAME, name);
                            replace.add(Map.entry(name, TextNode.valueOf(Redaction.REDACTED)));
                        }
                    } else if (value.isTextual()) {
                        String v = redactor.value(value.textValue(), where + " " + at, name, sink);
                        if (!v.equals(value.textValue())) {
                            replace.add(Map.entry(name, TextNode.valueOf(v)));
                        }
                    } else if (value.isContainerNode()) {
                        todo.push(new Object[] {value, at});
                    }
                }
                for (Map.Entry<String, JsonNode> r : replace) {
                    obj.set(r.getKey(), r.getValue());
                    changed = true;
                }
            } else if (node instanceof ArrayNode arr) {
                for (int i = 0; i < arr.size(); i++) {
                    JsonNode value = arr.get(i);
                    String at = path + "[" + i + "]";
                    if (value.isTextual()) {
                        String v = redactor.value(value.textValue(), where + " " + at, null, sink);
                        if (!v.equals(value.textValue())) {
                            arr.set(i, TextNode.valueOf(v));
                            changed = true;
                        }
                    } else if (value.isContainerNode()) {
                        todo.push(new Object[] {value, at});
                    }
                }
            }
        }
        return changed;
    }

    /**
     * Member names that hold a secret shape (a map keyed by tokens) get it replaced, keeping the member order; a
     * name that would collide gets a number. Returns whether any name changed.
     */
    private boolean redactKeys(ObjectNode obj, String where, Redaction.Sink sink) {
        List<String> names = new ArrayList<>();
        obj.fieldNames().forEachRemaining(names::add);
        boolean any = false;
        List<String> renamed = new ArrayList<>(names.size());
        for (String name : names) {
            String safe = name.length() < 16 ? name : redactor.shapes(name, where + " (member name)", null, sink);
            any |= !safe.equals(name);
            renamed.add(safe);
        }
        if (!any) {
            return false;
        }
        List<JsonNode> values = new ArrayList<>(names.size());
        for (String name : names) {
            values.add(obj.get(name));
        }
        obj.removeAll();
        for (int i = 0; i < names.size(); i++) {
            String key = renamed.get(i);
            for (int n = 2; obj.has(key); n++) {
                key = renamed.get(i) + "-" + n;
            }
            obj.set(key, values.get(i));
        }
        return true;
    }

    /**
     * Rewrites the parts of a multipart body: a field with a secret name gets {@value Redaction#REDACTED} as its
     * body; other parts are redacted by their own type. Everything else (boundaries, part headers, preamble) stays
     * byte for byte. Works on ISO-8859-1 text, where one char is one byte.
     */
    private byte[] multipart(byte[] body, String boundary, String where, Redaction.Sink sink, int nesting) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        int at = s.indexOf(delimiter);
        if (at < 0) {
            return body;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, at);
        boolean changed = false;
        int index = 0;
        while (true) {
            int contentStart = at + delimiter.length();
            int next = s.startsWith("--", contentStart) ? -1 : s.indexOf(delimiter, contentStart);
            if (next < 0) {
                out.append(s, at, s.length());
                break;
            }
            String segment = s.substring(contentStart, next);
            String redacted = part(segment, where + " part " + (++index), sink, nesting);
            changed |= !redacted.equals(segment);
            out.append(delimiter).append(redacted);
            at = next;
        }
        return changed ? out.toString().getBytes(StandardCharsets.ISO_8859_1) : body;
    }

    /** One part between two delimiters: line end, headers, blank line, body, line end. */
    private String part(String segment, String where, Redaction.Sink sink, int nesting) {
        int headersEnd = segment.indexOf("\r\n\r\n");
        int bodyStart = headersEnd + 4;
        if (headersEnd < 0) {
            headersEnd = segment.indexOf("\n\n");
            bodyStart = headersEnd + 2;
        }
        if (headersEnd < 0) {
            return segment;
        }
        int bodyEnd = segment.endsWith("\r\n") ? segment.length() - 2 : segment.endsWith("\n") ? segment.length() - 1
                : segment.length();
        bodyEnd = Math.max(bodyStart, bodyEnd);
        String headers = segment.substring(0, headersEnd);
        String disposition = "";
        String type = null;
        for (String line : headers.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String n = line.substring(0, colon).trim();
                if (n.equalsIgnoreCase("Content-Disposition")) {
                    disposition = line.substring(colon + 1).trim();
                } else if (n.equalsIgnoreCase("Content-Type")) {
                    type = line.substring(colon + 1).trim();
                }
            }
        }
        String name = parameter(disposition, "name");
        boolean file = parameter(disposition, "filename") != null;
        String original = segment.substring(bodyStart, bodyEnd);
        String redacted;
        String at = where + (name == null ? "" : " " + name);
        if (name != null && redactor.isKept(name)) {
            return segment;
        }
        if (name != null && !file && redactor.isSecretParam(name)) {
            if (original.equals(Redaction.REDACTED)) {
                return segment;
            }
            sink.found(at, Redaction.RULE_NAME, name);
            redacted = Redaction.REDACTED;
        } else if (type == null && !file) {
            String text = Utf8Text.decode(original.getBytes(StandardCharsets.ISO_8859_1));
            String v = text == null ? null : redactor.value(text, at, name, sink);
            redacted = v == null || v.equals(text) ? original
                    : new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        } else {
            byte[] bytes = original.getBytes(StandardCharsets.ISO_8859_1);
            byte[] r = redact(bytes, type, at, sink, nesting + 1);
            redacted = r == bytes ? original : new String(r, StandardCharsets.ISO_8859_1);
        }
        return segment.substring(0, bodyStart) + redacted + segment.substring(bodyEnd);
    }

    /** A {@code name="value"} (or unquoted) parameter of a header value, or null. */
    private static String parameter(String header, String wanted) {
        for (String p : header.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(wanted)) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    private static String boundary(String contentType) {
        String b = parameter(contentType, "boundary");
        return b == null || b.isEmpty() || b.length() > 200 ? null : b;
    }
}
