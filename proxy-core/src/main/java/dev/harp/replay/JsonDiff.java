package dev.harp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.har.JsonTrees;
import dev.harp.redaction.Redaction;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * JSON body equality for replay: object member order and whitespace do not matter, numbers compare by value
 * ({@code 1}, {@code 1.0} and {@code 1e0} are equal), array order matters, and a recorded string
 * {@value Redaction#REDACTED} matches any live value. The comparison reports the first difference by path.
 */
final class JsonDiff {

    private static final int MAX_SHOWN = 60;

    /**
     * Where two JSON documents first differ.
     *
     * @param path            e.g. {@code $.items[1].id}
     * @param live            the live value as compact JSON, or {@code (absent)}
     * @param recorded        the recorded value as compact JSON, or {@code (absent)}
     * @param ignorableByPath whether ignoring {@code path} would remove this difference (not so for a missing
     *                        array element: array lengths always count)
     */
    record Found(String path, String live, String recorded, boolean ignorableByPath) {

        String describe() {
            return "body differs at " + path + ": live " + live + ", recorded " + recorded;
        }
    }

    private static final String ABSENT = "(absent)";

    private JsonDiff() {
    }

    /** @return the parsed object or array, or {@code null} when the bytes are not one */
    static JsonNode parseObjectOrArray(byte[] body) {
        int i = 0;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        if (i == body.length || (body[i] != '{' && body[i] != '[')) {
            return null;
        }
        try {
            return JsonTrees.read(body, true, true);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** @return the first difference, or {@code null} when the documents are equal */
    static Found firstDifference(JsonNode live, JsonNode recorded) {
        return diff("$", live, recorded);
    }

    private static Found diff(String path, JsonNode live, JsonNode recorded) {
        if (recorded.isTextual() && Redaction.REDACTED.equals(recorded.textValue())) {
            return null;
        }
        if (live.isNumber() && recorded.isNumber()) {
            return live.decimalValue().compareTo(recorded.decimalValue()) == 0 ? null : found(path, live, recorded);
        }
        if (live.isObject() && recorded.isObject()) {
            return objectDiff(path, live, recorded);
        }
        if (live.isArray() && recorded.isArray()) {
            return arrayDiff(path, live, recorded);
        }
        if (live.isTextual() && recorded.isTextual() && Redacted.matches(recorded.textValue(), live.textValue())) {
            return null;
        }
        return live.equals(recorded) ? null : found(path, live, recorded);
    }

    private static Found objectDiff(String path, JsonNode live, JsonNode recorded) {
        for (Map.Entry<String, JsonNode> member : recorded.properties()) {
            String childPath = JsonPath.child(path, member.getKey());
            JsonNode liveChild = live.get(member.getKey());
            if (liveChild == null) {
                return new Found(childPath, ABSENT, show(member.getValue()), true);
            }
            Found inner = diff(childPath, liveChild, member.getValue());
            if (inner != null) {
                return inner;
            }
        }
        for (Map.Entry<String, JsonNode> member : live.properties()) {
            if (!recorded.has(member.getKey())) {
                return new Found(JsonPath.child(path, member.getKey()), show(member.getValue()), ABSENT, true);
            }
        }
        return null;
    }

    private static Found arrayDiff(String path, JsonNode live, JsonNode recorded) {
        int common = Math.min(live.size(), recorded.size());
        for (int i = 0; i < common; i++) {
            Found inner = diff(JsonPath.element(path, i), live.get(i), recorded.get(i));
            if (inner != null) {
                return inner;
            }
        }
        if (live.size() == recorded.size()) {
            return null;
        }
        String elementPath = JsonPath.element(path, common);
        return live.size() > common
                ? new Found(elementPath, show(live.get(common)), ABSENT, false)
                : new Found(elementPath, ABSENT, show(recorded.get(common)), false);
    }

    private static Found found(String path, JsonNode live, JsonNode recorded) {
        return new Found(path, show(live), show(recorded), true);
    }

    private static String show(JsonNode node) {
        String text;
        try {
            text = JsonTrees.toJson(node);
        } catch (IOException e) {
            text = node.getNodeType().toString();
        }
        return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
    }

    /** Removes the given paths from a parsed body, in place. */
    static void removeAll(JsonNode root, List<JsonPath> paths) {
        for (JsonPath path : paths) {
            path.removeFrom(root);
        }
    }
}
