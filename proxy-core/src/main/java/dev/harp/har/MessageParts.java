package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Mutable holder for the members of a request or response while {@link HarParser} reads them,
 * turned into a record with the reader's defaults once the object is closed.
 */
final class MessageParts {
    String method;
    String url;
    String httpVersion;
    List<HarCookie> cookies;
    List<HarHeader> headers;
    List<HarHeader> queryString;
    HarPostData postData;
    Long status;
    String statusText;
    HarContent content;
    String redirectURL;
    Long headersSize;
    Long bodySize;
    String comment;
    LinkedHashMap<String, JsonNode> ext;

    static HarRequest emptyRequest() {
        return new MessageParts().toRequest();
    }

    static HarResponse emptyResponse() {
        return new MessageParts().toResponse();
    }

    /** Timings of an entry that has none: the required phases unknown, the optional ones absent. */
    static HarTimings unknownTimings() {
        return HarTimings.of(-1, -1, -1);
    }

    HarRequest toRequest() {
        return new HarRequest(orEmpty(method), orEmpty(url), orEmpty(httpVersion), orNone(cookies),
                orNone(headers), orNone(queryString), postData, orUnknown(headersSize),
                orUnknown(bodySize), comment, Extensions.adopt(ext));
    }

    HarResponse toResponse() {
        int code = status == null || status > Integer.MAX_VALUE || status < Integer.MIN_VALUE
                ? 0 : status.intValue();
        return new HarResponse(code, orEmpty(statusText), orEmpty(httpVersion), orNone(cookies),
                orNone(headers),
                content == null ? new HarContent(-1, null, "", null, null, null, null) : content,
                orEmpty(redirectURL), orUnknown(headersSize), orUnknown(bodySize), comment,
                Extensions.adopt(ext));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static <T> List<T> orNone(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static long orUnknown(Long n) {
        return n == null ? -1 : n;
    }
}
