package dev.harp.har;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * The one Jackson configuration shared by the HAR reader and writer.
 *
 * <p>Both use only the streaming API of a plain {@link JsonFactory}: trees for extensions are built by
 * {@link LenientValues} and written by {@link JsonTrees}, so no {@code ObjectMapper} (whose setup costs a fresh JVM
 * tens of milliseconds) is ever built to read or write a HAR.
 * String length limits are lifted because a HAR may embed a body of many megabytes in one string.
 */
final class HarJson {
    /**
     * Deepest nesting accepted (Chrome's {@code _initiator} stacks nest, but a few dozen levels). The streaming
     * parser enforces it without recursion; it also keeps Jackson's recursive tree operations (copy, equality,
     * writing) far from the end of any thread's stack.
     */
    static final int MAX_NESTING = 1_000;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(MAX_NESTING)
                    .build())
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .build())
            .build();

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
        DefaultPrettyPrinter.Indenter indenter = new Indenter();
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    /**
     * {@code \n} and two spaces a level, as Jackson's {@code DefaultIndenter("  ", "\n")} writes them, but handed to
     * the generator as ready UTF-8 bytes: indentation is a third of a recording's output, and the default indenter
     * encodes it character by character.
     */
    private static final class Indenter implements DefaultPrettyPrinter.Indenter, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private static final int CACHED = 32;
        private static final SerializedString[] LEVELS = new SerializedString[CACHED];

        static {
            for (int level = 0; level < CACHED; level++) {
                LEVELS[level] = new SerializedString("\n" + "  ".repeat(level));
            }
        }

        @Override
        public void writeIndentation(JsonGenerator g, int level) throws java.io.IOException {
            if (level < CACHED) {
                g.writeRaw(LEVELS[level]);
            } else {
                g.writeRaw("\n" + "  ".repeat(level));
            }
        }

        @Override
        public boolean isInline() {
            return false;
        }
    }
}
