package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares two JSON trees and lists the differences as readable lines such as
 * {@code log.entries[0].response.redirectURL: null -> ""}. Member order is ignored (JSON objects
 * are unordered); numbers are compared by value, so {@code -1.0} equals {@code -1} but
 * {@code 5.397000045232475} does not equal {@code 5.397}.
 */
final class JsonDiff {
    static final ObjectMapper PLAIN = new ObjectMapper();

    private JsonDiff() {
    }

    /** Reads a file with plain Jackson, skipping a UTF-8 byte-order mark. */
    static JsonNode readTree(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readAllBytes();
            int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF
                    && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
            return PLAIN.readTree(bytes, start, bytes.length - start);
        }
    }

    static JsonNode readTree(String json) throws IOException {
        return PLAIN.readTree(json);
    }

    static List<String> diff(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("", expected, actual, out);
        return out;
    }

    private static void diff(String at, JsonNode a, JsonNode b, List<String> out) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                if (!b.has(e.getKey())) {
                    out.add(path + ": removed");
                } else {
                    diff(path, e.getValue(), b.get(e.getKey()), out);
                }
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!a.has(name)) {
                    out.add((at.isEmpty() ? name : at + "." + name) + ": added " + b.get(name));
                }
            }
        } else if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                out.add(at + ": " + a.size() + " elements -> " + b.size());
                return;
            }
            for (int i = 0; i < a.size(); i++) {
                diff(at + "[" + i + "]", a.get(i), b.get(i), out);
            }
        } else if (a.isNumber() && b.isNumber()) {
            boolean same = a.isIntegralNumber() && b.isIntegralNumber()
                    ? a.bigIntegerValue().equals(b.bigIntegerValue())
                    : a.doubleValue() == b.doubleValue();
            if (!same) {
                out.add(at + ": " + a + " -> " + b);
            }
        } else if (!a.equals(b)) {
            out.add(at + ": " + abbreviate(a) + " -> " + abbreviate(b));
        }
    }

    /** A copy of a HAR tree whose entries are stably sorted by start time, as HarWriter does. */
    static JsonNode withEntriesSortedByStart(JsonNode har) {
        ObjectNode copy = har.deepCopy();
        var entries = (com.fasterxml.jackson.databind.node.ArrayNode) copy.path("log")
                .path("entries");
        List<JsonNode> list = new ArrayList<>();
        entries.forEach(list::add);
        list.sort(java.util.Comparator.comparing(e -> java.time.OffsetDateTime
                .parse(e.path("startedDateTime").asText()).toInstant()));
        entries.removeAll();
        list.forEach(entries::add);
        return copy;
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
