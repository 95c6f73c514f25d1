package dev.harp.har;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration shared by the HAR reader and writer.
 *
 * <p>The reader only uses its streaming parser (trees for extensions are built by
 * {@link LenientValues}); the writer uses its generator, whose codec serializes extension trees.
 * String length limits are lifted because a HAR may embed a body of many megabytes in one string.
 */
final class HarJson {
    /**
     * Deepest nesting accepted (Chrome's {@code _initiator} stacks nest, but a few dozen levels). The streaming
     * parser enforces it without recursion; it also keeps Jackson's recursive tree operations (copy, equality,
     * writing) far from the end of any thread's stack.
     */
    static final int MAX_NESTING = 1_000;

    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE)
                .maxNestingDepth(MAX_NESTING)
                .build());
        MAPPER.getFactory().setStreamWriteConstraints(StreamWriteConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .build());
        MAPPER.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private HarJson() {
    }

    /**
     * The layout Chrome and most tools use: two-space indent, {@code "name": value}, one array
     * element per line, {@code []} and {@code {}} for empty containers, {@code \n} line endings.
     */
    static DefaultPrettyPrinter prettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("")
                .withRootSeparator("");
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }
}
