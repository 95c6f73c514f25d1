package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads the leaf objects of a HAR (cookies, headers, postData, params, content, cache, timings)
 * for {@link HarParser}, with the same defaults: required strings {@code ""}, required numbers
 * {@code -1}, optional members absent when missing or unusable.
 */
final class HarDetailParser {
    private final LenientValues v;

    HarDetailParser(LenientValues values) {
        this.v = values;
    }

    HarCookie readCookie() throws IOException {
        String name = null;
        String value = null;
        String path = null;
        String domain = null;
        String expires = null;
        Boolean httpOnly = null;
        Boolean secure = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String member; (member = v.nextMember()) != null; ) {
            switch (member) {
                case "name" -> name = v.string(null);
                case "value" -> value = v.string(null);
                case "path" -> path = v.string(null);
                case "domain" -> domain = v.string(null);
                case "expires" -> expires = v.string(null);
                case "httpOnly" -> httpOnly = v.optBoolean();
                case "secure" -> secure = v.optBoolean();
                case "comment" -> comment = v.string(null);
                default -> ext = v.putTree(ext, member);
            }
        }
        return new HarCookie(orEmpty(name), orEmpty(value), path, domain, expires, httpOnly, secure,
                comment, Extensions.adopt(ext));
    }

    HarHeader readHeader() throws IOException {
        String name = null;
        String value = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String member; (member = v.nextMember()) != null; ) {
            switch (member) {
                case "name" -> name = v.string(null);
                case "value" -> value = v.string(null);
                case "comment" -> comment = v.string(null);
                default -> ext = v.putTree(ext, member);
            }
        }
        return new HarHeader(orEmpty(name), orEmpty(value), comment, Extensions.adopt(ext));
    }

    HarPostData readPostData() throws IOException {
        String mimeType = null;
        List<HarParam> params = null;
        String text = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String member; (member = v.nextMember()) != null; ) {
            switch (member) {
                case "mimeType" -> mimeType = v.string(null);
                case "params" -> params = v.list(this::readParam);
                case "text" -> text = v.string(null);
                case "comment" -> comment = v.string(null);
                default -> ext = v.putTree(ext, member);
            }
        }
        return new HarPostData(orEmpty(mimeType), params, text, comment, Extensions.adopt(ext));
    }

    HarParam readParam() throws IOException {
        String name = null;
        String value = null;
        String fileName = null;
        String contentType = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        for (String member; (member = v.nextMember()) != null; ) {
            switch (member) {
                case "name" -> name = v.string(null);
                case "value" -> value = v.string(null);
                case "fileName" -> fileName = v.string(null);
                case "contentType" -> contentType = v.string(null);
                case "comment" -> comment = v.string(null);
                default -> ext = v.putTree(ext, member);
            }
        }
        return new HarParam(orEmpty(name), value, fileName, contentType, comment,
                Extensions.adopt(ext));
    }

    HarContent readContent() throws IOException {
        Long size = null;
        Long compression = null;
        String mimeType = null;
        String text = null;
        String encoding = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        if (v.enterObject()) {
            for (String member; (member = v.nextMember()) != null; ) {
                switch (member) {
                    case "size" -> size = v.optLong();
                    case "compression" -> compression = v.optLong();
                    case "mimeType" -> mimeType = v.string(null);
                    case "text" -> text = v.string(null);
                    case "encoding" -> encoding = v.string(null);
                    case "comment" -> comment = v.string(null);
                    default -> ext = v.putTree(ext, member);
                }
            }
        }
        return new HarContent(size == null ? -1 : size, compression, orEmpty(mimeType), text,
                encoding, comment, Extensions.adopt(ext));
    }

    HarCache readCache() throws IOException {
        JsonNode before = null;
        JsonNode after = null;
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        if (v.enterObject()) {
            for (String member; (member = v.nextMember()) != null; ) {
                switch (member) {
                    case "beforeRequest" -> before = v.tree();
                    case "afterRequest" -> after = v.tree();
                    case "comment" -> comment = v.string(null);
                    default -> ext = v.putTree(ext, member);
                }
            }
        }
        if (before == null && after == null && comment == null && ext == null) {
            return HarCache.empty();
        }
        return new HarCache(before, after, comment, Extensions.adopt(ext));
    }

    HarTimings readTimings() throws IOException {
        Double[] t = new Double[7];
        String comment = null;
        LinkedHashMap<String, JsonNode> ext = null;
        if (v.enterObject()) {
            for (String member; (member = v.nextMember()) != null; ) {
                switch (member) {
                    case "blocked" -> t[0] = v.optDouble();
                    case "dns" -> t[1] = v.optDouble();
                    case "connect" -> t[2] = v.optDouble();
                    case "send" -> t[3] = v.optDouble();
                    case "wait" -> t[4] = v.optDouble();
                    case "receive" -> t[5] = v.optDouble();
                    case "ssl" -> t[6] = v.optDouble();
                    case "comment" -> comment = v.string(null);
                    default -> ext = v.putTree(ext, member);
                }
            }
        }
        return new HarTimings(t[0], t[1], t[2], orUnknown(t[3]), orUnknown(t[4]), orUnknown(t[5]),
                t[6], comment, Extensions.adopt(ext));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static double orUnknown(Double d) {
        return d == null ? -1 : d;
    }
}
