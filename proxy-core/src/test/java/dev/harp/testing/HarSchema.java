package dev.harp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Validates HAR documents against {@code har/har-1.2.schema.json}, a strict JSON Schema of HAR 1.2 written for the
 * project from the specification (its {@code $comment}s cite the sections). Independent of Harp's model: it sees
 * only the JSON text.
 */
public final class HarSchema {
    private static final Schema SCHEMA = load();

    private HarSchema() {
    }

    private static Schema load() {
        try (InputStream in = HarSchema.class.getResourceAsStream("/har/har-1.2.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("har/har-1.2.schema.json is not on the test class path");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every violation, one line each: where in the document, and what is wrong ({@code keyword: message}). */
    public static List<String> violations(String json) {
        return SCHEMA.validate(json, InputFormat.JSON).stream().map(HarSchema::line).sorted().toList();
    }

    /** Fails listing every violation when {@code json} is not a strict HAR 1.2 document. */
    public static void assertValid(String json) {
        assertThat(violations(json)).as("HAR 1.2 schema violations").isEmpty();
    }

    private static String line(Error e) {
        return e.getInstanceLocation() + " " + e.getKeyword() + ": " + e.getMessage();
    }
}
