package dev.harp.har;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * Scalar coercions and small navigation steps over a streaming parser, as lenient as real HAR
 * files need: numbers written as strings, strings written as numbers, {@code "true"} for booleans,
 * {@code null} or a wrong container type where a value was expected. Every method expects the
 * parser on the first token of a value and leaves it on the last token of that value.
 */
final class LenientValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Reads one array element; the parser is on the element's START_OBJECT. */
    interface ElementReader<T> {
        T read() throws IOException;
    }

    /** Strings up to this length are shared between entries: header names and values, methods, versions, ... */
    private static final int SHARED_MAX_LENGTH = 64;
    /** Bound on the distinct strings shared, so a file of unique values cannot grow the table without end. */
    private static final int SHARED_MAX_COUNT = 16_384;

    private final JsonParser p;
    /** One instance per distinct short string read: a HAR repeats the same few hundred in every entry. */
    private final HashMap<String, String> shared = new HashMap<>();

    LenientValues(JsonParser parser) {
        this.p = parser;
    }

    /**
     * Moves to the next member of the current object and onto its value; returns the member's name,
     * or {@code null} at the end of the object.
     */
    String nextMember() throws IOException {
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            return null;
        }
        String name = p.currentName();
        p.nextToken();
        return name;
    }

    boolean isObject() {
        return p.currentToken() == JsonToken.START_OBJECT;
    }

    /** True on an object; otherwise skips the value (array, null or scalar) and returns false. */
    boolean enterObject() throws IOException {
        if (isObject()) {
            return true;
        }
        p.skipChildren();
        return false;
    }

    /** Skips the current value and returns {@code result}. */
    <T> T skip(T result) throws IOException {
        p.skipChildren();
        return result;
    }

    /**
     * The objects of an array, skipping elements that are not objects; {@code null} when the value
     * is not an array at all.
     */
    <T> List<T> list(ElementReader<T> element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<T> out = new ArrayList<>();
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
            if (t == JsonToken.START_OBJECT) {
                out.add(element.read());
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    /** A string; numbers and booleans give their literal text; anything else gives {@code dflt}. */
    String string(String dflt) throws IOException {
        JsonToken t = p.currentToken();
        boolean literal = t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT
                || t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_TRUE
                || t == JsonToken.VALUE_FALSE;
        if (literal) {
            return share(p.getText());
        }
        p.skipChildren();
        return dflt;
    }

    private String share(String s) {
        if (s.length() > SHARED_MAX_LENGTH) {
            return s;
        }
        String known = shared.get(s);
        if (known != null) {
            return known;
        }
        if (shared.size() < SHARED_MAX_COUNT) {
            shared.put(s, s);
        }
        return s;
    }

    /** A finite number, also from a numeric string; {@code null} otherwise. */
    Double optDouble() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (t == JsonToken.VALUE_STRING) {
            return parseDouble(p.getText());
        }
        p.skipChildren();
        return null;
    }

    /**
     * A whole number, also from a numeric string; fractions are rounded; {@code null} when absent,
     * unusable or out of range.
     */
    Long optLong() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return round(p.getDoubleValue());
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException notWhole) {
                Double d = parseDouble(s);
                return d == null ? null : round(d);
            }
        }
        p.skipChildren();
        return null;
    }

    /** A boolean, also from "true"/"false" (any case) or 1/0; {@code null} otherwise. */
    Boolean optBoolean() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim().toLowerCase(Locale.ROOT);
            return s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            long n = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? -1 : p.getLongValue();
            return n == 1 ? Boolean.TRUE : n == 0 ? Boolean.FALSE : null;
        }
        p.skipChildren();
        return null;
    }

    /** Adds the current value as a tree to {@code ext}, creating the map on first use. */
    LinkedHashMap<String, JsonNode> putTree(LinkedHashMap<String, JsonNode> ext, String name)
            throws IOException {
        LinkedHashMap<String, JsonNode> map = ext == null ? new LinkedHashMap<>() : ext;
        map.put(name, tree());
        return map;
    }

    /**
     * The current value as a tree, decimals kept exactly as written. Built with an explicit stack, not by recursion,
     * so nesting as deep as the parser's limit ({@link HarJson}) cannot overflow the thread's stack.
     */
    JsonNode tree() throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return scalar(t);
        }
        JsonNode root = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        ArrayDeque<JsonNode> open = new ArrayDeque<>();
        open.push(root);
        while (!open.isEmpty()) {
            JsonNode container = open.peek();
            String name = null;
            JsonToken next = p.nextToken();
            if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) {
                open.pop();
                continue;
            }
            if (next == JsonToken.FIELD_NAME) {
                name = p.currentName();
                next = p.nextToken();
            }
            JsonNode value = next == JsonToken.START_OBJECT ? NODES.objectNode()
                    : next == JsonToken.START_ARRAY ? NODES.arrayNode() : scalar(next);
            if (container instanceof ObjectNode o) {
                o.set(name, value);
            } else {
                ((ArrayNode) container).add(value);
            }
            if (value.isContainerNode()) {
                open.push(value);
            }
        }
        return root;
    }

    private JsonNode scalar(JsonToken t) throws IOException {
        if (t == null) {
            throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "unexpected end of input");
        }
        switch (t) {
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                // exact decimal with its scale, so -1.0 or 1680134301.120 are written back as read
                return DecimalNode.valueOf(p.getDecimalValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                return NODES.pojoNode(p.getEmbeddedObject());
        }
    }

    /** How a token reads in an error message. */
    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : "'" + t.asString() + "'";
        }
    }

    private static Double parseDouble(String text) {
        String s = text.trim();
        if (s.isEmpty() || !(Character.isDigit(s.charAt(s.length() - 1)) || s.endsWith("."))) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long round(double d) {
        if (!Double.isFinite(d) || Math.abs(d) >= 9.0e18) {
            return null;
        }
        return Math.round(d);
    }
}
