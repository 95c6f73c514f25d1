package dev.harp.har;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads the HAR object structure from a streaming parser, one record per object, without building
 * a tree for the whole document. The small leaf objects are read by {@link HarDetailParser} and
 * the scalar coercions live in {@link LenientValues}.
 *
 * <p>Defaults for missing or unusable required members: strings {@code ""}, lists empty, sizes,
 * times and the timings send/wait/receive {@code -1}, status {@code 0}, objects empty. Optional
 * members that are missing, {@code null} or unusable are absent.
 */
final class HarParser {
    private final JsonParser p;
    private final LenientValues v;
    private final HarDetailParser d;
    private final String source;

    HarParser(JsonParser parser, String source) {
        this.p = parser;
        this.v = new LenientValues(parser);
        this.d = new HarDetailParser(v);
        this.source = source;
    }

    /** Reads the whole document; the parser must not have been advanced yet. */
    Har readDocument() throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw structural("the file is empty, expected a HAR document {\"log\": {...}}");
        }
        if (first != JsonToken.START_OBJECT) {
            throw structural("not a HAR document: expected a JSON object with a \"log\" member,"
                    + " found " + LenientValues.describe(first));
        }
        HarLog log = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String name; (name = v.nextMember()) != null; ) {
            if (name.equals("log")) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw structural("\"log\" is " + LenientValues.describe(p.currentToken())
                            + ", expected an object");
                }
                log = readLog();
            } else {
                ext = v.putTree(ext, name);
            }
        }
        if (log == null) {
            throw structural("no \"log\" object at the top level, so this is not a HAR file");
        }
        JsonToken after;
        try {
            after = p.nextToken();
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new HarFormatException(source, at.getLineNr(), at.getColumnNr(),
                    "unexpected content after the end of the HAR document", e);
        }
        if (after != null) {
            throw structural("unexpected content after the end of the HAR document: "
                    + LenientValues.describe(after));
        }
        return new Har(log, Extensions.adopt(ext));
    }

    private HarLog readLog() throws IOException {
        String version = null;
        String comment = null;
        HarCreator creator = null;
        HarCreator browser = null;
        List<HarPage> pages = null;
        List<HarEntry> entries = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String name; (name = v.nextMember()) != null; ) {
            switch (name) {
                case "version" -> version = v.string(null);
                case "creator" -> creator = readCreator();
                case "browser" -> browser = v.isObject() ? readCreator() : v.skip(null);
                case "pages" -> pages = v.list(this::readPage);
                case "entries" -> entries = readEntries();
                case "comment" -> comment = v.string(null);
                default -> ext = v.putTree(ext, name);
            }
        }
        return new HarLog(version == null ? "" : version,
                creator == null ? HarCreator.of("", "") : creator, browser, pages,
                entries == null ? List.of() : entries, comment, Extensions.adopt(ext));
    }

    private List<HarEntry> readEntries() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            throw structural("\"entries\" is " + LenientValues.describe(t) + ", expected an array");
        }
        List<HarEntry> entries = new ArrayList<>();
        for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
            if (e != JsonToken.START_OBJECT) {
                throw structural("entry " + entries.size() + " is " + LenientValues.describe(e)
                        + ", expected an object");
            }
            entries.add(readEntry());
        }
        return entries;
    }

    private HarCreator readCreator() throws IOException {
        String name = null;
        String version = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        if (v.enterObject()) {
            for (String member; (member = v.nextMember()) != null; ) {
                switch (member) {
                    case "name" -> name = v.string(null);
                    case "version" -> version = v.string(null);
                    case "comment" -> comment = v.string(null);
                    default -> ext = v.putTree(ext, member);
                }
            }
        }
        return new HarCreator(orEmpty(name), orEmpty(version), comment, Extensions.adopt(ext));
    }

    private HarPage readPage() throws IOException {
        String started = null;
        String id = null;
        String title = null;
        String comment = null;
        HarPageTimings timings = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String member; (member = v.nextMember()) != null; ) {
            switch (member) {
                case "startedDateTime" -> started = v.string(null);
                case "id" -> id = v.string(null);
                case "title" -> title = v.string(null);
                case "pageTimings" -> timings = readPageTimings();
                case "comment" -> comment = v.string(null);
                default -> ext = v.putTree(ext, member);
            }
        }
        return new HarPage(orEmpty(started), orEmpty(id), orEmpty(title),
                timings == null ? HarPageTimings.empty() : timings, comment, Extensions.adopt(ext));
    }

    private HarPageTimings readPageTimings() throws IOException {
        Double onContentLoad = null;
        Double onLoad = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        if (v.enterObject()) {
            for (String member; (member = v.nextMember()) != null; ) {
                switch (member) {
                    case "onContentLoad" -> onContentLoad = v.optDouble();
                    case "onLoad" -> onLoad = v.optDouble();
                    case "comment" -> comment = v.string(null);
                    default -> ext = v.putTree(ext, member);
                }
            }
        }
        return new HarPageTimings(onContentLoad, onLoad, comment, Extensions.adopt(ext));
    }

    private HarEntry readEntry() throws IOException {
        String pageref = null;
        String started = null;
        Double time = null;
        HarRequest request = null;
        HarResponse response = null;
        HarCache cache = null;
        HarTimings timings = null;
        String serverIp = null;
        String connection = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String member; (member = v.nextMember()) != null; ) {
            switch (member) {
                case "pageref" -> pageref = v.string(null);
                case "startedDateTime" -> started = v.string(null);
                case "time" -> time = v.optDouble();
                case "request" -> request = readRequest();
                case "response" -> response = readResponse();
                case "cache" -> cache = d.readCache();
                case "timings" -> timings = d.readTimings();
                case "serverIPAddress" -> serverIp = v.string(null);
                case "connection" -> connection = v.string(null);
                case "comment" -> comment = v.string(null);
                default -> ext = v.putTree(ext, member);
            }
        }
        return new HarEntry(pageref, orEmpty(started), time == null ? -1 : time,
                request == null ? MessageParts.emptyRequest() : request,
                response == null ? MessageParts.emptyResponse() : response,
                cache == null ? HarCache.empty() : cache,
                timings == null ? MessageParts.unknownTimings() : timings,
                serverIp, connection, comment, Extensions.adopt(ext));
    }

    private HarRequest readRequest() throws IOException {
        MessageParts r = new MessageParts();
        if (v.enterObject()) {
            for (String member; (member = v.nextMember()) != null; ) {
                switch (member) {
                    case "method" -> r.method = v.string(null);
                    case "url" -> r.url = v.string(null);
                    case "httpVersion" -> r.httpVersion = v.string(null);
                    case "cookies" -> r.cookies = v.list(d::readCookie);
                    case "headers" -> r.headers = v.list(d::readHeader);
                    case "queryString" -> r.queryString = v.list(d::readHeader);
                    case "postData" -> r.postData = v.isObject() ? d.readPostData() : v.skip(null);
                    case "headersSize" -> r.headersSize = v.optLong();
                    case "bodySize" -> r.bodySize = v.optLong();
                    case "comment" -> r.comment = v.string(null);
                    default -> r.ext = v.putTree(r.ext, member);
                }
            }
        }
        return r.toRequest();
    }

    private HarResponse readResponse() throws IOException {
        MessageParts r = new MessageParts();
        if (v.enterObject()) {
            for (String member; (member = v.nextMember()) != null; ) {
                switch (member) {
                    case "status" -> r.status = v.optLong();
                    case "statusText" -> r.statusText = v.string(null);
                    case "httpVersion" -> r.httpVersion = v.string(null);
                    case "cookies" -> r.cookies = v.list(d::readCookie);
                    case "headers" -> r.headers = v.list(d::readHeader);
                    case "content" -> r.content = d.readContent();
                    case "redirectURL" -> r.redirectURL = v.string(null);
                    case "headersSize" -> r.headersSize = v.optLong();
                    case "bodySize" -> r.bodySize = v.optLong();
                    case "comment" -> r.comment = v.string(null);
                    default -> r.ext = v.putTree(r.ext, member);
                }
            }
        }
        return r.toResponse();
    }

    private HarFormatException structural(String problem) {
        var at = p.currentTokenLocation();
        return new HarFormatException(source, at.getLineNr(), at.getColumnNr(), problem, null);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
