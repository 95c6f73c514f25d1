package dev.harp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple JSON path naming parts of a body to ignore: {@code $.timestamp}, {@code $.meta.requestId},
 * {@code $.items[*].id}, {@code $.items[0]}, {@code $['odd key']}, {@code $.*}.
 *
 * <p>Removing a path deletes matching object members; matching array elements are replaced by {@code null} so that
 * the indices of the other elements, and the array length, still count. Public for the other tools that take the
 * {@code ignoreJsonPaths} option ({@code harp diff}); immutable.
 */
public final class JsonPath {

    private sealed interface Segment permits Field, AnyChild, Index {
    }

    private record Field(String name) implements Segment {
    }

    private record AnyChild() implements Segment {
    }

    private record Index(int index) implements Segment {
    }

    private final String text;
    private final List<Segment> segments;

    private JsonPath(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * @param text the path, starting with {@code $}
     * @return the parsed path
     * @throws IllegalArgumentException naming the path and the position of the problem
     */
    public static JsonPath parse(String text) {
        String t = text == null ? "" : text.trim();
        if (!t.startsWith("$")) {
            throw bad(text, "it must start with '$'");
        }
        List<Segment> segments = new ArrayList<>();
        int i = 1;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < t.length() && t.charAt(end) != '.' && t.charAt(end) != '[') {
                    end++;
                }
                String name = t.substring(i + 1, end);
                if (name.isEmpty()) {
                    throw bad(text, "empty name at position " + (i + 1));
                }
                segments.add(name.equals("*") ? new AnyChild() : new Field(name));
                i = end;
            } else if (c == '[') {
                int close = t.indexOf(']', i);
                if (close < 0) {
                    throw bad(text, "unclosed '[' at position " + i);
                }
                segments.add(bracket(text, t.substring(i + 1, close).trim()));
                i = close + 1;
            } else {
                throw bad(text, "unexpected '" + c + "' at position " + i);
            }
        }
        if (segments.isEmpty()) {
            throw bad(text, "'$' alone is the whole body; use ignoreBody instead");
        }
        return new JsonPath(t, List.copyOf(segments));
    }

    private static Segment bracket(String text, String inside) {
        if (inside.equals("*")) {
            return new AnyChild();
        }
        if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                || inside.startsWith("\"") && inside.endsWith("\""))) {
            return new Field(inside.substring(1, inside.length() - 1));
        }
        try {
            int index = Integer.parseInt(inside);
            if (index >= 0) {
                return new Index(index);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(text, "'[" + inside + "]' is neither an index, [*] nor a quoted name");
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("invalid JSON path '" + text + "': " + why
                + " (examples: $.timestamp, $.items[*].id, $.meta['request-id'])");
    }

    /** Removes what this path names from {@code root}, in place. */
    public void removeFrom(JsonNode root) {
        remove(root, 0);
    }

    private void remove(JsonNode node, int depth) {
        Segment segment = segments.get(depth);
        boolean last = depth == segments.size() - 1;
        if (node instanceof ObjectNode object) {
            if (segment instanceof Field field) {
                if (last) {
                    object.remove(field.name());
                } else if (object.has(field.name())) {
                    remove(object.get(field.name()), depth + 1);
                }
            } else if (segment instanceof AnyChild) {
                if (last) {
                    object.removeAll();
                } else {
                    object.forEach(child -> remove(child, depth + 1));
                }
            }
        } else if (node instanceof ArrayNode array) {
            if (segment instanceof Index index && index.index() < array.size()) {
                removeElement(array, index.index(), last, depth);
            } else if (segment instanceof AnyChild) {
                for (int i = 0; i < array.size(); i++) {
                    removeElement(array, i, last, depth);
                }
            }
        }
    }

    private void removeElement(ArrayNode array, int index, boolean last, int depth) {
        if (last) {
            array.set(index, NullNode.getInstance());
        } else {
            remove(array.get(index), depth + 1);
        }
    }

    /** The path of member {@code name} below {@code parent}, in the syntax {@link #parse} reads. */
    static String child(String parent, String name) {
        boolean plain = !name.isEmpty() && name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_' || ch == '-');
        return plain ? parent + "." + name : parent + "['" + name + "']";
    }

    /** The path of element {@code index} below {@code parent}. */
    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    @Override
    public String toString() {
        return text;
    }
}
