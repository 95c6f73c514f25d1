package dev.harp.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.drift.Change.Kind;
import dev.harp.drift.Change.Severity;
import dev.harp.redaction.Redaction;
import dev.harp.replay.JsonPath;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares two JSON documents by structure and value: object members by name (order does not count), arrays element
 * by element, numbers by value ({@code 1} equals {@code 1.0}). Members added or removed and types changed are
 * {@link Severity#BREAKING}; scalar values and array lengths that changed are {@link Severity#CHANGED}; a
 * {@value Redaction#REDACTED} value on either side and, unless asked, two moments ({@link Timestamps}) are not
 * compared; {@code null} against a value is a value change, not a type change. Paths in the syntax of
 * {@code ignoreJsonPaths}: {@code $.items[0].price}, {@code $['odd key']}.
 */
final class JsonDrift {
    private static final int SHOWN = 60;

    private final DriftOptions options;
    private final Changes out;

    private JsonDrift(DriftOptions options, Changes out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Adds the differences between {@code before} and {@code after} to {@code out}. The trees are not modified.
     */
    static void compare(JsonNode before, JsonNode after, DriftOptions options, Changes out) {
        JsonNode b = before;
        JsonNode a = after;
        List<JsonPath> ignored = options.parsedJsonPaths();
        if (!ignored.isEmpty()) {
            b = before.deepCopy();
            a = after.deepCopy();
            for (JsonPath path : ignored) {
                path.removeFrom(b);
                path.removeFrom(a);
            }
        }
        new JsonDrift(options, out).walk("$", null, b, a);
    }

    private void walk(String path, String name, JsonNode before, JsonNode after) {
        if (out.full()) {
            out.overflow();
            return;
        }
        String typeBefore = type(before);
        String typeAfter = type(after);
        if (!typeBefore.equals(typeAfter)) {
            if (redacted(before) || redacted(after)) {
                return;
            }
            boolean nullOnOneSide = before.isNull() || after.isNull();
            out.add(new Change(nullOnOneSide ? Severity.CHANGED : Severity.BREAKING, Kind.TYPE_CHANGED, path,
                    typed(before), typed(after)));
            return;
        }
        if (before.isObject()) {
            objects(path, before, after);
        } else if (before.isArray()) {
            int common = Math.min(before.size(), after.size());
            for (int i = 0; i < common; i++) {
                walk(path + "[" + i + "]", name, before.get(i), after.get(i));
            }
            if (before.size() != after.size()) {
                out.add(new Change(Severity.CHANGED, Kind.LENGTH_CHANGED, path,
                        elements(before.size()), elements(after.size())));
            }
        } else if (!sameScalar(before, after) && !redacted(before) && !redacted(after)
                && (options.timestamps() || !(Timestamps.isMoment(name, before) && Timestamps.isMoment(name, after)))) {
            out.add(new Change(Severity.CHANGED, Kind.VALUE_CHANGED, path, shown(before), shown(after)));
        }
    }

    private void objects(String path, JsonNode before, JsonNode after) {
        for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String child = child(path, member.getKey());
            JsonNode other = after.get(member.getKey());
            if (other == null) {
                out.add(new Change(Severity.BREAKING, Kind.MEMBER_REMOVED, child,
                        typed(member.getValue()), Change.ABSENT));
            } else {
                walk(child, member.getKey(), member.getValue(), other);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (!before.has(member.getKey())) {
                out.add(new Change(Severity.BREAKING, Kind.MEMBER_ADDED, child(path, member.getKey()), Change.ABSENT,
                        typed(member.getValue())));
            }
        }
    }

    /** {@code $.name}, or {@code $['odd key']} for a name that is not a plain word, as {@code ignoreJsonPaths} reads it. */
    static String child(String parent, String name) {
        boolean plain = !name.isEmpty() && name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '-');
        return plain ? parent + "." + name : parent + "['" + name.replace("'", "\\'") + "']";
    }

    private static String elements(int n) {
        return n == 1 ? "1 element" : n + " elements";
    }

    private static boolean sameScalar(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean redacted(JsonNode node) {
        return node.isTextual() && node.asText().contains(Redaction.REDACTED);
    }

    /** {@code object}, {@code array}, {@code string}, {@code number}, {@code boolean} or {@code null}. */
    static String type(JsonNode node) {
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        return node.isNull() ? "null" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code number 12.5}, {@code string "x"}, {@code object {2 members}}, {@code null}. */
    static String typed(JsonNode node) {
        return node.isNull() ? "null" : type(node) + " " + shown(node);
    }

    /** A value for a line of the report: scalars as JSON, containers by size; shortened, secret shapes hidden. */
    static String shown(JsonNode node) {
        String text;
        if (node.isObject()) {
            text = node.size() == 0 ? "{}" : "{" + node.size() + (node.size() == 1 ? " member}" : " members}");
        } else if (node.isArray()) {
            text = node.size() == 0 ? "[]" : "[" + elements(node.size()) + "]";
        } else if (node.isNull()) {
            return "null";
        } else {
            text = node.toString();
        }
        return Changes.shorten(Redaction.forLogText(text), SHOWN);
    }
}
