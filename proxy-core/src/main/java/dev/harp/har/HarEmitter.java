package dev.harp.har;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the records to a generator in the member order of the HAR 1.2 specification, known
 * members first and extensions after them in their stored order. Required members are always
 * written; optional ones only when present.
 */
final class HarEmitter {
    private final JsonGenerator g;
    private final boolean inStartOrder;

    HarEmitter(JsonGenerator generator) {
        this(generator, false);
    }

    /** @param inStartOrder whether the entries are in start order already (then they are written as they are) */
    HarEmitter(JsonGenerator generator, boolean inStartOrder) {
        this.g = generator;
        this.inStartOrder = inStartOrder;
    }

    void writeDocument(Har har) throws IOException {
        g.writeStartObject();
        g.writeFieldName("log");
        writeLog(har.log());
        extensions(har.extensions());
        g.writeEndObject();
    }

    /**
     * The entries sorted by parsed start time, stably. Entries whose start time cannot be parsed
     * keep their positions; the parsable ones are sorted into the remaining positions.
     */
    static List<HarEntry> inStartOrder(List<HarEntry> entries) {
        List<Integer> slots = new ArrayList<>();
        List<Map.Entry<Instant, HarEntry>> dated = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Optional<Instant> at = entries.get(i).startedInstant();
            if (at.isPresent()) {
                slots.add(i);
                dated.add(Map.entry(at.get(), entries.get(i)));
            }
        }
        dated.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        List<HarEntry> out = new ArrayList<>(entries);
        for (int k = 0; k < slots.size(); k++) {
            out.set(slots.get(k), dated.get(k).getValue());
        }
        return out;
    }

    private void writeLog(HarLog log) throws IOException {
        g.writeStartObject();
        g.writeStringField("version", log.version());
        g.writeFieldName("creator");
        writeCreator(log.creator());
        if (log.browser() != null) {
            g.writeFieldName("browser");
            writeCreator(log.browser());
        }
        if (log.pages() != null) {
            g.writeArrayFieldStart("pages");
            for (HarPage page : log.pages()) {
                writePage(page);
            }
            g.writeEndArray();
        }
        g.writeArrayFieldStart("entries");
        for (HarEntry entry : inStartOrder ? log.entries() : inStartOrder(log.entries())) {
            writeEntry(entry);
        }
        g.writeEndArray();
        optString("comment", log.comment());
        extensions(log.extensions());
        g.writeEndObject();
    }

    private void writeCreator(HarCreator c) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("version", c.version());
        optString("comment", c.comment());
        extensions(c.extensions());
        g.writeEndObject();
    }

    private void writePage(HarPage page) throws IOException {
        g.writeStartObject();
        g.writeStringField("startedDateTime", page.startedDateTime());
        g.writeStringField("id", page.id());
        g.writeStringField("title", page.title());
        g.writeFieldName("pageTimings");
        HarPageTimings t = page.pageTimings();
        g.writeStartObject();
        optNumber("onContentLoad", t.onContentLoad());
        optNumber("onLoad", t.onLoad());
        optString("comment", t.comment());
        extensions(t.extensions());
        g.writeEndObject();
        optString("comment", page.comment());
        extensions(page.extensions());
        g.writeEndObject();
    }

    private void writeEntry(HarEntry e) throws IOException {
        g.writeStartObject();
        optString("pageref", e.pageref());
        g.writeStringField("startedDateTime", e.startedDateTime());
        number("time", e.time());
        writeRequest(e.request());
        writeResponse(e.response());
        writeCache(e.cache());
        writeTimings(e.timings());
        optString("serverIPAddress", e.serverIPAddress());
        optString("connection", e.connection());
        optString("comment", e.comment());
        extensions(e.extensions());
        g.writeEndObject();
    }

    private void writeRequest(HarRequest r) throws IOException {
        g.writeObjectFieldStart("request");
        g.writeStringField("method", r.method());
        g.writeStringField("url", r.url());
        g.writeStringField("httpVersion", r.httpVersion());
        cookies(r.cookies());
        headers("headers", r.headers());
        headers("queryString", r.queryString());
        if (r.postData() != null) {
            writePostData(r.postData());
        }
        g.writeNumberField("headersSize", r.headersSize());
        g.writeNumberField("bodySize", r.bodySize());
        optString("comment", r.comment());
        extensions(r.extensions());
        g.writeEndObject();
    }

    private void writeResponse(HarResponse r) throws IOException {
        g.writeObjectFieldStart("response");
        g.writeNumberField("status", r.status());
        g.writeStringField("statusText", r.statusText());
        g.writeStringField("httpVersion", r.httpVersion());
        cookies(r.cookies());
        headers("headers", r.headers());
        writeContent(r.content());
        g.writeStringField("redirectURL", r.redirectURL());
        g.writeNumberField("headersSize", r.headersSize());
        g.writeNumberField("bodySize", r.bodySize());
        optString("comment", r.comment());
        extensions(r.extensions());
        g.writeEndObject();
    }

    private void cookies(List<HarCookie> cookies) throws IOException {
        g.writeArrayFieldStart("cookies");
        for (HarCookie c : cookies) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("value", c.value());
            optString("path", c.path());
            optString("domain", c.domain());
            optString("expires", c.expires());
            if (c.httpOnly() != null) {
                g.writeBooleanField("httpOnly", c.httpOnly());
            }
            if (c.secure() != null) {
                g.writeBooleanField("secure", c.secure());
            }
            optString("comment", c.comment());
            extensions(c.extensions());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void headers(String member, List<HarHeader> headers) throws IOException {
        g.writeArrayFieldStart(member);
        for (HarHeader h : headers) {
            g.writeStartObject();
            g.writeStringField("name", h.name());
            g.writeStringField("value", h.value());
            optString("comment", h.comment());
            extensions(h.extensions());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void writePostData(HarPostData d) throws IOException {
        g.writeObjectFieldStart("postData");
        g.writeStringField("mimeType", d.mimeType());
        if (d.params() != null) {
            g.writeArrayFieldStart("params");
            for (HarParam p : d.params()) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                optString("value", p.value());
                optString("fileName", p.fileName());
                optString("contentType", p.contentType());
                optString("comment", p.comment());
                extensions(p.extensions());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        optString("text", d.text());
        optString("comment", d.comment());
        extensions(d.extensions());
        g.writeEndObject();
    }

    private void writeContent(HarContent c) throws IOException {
        g.writeObjectFieldStart("content");
        g.writeNumberField("size", c.size());
        if (c.compression() != null) {
            g.writeNumberField("compression", c.compression());
        }
        g.writeStringField("mimeType", c.mimeType());
        optString("text", c.text());
        optString("encoding", c.encoding());
        optString("comment", c.comment());
        extensions(c.extensions());
        g.writeEndObject();
    }

    private void writeCache(HarCache c) throws IOException {
        g.writeObjectFieldStart("cache");
        if (c.beforeRequest() != null) {
            g.writeFieldName("beforeRequest");
            JsonTrees.write(g, c.beforeRequest());
        }
        if (c.afterRequest() != null) {
            g.writeFieldName("afterRequest");
            JsonTrees.write(g, c.afterRequest());
        }
        optString("comment", c.comment());
        extensions(c.extensions());
        g.writeEndObject();
    }

    private void writeTimings(HarTimings t) throws IOException {
        g.writeObjectFieldStart("timings");
        optNumber("blocked", t.blocked());
        optNumber("dns", t.dns());
        optNumber("connect", t.connect());
        number("send", t.send());
        number("wait", t.waitTime());
        number("receive", t.receive());
        optNumber("ssl", t.ssl());
        optString("comment", t.comment());
        extensions(t.extensions());
        g.writeEndObject();
    }

    private void optString(String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private void number(String name, double value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(formatNumber(value));
    }

    private void optNumber(String name, Double value) throws IOException {
        if (value != null) {
            number(name, value);
        }
    }

    private void extensions(Map<String, JsonNode> extensions) throws IOException {
        for (Map.Entry<String, JsonNode> e : extensions.entrySet()) {
            g.writeFieldName(e.getKey());
            JsonTrees.write(g, e.getValue());
        }
    }

    /**
     * A millisecond value as JSON: whole numbers without a fraction ({@code -1}, not
     * {@code -1.0}), others in the shortest form that reads back to the same double, never with an
     * exponent.
     */
    static String formatNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String text = Double.toString(value);
        if (text.indexOf('E') >= 0) {
            text = new BigDecimal(text).stripTrailingZeros().toPlainString();
        }
        return text;
    }
}
