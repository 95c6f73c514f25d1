package dev.harp.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link DriftReport} as JSON, pretty-printed, members in a fixed order: {@code drift}, {@code summary},
 * counts, {@code requests} (every request with something to report, each with {@code counted}: whether it is drift
 * under the options), {@code onlyInOld}, {@code onlyInNew}, {@code notes}.
 */
final class DriftJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DriftJson() {
    }

    static String write(DriftReport report) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeBooleanField("drift", report.hasDrift());
            g.writeStringField("summary", report.summary());
            g.writeNumberField("files", report.files());
            g.writeNumberField("requests", report.requests());
            g.writeNumberField("breakingChanges", report.breakingChanges());
            g.writeNumberField("valueChanges", report.valueChanges());
            g.writeBooleanField("values", report.values());
            g.writeArrayFieldStart("changedRequests");
            for (RequestDrift r : report.drift()) {
                request(g, r, report.values());
            }
            g.writeEndArray();
            strings(g, "onlyInOld", report.onlyInOld());
            strings(g, "onlyInNew", report.onlyInNew());
            strings(g, "notes", report.notes());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to a string", e);
        }
        return out + "\n";
    }

    private static void request(JsonGenerator g, RequestDrift r, boolean values) throws IOException {
        g.writeStartObject();
        g.writeStringField("file", r.file());
        g.writeStringField("method", r.method());
        g.writeStringField("url", r.url());
        g.writeStringField("presence", r.added() ? "added" : r.removed() ? "removed" : "both");
        if (r.oldEntry() > 0) {
            g.writeNumberField("oldEntry", r.oldEntry());
        }
        if (r.newEntry() > 0) {
            g.writeNumberField("newEntry", r.newEntry());
        }
        g.writeBooleanField("counted", r.isDrift(values));
        g.writeArrayFieldStart("changes");
        for (Change c : r.changes()) {
            g.writeStartObject();
            g.writeStringField("severity", c.severity().name().toLowerCase(Locale.ROOT));
            g.writeStringField("kind", c.kind().name().toLowerCase(Locale.ROOT));
            g.writeStringField("where", c.where());
            g.writeStringField("old", c.before());
            g.writeStringField("new", c.after());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (r.moreChanges() > 0) {
            g.writeNumberField("moreChanges", r.moreChanges());
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
