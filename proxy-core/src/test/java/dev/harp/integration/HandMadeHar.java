package dev.harp.integration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes small HAR files by hand, the way other tools would, quirks included: tests add or change members on the
 * returned JSON nodes before writing.
 */
final class HandMadeHar {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode entries;

    HandMadeHar() {
        ObjectNode log = root.putObject("log");
        log.put("version", "1.2");
        log.putObject("creator").put("name", "hand").put("version", "1");
        log.putArray("pages");
        entries = log.putArray("entries");
    }

    /** Adds a GET entry whose response has a text body (or none when {@code text} is null); returns the entry. */
    ObjectNode entry(String method, String url, int status, String mimeType, String text) {
        ObjectNode e = entries.addObject();
        e.put("startedDateTime", "2024-05-01T10:00:0" + Math.min(9, entries.size() - 1) + ".000Z");
        e.put("time", 12.5);
        ObjectNode req = e.putObject("request");
        req.put("method", method).put("url", url).put("httpVersion", "HTTP/1.1");
        req.putArray("cookies");
        req.putArray("headers");
        req.putArray("queryString");
        req.put("headersSize", -1).put("bodySize", 0);
        ObjectNode res = e.putObject("response");
        res.put("status", status).put("statusText", "").put("httpVersion", "HTTP/1.1");
        res.putArray("cookies");
        ArrayNode headers = res.putArray("headers");
        if (mimeType != null) {
            headers.addObject().put("name", "Content-Type").put("value", mimeType);
        }
        ObjectNode content = res.putObject("content");
        content.put("size", text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length);
        content.put("mimeType", mimeType == null ? "" : mimeType);
        if (text != null) {
            content.put("text", text);
        }
        res.put("redirectURL", "").put("headersSize", -1).put("bodySize", -1);
        e.putObject("cache");
        e.putObject("timings").put("send", 1).put("wait", 10).put("receive", 1.5);
        return e;
    }

    static void header(ObjectNode entry, String side, String name, String value) {
        ((ArrayNode) entry.get(side).get("headers")).addObject().put("name", name).put("value", value);
    }

    static ObjectNode content(ObjectNode entry) {
        return (ObjectNode) entry.get("response").get("content");
    }

    static void postData(ObjectNode entry, String mimeType, String text) {
        ((ObjectNode) entry.get("request")).putObject("postData").put("mimeType", mimeType).put("text", text);
    }

    String json() {
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Path write(Path file) throws IOException {
        Files.writeString(file, json(), StandardCharsets.UTF_8);
        return file;
    }
}
