package dev.harp.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.record.Redactor;
import dev.harp.replay.NameValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The JSON form of a {@link FixtureUse}: written with a streaming generator, read with bounds. */
final class UsageJson {
    /** The value of the {@code harpUsage} member: the format's version. */
    static final int VERSION = 1;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                    .maxStringLength(4 * 1024 * 1024).build())
            .build();

    /** The tree reader, made on the first read only: a writer (every test) never pays for an ObjectMapper. */
    private static final class Reader {
        static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    }

    private UsageJson() {
    }

    static void write(FixtureUse use, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("harpUsage", VERSION);
            g.writeStringField("fixture", use.fixture().toString());
            g.writeStringField("face", use.face().name().toLowerCase(Locale.ROOT));
            g.writeStringField("user", use.user());
            g.writeStringField("userId", use.userId());
            g.writeStringField("outcome", use.outcome().name().toLowerCase(Locale.ROOT));
            g.writeStringField("mode", use.mode().cliName());
            g.writeStringField("modeSource", use.modeSource());
            g.writeStringField("started", use.started().toString());
            g.writeStringField("finished", use.finished().toString());
            g.writeBooleanField("existed", use.existed());
            g.writeStringField("sha256", use.sha256());
            g.writeNumberField("entries", use.entries());
            g.writeNumberField("hits", use.hits());
            g.writeArrayFieldStart("unused");
            for (int i : use.unused()) {
                g.writeNumber(i);
            }
            g.writeEndArray();
            g.writeNumberField("recorded", use.recorded());
            g.writeStringField("selection", use.selection());
            g.writeArrayFieldStart("misses");
            for (MissView miss : use.misses()) {
                g.writeStartObject();
                g.writeStringField("reason", miss.reason());
                g.writeFieldName("live");
                request(g, miss.live());
                g.writeArrayFieldStart("closest");
                for (MissView.Closest c : miss.closest()) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("entries");
                    for (int i : c.entries()) {
                        g.writeNumber(i);
                    }
                    g.writeEndArray();
                    g.writeNumberField("score", c.score());
                    g.writeFieldName("recorded");
                    request(g, c.recorded());
                    g.writeArrayFieldStart("differences");
                    for (MissView.DifferenceView d : c.differences()) {
                        g.writeStartObject();
                        g.writeStringField("aspect", d.aspect());
                        g.writeStringField("description", d.description());
                        if (d.suggestion() != null) {
                            MissView.SuggestionView s = d.suggestion();
                            g.writeObjectFieldStart("suggestion");
                            g.writeStringField("option", s.option());
                            g.writeStringField("value", s.value());
                            g.writeBooleanField("drop", s.drop());
                            g.writeStringField("cli", s.cli());
                            g.writeStringField("junit", s.junit());
                            g.writeStringField("maven", s.maven());
                            g.writeEndObject();
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeStringField("text", miss.text());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void request(JsonGenerator g, RequestView r) throws IOException {
        g.writeStartObject();
        g.writeStringField("method", r.method());
        g.writeStringField("url", r.url());
        g.writeArrayFieldStart("headers");
        for (NameValue h : r.headers()) {
            g.writeStartObject();
            g.writeStringField("name", h.name());
            g.writeStringField("value", h.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("body", r.body());
        g.writeNumberField("bodyLength", r.bodyLength());
        g.writeBooleanField("bodyTruncated", r.bodyTruncated());
        g.writeEndObject();
    }

    /**
     * @param in a usage file's bytes
     * @return the use
     * @throws IOException when the bytes are not JSON or not a usage file (the message says what is wrong)
     */
    static FixtureUse read(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = Reader.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw new IOException(where + Redactor.forLogText(what.lines().findFirst().orElse(what)), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        int version = root.path("harpUsage").asInt(-1);
        if (version != VERSION) {
            throw new IOException("harpUsage is " + root.path("harpUsage") + ", expected " + VERSION);
        }
        try {
            Path fixture = Path.of(text(root, "fixture"));
            if (!fixture.isAbsolute()) {
                throw new IOException("\"fixture\" is not an absolute path: " + Redactor.forLogText(fixture.toString()));
            }
            FixtureUse.Builder b = FixtureUse.builder(fixture,
                            Face.valueOf(text(root, "face").toUpperCase(Locale.ROOT)), text(root, "user"))
                    .userId(root.path("userId").asText(""))
                    .outcome(FixtureUse.Outcome.valueOf(text(root, "outcome").toUpperCase(Locale.ROOT)))
                    .mode(Mode.parse(text(root, "mode")), root.path("modeSource").asText(""))
                    .started(Instant.parse(text(root, "started")))
                    .finished(Instant.parse(text(root, "finished")))
                    .existed(root.path("existed").asBoolean(false))
                    .sha256(root.path("sha256").asText(""))
                    .entries(root.path("entries").asInt(0))
                    .hits(root.path("hits").asLong(0))
                    .recorded(root.path("recorded").asInt(0))
                    .selection(root.path("selection").asText(""));
            List<Integer> unused = new ArrayList<>();
            root.path("unused").forEach(n -> unused.add(n.asInt()));
            b.unused(unused);
            for (JsonNode m : root.path("misses")) {
                List<MissView.Closest> closest = new ArrayList<>();
                for (JsonNode c : m.path("closest")) {
                    List<Integer> entries = new ArrayList<>();
                    c.path("entries").forEach(n -> entries.add(n.asInt()));
                    List<MissView.DifferenceView> differences = new ArrayList<>();
                    for (JsonNode d : c.path("differences")) {
                        JsonNode s = d.path("suggestion");
                        MissView.SuggestionView suggestion = s.isObject()
                                ? new MissView.SuggestionView(text(s, "option"), text(s, "value"),
                                s.path("drop").asBoolean(false), text(s, "cli"), text(s, "junit"), text(s, "maven"))
                                : null;
                        differences.add(new MissView.DifferenceView(text(d, "aspect"), text(d, "description"),
                                suggestion));
                    }
                    closest.add(new MissView.Closest(entries, c.path("score").asDouble(0),
                            request(c.path("recorded")), differences));
                }
                b.miss(new MissView(text(m, "reason"), request(m.path("live")), closest, m.path("text").asText("")));
            }
            return b.build();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static RequestView request(JsonNode r) throws IOException {
        List<NameValue> headers = new ArrayList<>();
        for (JsonNode h : r.path("headers")) {
            headers.add(NameValue.of(text(h, "name"), h.path("value").asText("")));
        }
        return new RequestView(text(r, "method"), text(r, "url"), headers, r.path("body").asText(""),
                r.path("bodyLength").asLong(0), r.path("bodyTruncated").asBoolean(false));
    }

    private static String text(JsonNode node, String name) throws IOException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IOException("\"" + name + "\" is missing or not a string");
        }
        return value.asText();
    }
}
