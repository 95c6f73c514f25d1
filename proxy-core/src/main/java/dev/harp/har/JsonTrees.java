package dev.harp.har;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Jackson trees read and written with the streaming API alone, as an {@code ObjectMapper}'s {@code readTree} and
 * {@code writeValueAsString} do with default settings, without building one: a mapper costs a fresh JVM tens of
 * milliseconds of class loading and setup, and Harp needs trees only for a few JSON bodies (redaction, comparison)
 * and HAR extensions.
 */
public final class JsonTrees {
    /** Default read and write constraints, as a default {@code ObjectMapper} has. */
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /**
     * Parses one JSON value.
     *
     * @param text            the JSON text
     * @param bigDecimals     whether numbers with a fraction or exponent become exact {@code DecimalNode}s (as with
     *                        {@code USE_BIG_DECIMAL_FOR_FLOATS}) instead of doubles
     * @param failOnTrailing  whether anything but white space after the value is an error (as with
     *                        {@code FAIL_ON_TRAILING_TOKENS}); otherwise it is not read
     * @return the value, or {@code null} when the text holds none
     * @throws IOException when the text is not JSON
     */
    public static JsonNode read(String text, boolean bigDecimals, boolean failOnTrailing) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return read(p, bigDecimals, failOnTrailing);
        }
    }

    /** As {@link #read(String, boolean, boolean)}, from UTF-8 (or UTF-16/32, detected) bytes. */
    public static JsonNode read(byte[] json, boolean bigDecimals, boolean failOnTrailing) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return read(p, bigDecimals, failOnTrailing);
        }
    }

    private static JsonNode read(JsonParser p, boolean bigDecimals, boolean failOnTrailing) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return null;
        }
        JsonNode value = value(p, bigDecimals);
        if (failOnTrailing) {
            JsonToken next = p.nextToken();
            if (next != null) {
                throw new JsonParseException(p, "Trailing token (of type " + next + ") found after value");
            }
        }
        return value;
    }

    /** The value the parser is on, containers read iteratively (no recursion however deep the nesting). */
    private static JsonNode value(JsonParser p, boolean bigDecimals) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return scalar(p, t, bigDecimals);
        }
        ArrayDeque<JsonNode> open = new ArrayDeque<>();
        JsonNode root = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        open.push(root);
        while (!open.isEmpty()) {
            JsonNode container = open.peek();
            String name = null;
            t = p.nextToken();
            if (t == JsonToken.FIELD_NAME) {
                name = p.currentName();
                t = p.nextToken();
            }
            if (t == null) {
                throw new JsonParseException(p, "Unexpected end of input in a JSON container");
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                open.pop();
                continue;
            }
            JsonNode child;
            if (t == JsonToken.START_OBJECT) {
                child = NODES.objectNode();
            } else if (t == JsonToken.START_ARRAY) {
                child = NODES.arrayNode();
            } else {
                child = scalar(p, t, bigDecimals);
            }
            if (container instanceof ObjectNode object) {
                object.replace(name, child);
            } else {
                ((ArrayNode) container).add(child);
            }
            if (child.isContainerNode()) {
                open.push(child);
            }
        }
        return root;
    }

    private static JsonNode scalar(JsonParser p, JsonToken t, boolean bigDecimals) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
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
                return bigDecimals ? decimal(p.getDecimalValue()) : NODES.numberNode(p.getDoubleValue());
            case VALUE_EMBEDDED_OBJECT:
                Object embedded = p.getEmbeddedObject();
                return embedded instanceof byte[] bytes ? NODES.binaryNode(bytes) : NODES.pojoNode(embedded);
            default:
                throw new JsonParseException(p, "Unexpected token " + t);
        }
    }

    /** As the mapper's tree reader: trailing zeros stripped where the node factory says so ({@code 1.50} is 1.5). */
    private static JsonNode decimal(BigDecimal value) {
        BigDecimal v = value;
        if (NODES.willStripTrailingBigDecimalZeroes()) {
            try {
                v = v.stripTrailingZeros();
            } catch (ArithmeticException keptAsIs) {
                // a scale past int range: kept as parsed
            }
        }
        return NODES.numberNode(v);
    }

    /** The tree as compact JSON text, as a default {@code ObjectMapper} writes it. */
    public static String toJson(JsonNode tree) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, tree);
        }
        return out.toString();
    }

    /**
     * Writes a tree through a generator (whose pretty printer, if any, lays it out), as a default
     * {@code ObjectMapper} would: every member, nulls and empty arrays included, in the tree's order.
     */
    public static void write(JsonGenerator g, JsonNode node) throws IOException {
        if (!node.isContainerNode()) {
            scalar(g, node);
            return;
        }
        // iteratively, like the reader: an open container and where its iteration stands
        ArrayDeque<Iterator<?>> open = new ArrayDeque<>();
        open.push(start(g, node));
        while (!open.isEmpty()) {
            Iterator<?> it = open.peek();
            if (!it.hasNext()) {
                open.pop();
                if (it instanceof Members) {
                    g.writeEndObject();
                } else {
                    g.writeEndArray();
                }
                continue;
            }
            JsonNode child;
            if (it instanceof Members members) {
                Map.Entry<String, JsonNode> member = members.next();
                g.writeFieldName(member.getKey());
                child = member.getValue();
            } else {
                child = (JsonNode) it.next();
            }
            if (child.isContainerNode()) {
                open.push(start(g, child));
            } else {
                scalar(g, child);
            }
        }
    }

    private static Iterator<?> start(JsonGenerator g, JsonNode container) throws IOException {
        if (container.isObject()) {
            g.writeStartObject(container);
            return new Members(container.fields());
        }
        g.writeStartArray(container, container.size());
        return container.elements();
    }

    private static void scalar(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case NUMBER -> number(g, node);
            case BINARY -> g.writeBinary(((BinaryNode) node).binaryValue());
            default -> {
                Object pojo = node instanceof POJONode p ? p.getPojo() : null;
                if (pojo instanceof RawValue raw) {
                    g.writeRawValue(String.valueOf(raw.rawValue()));
                } else {
                    // a Java object put in a tree by code (no reader here makes one): only a mapper can write it
                    Pojos.MAPPER.writeValue(g, pojo);
                }
            }
        }
    }

    private static void number(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.numberType()) {
            case INT -> g.writeNumber(node.intValue());
            case LONG -> g.writeNumber(node.longValue());
            case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
            case FLOAT -> g.writeNumber(node.floatValue());
            case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
            default -> g.writeNumber(node.doubleValue());
        }
    }

    /** The mapper for POJO nodes, made on first use: no HAR read from a file has one. */
    private static final class Pojos {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .disable(com.fasterxml.jackson.databind.SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    /** An object's members, told apart from an array's elements. */
    private static final class Members implements Iterator<Map.Entry<String, JsonNode>> {
        private final Iterator<Map.Entry<String, JsonNode>> members;

        Members(Iterator<Map.Entry<String, JsonNode>> members) {
            this.members = members;
        }

        @Override
        public boolean hasNext() {
            return members.hasNext();
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
            return members.next();
        }
    }
}
