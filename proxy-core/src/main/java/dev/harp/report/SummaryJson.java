package dev.harp.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.harp.usage.BuildUsage;
import dev.harp.usage.FixtureState;
import dev.harp.usage.FixtureUse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * Renders {@code summary.json}: the report's data for machines (CI dashboards, scripts), uncut.
 *
 * <pre>{@code
 * {"harpReport": 1, "generated": "...", "usageFolder": "...", "selection": "", "complete": true, "problems": [],
 *  "counts": {"uses", "tests", "fixtures", "hits", "misses", "testsWithMisses", "unusedEntries", "orphans",
 *             "prunable", "blocked", "unreadableUsageFiles"},
 *  "fixtures": [{"path", "file", "exists", "size", "lastModified", "newestEntry", "entries", "uses", "hits", "misses",
 *                "unused": [indices], "unusedKnown", "orphan", "prunable", "blocker"}],
 *  "testsWithMisses": [{"user", "userId", "fixture", "outcome", "mode", "misses", "hits"}]}
 * }</pre>
 */
final class SummaryJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private SummaryJson() {
    }

    static byte[] render(BuildReport report) throws IOException {
        BuildUsage usage = report.usage();
        BuildReport.Totals t = report.totals();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("harpReport", BuildReport.VERSION);
            g.writeStringField("generated", report.generated().toString());
            g.writeStringField("usageFolder", usage.contents().folder().toString());
            g.writeStringField("selection", usage.selection());
            g.writeBooleanField("complete", usage.contents().complete());
            g.writeArrayFieldStart("problems");
            for (String p : usage.contents().problems()) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("counts");
            g.writeNumberField("uses", t.uses());
            g.writeNumberField("tests", t.tests());
            g.writeNumberField("fixtures", t.fixtures());
            g.writeNumberField("hits", t.hits());
            g.writeNumberField("misses", t.misses());
            g.writeNumberField("testsWithMisses", t.testsWithMisses());
            g.writeNumberField("unusedEntries", t.unusedEntries());
            g.writeNumberField("orphans", t.orphans());
            g.writeNumberField("prunable", t.prunable());
            g.writeNumberField("blocked", t.blocked());
            g.writeNumberField("unreadableUsageFiles", t.problems());
            g.writeEndObject();
            g.writeArrayFieldStart("fixtures");
            for (FixtureState f : usage.fixtures()) {
                FixtureDetails d = report.details(f);
                g.writeStartObject();
                g.writeStringField("path", report.display(f.file()));
                g.writeStringField("file", f.file().toString());
                g.writeBooleanField("exists", f.exists());
                g.writeNumberField("size", f.size());
                g.writeStringField("lastModified", f.exists() ? f.lastModified().toString() : null);
                g.writeStringField("newestEntry", d.newestEntry().map(Object::toString).orElse(null));
                g.writeNumberField("entries", f.entries());
                g.writeNumberField("uses", f.uses().size());
                g.writeNumberField("hits", f.hits());
                g.writeNumberField("misses", f.misses().size());
                g.writeArrayFieldStart("unused");
                for (int i : f.unused()) {
                    g.writeNumber(i);
                }
                g.writeEndArray();
                g.writeBooleanField("unusedKnown", f.unusedKnown());
                g.writeBooleanField("orphan", f.orphan());
                g.writeBooleanField("prunable", f.prunable());
                g.writeStringField("blocker", f.blocker());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("testsWithMisses");
            for (FixtureUse u : usage.usesWithMisses()) {
                g.writeStartObject();
                g.writeStringField("user", u.user());
                g.writeStringField("userId", u.userId());
                g.writeStringField("fixture", report.display(u.fixture()));
                g.writeStringField("outcome", u.outcome().name().toLowerCase(Locale.ROOT));
                g.writeStringField("mode", u.mode().cliName());
                g.writeNumberField("misses", u.misses().size());
                g.writeNumberField("hits", u.hits());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
        return bytes.toByteArray();
    }
}
