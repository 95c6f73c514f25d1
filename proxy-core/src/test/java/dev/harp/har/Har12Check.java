package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strict check of the HAR 1.2 required members and their JSON types, written from the
 * specification's tables (docs: research/har-format.md section 1.2), independent of the model.
 * Used on everything HarWriter produces.
 */
final class Har12Check {
    private enum Kind { STRING, NUMBER, BOOLEAN, ARRAY, OBJECT }

    private Har12Check() {
    }

    /** Fails listing every violation when the document is not a strict HAR 1.2 document. */
    static void assertStrictHar12(JsonNode root) {
        assertThat(violations(root)).as("HAR 1.2 violations").isEmpty();
    }

    static List<String> violations(JsonNode root) {
        List<String> out = new ArrayList<>();
        if (!root.isObject() || !root.path("log").isObject()) {
            out.add("root: no log object");
            return out;
        }
        JsonNode log = root.get("log");
        require(out, "log", log, Map.of("version", Kind.STRING, "creator", Kind.OBJECT,
                "entries", Kind.ARRAY));
        optional(out, "log", log, Map.of("browser", Kind.OBJECT, "pages", Kind.ARRAY,
                "comment", Kind.STRING));
        creator(out, "log.creator", log.path("creator"));
        if (log.has("browser")) {
            creator(out, "log.browser", log.get("browser"));
        }
        int i = 0;
        for (JsonNode page : log.path("pages")) {
            String at = "log.pages[" + i++ + "]";
            require(out, at, page, Map.of("startedDateTime", Kind.STRING, "id", Kind.STRING,
                    "title", Kind.STRING, "pageTimings", Kind.OBJECT));
            optional(out, at + ".pageTimings", page.path("pageTimings"),
                    Map.of("onContentLoad", Kind.NUMBER, "onLoad", Kind.NUMBER));
        }
        i = 0;
        for (JsonNode entry : log.path("entries")) {
            entry(out, "log.entries[" + i++ + "]", entry);
        }
        return out;
    }

    private static void creator(List<String> out, String at, JsonNode c) {
        require(out, at, c, Map.of("name", Kind.STRING, "version", Kind.STRING));
        optional(out, at, c, Map.of("comment", Kind.STRING));
    }

    private static void entry(List<String> out, String at, JsonNode e) {
        require(out, at, e, Map.of("startedDateTime", Kind.STRING, "time", Kind.NUMBER,
                "request", Kind.OBJECT, "response", Kind.OBJECT, "cache", Kind.OBJECT,
                "timings", Kind.OBJECT));
        optional(out, at, e, Map.of("pageref", Kind.STRING, "serverIPAddress", Kind.STRING,
                "connection", Kind.STRING, "comment", Kind.STRING));
        JsonNode req = e.path("request");
        require(out, at + ".request", req, Map.of("method", Kind.STRING, "url", Kind.STRING,
                "httpVersion", Kind.STRING, "cookies", Kind.ARRAY, "headers", Kind.ARRAY,
                "queryString", Kind.ARRAY, "headersSize", Kind.NUMBER, "bodySize", Kind.NUMBER));
        optional(out, at + ".request", req, Map.of("postData", Kind.OBJECT));
        JsonNode res = e.path("response");
        require(out, at + ".response", res, Map.of("status", Kind.NUMBER,
                "statusText", Kind.STRING, "httpVersion", Kind.STRING, "cookies", Kind.ARRAY,
                "headers", Kind.ARRAY, "content", Kind.OBJECT, "redirectURL", Kind.STRING,
                "headersSize", Kind.NUMBER, "bodySize", Kind.NUMBER));
        for (String side : List.of("request", "response")) {
            nameValues(out, at + "." + side + ".cookies", e.path(side).path("cookies"));
            nameValues(out, at + "." + side + ".headers", e.path(side).path("headers"));
            int k = 0;
            for (JsonNode c : e.path(side).path("cookies")) {
                optional(out, at + "." + side + ".cookies[" + k++ + "]", c, Map.of(
                        "path", Kind.STRING, "domain", Kind.STRING, "expires", Kind.STRING,
                        "httpOnly", Kind.BOOLEAN, "secure", Kind.BOOLEAN));
            }
        }
        nameValues(out, at + ".request.queryString", req.path("queryString"));
        if (req.has("postData")) {
            JsonNode post = req.get("postData");
            require(out, at + ".request.postData", post, Map.of("mimeType", Kind.STRING));
            optional(out, at + ".request.postData", post,
                    Map.of("params", Kind.ARRAY, "text", Kind.STRING));
            int k = 0;
            for (JsonNode p : post.path("params")) {
                require(out, at + ".request.postData.params[" + k++ + "]", p,
                        Map.of("name", Kind.STRING));
            }
        }
        JsonNode content = res.path("content");
        require(out, at + ".response.content", content,
                Map.of("size", Kind.NUMBER, "mimeType", Kind.STRING));
        optional(out, at + ".response.content", content, Map.of("compression", Kind.NUMBER,
                "text", Kind.STRING, "encoding", Kind.STRING));
        JsonNode timings = e.path("timings");
        require(out, at + ".timings", timings, Map.of("send", Kind.NUMBER, "wait", Kind.NUMBER,
                "receive", Kind.NUMBER));
        optional(out, at + ".timings", timings, Map.of("blocked", Kind.NUMBER, "dns",
                Kind.NUMBER, "connect", Kind.NUMBER, "ssl", Kind.NUMBER));
    }

    private static void nameValues(List<String> out, String at, JsonNode array) {
        int k = 0;
        for (JsonNode item : array) {
            require(out, at + "[" + k++ + "]", item,
                    Map.of("name", Kind.STRING, "value", Kind.STRING));
        }
    }

    private static void require(List<String> out, String at, JsonNode obj, Map<String, Kind> m) {
        if (!obj.isObject()) {
            out.add(at + ": not an object");
            return;
        }
        m.forEach((name, kind) -> {
            if (!obj.has(name)) {
                out.add(at + "." + name + ": missing");
            } else {
                check(out, at + "." + name, obj.get(name), kind);
            }
        });
    }

    private static void optional(List<String> out, String at, JsonNode obj, Map<String, Kind> m) {
        m.forEach((name, kind) -> {
            if (obj.has(name)) {
                check(out, at + "." + name, obj.get(name), kind);
            }
        });
    }

    private static void check(List<String> out, String at, JsonNode value, Kind kind) {
        boolean ok = switch (kind) {
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
            case ARRAY -> value.isArray();
            case OBJECT -> value.isObject();
        };
        if (!ok) {
            out.add(at + ": expected " + kind + " but was " + value.getNodeType());
        }
    }
}
