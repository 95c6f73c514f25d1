package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The request of an entry ({@code entry.request}). Build one with {@link #builder(String, String)}
 * or change a copy with {@link #toBuilder()}.
 *
 * @param method HTTP method, any token (HEAD, PROPFIND, ...)
 * @param url absolute URL without fragment
 * @param httpVersion protocol as recorded ({@code HTTP/1.1}, {@code http/2.0}, {@code h3} or
 *     {@code ""} for failed requests)
 * @param cookies cookies sent, in order
 * @param headers headers sent, in order, duplicates kept
 * @param queryString query parameters, in order, duplicates kept
 * @param postData optional body, {@code null} when absent
 * @param headersSize bytes from the request line to the blank line, {@code -1} when unknown
 * @param bodySize body bytes, {@code -1} when unknown
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. Insomnia's {@code settingEncodeUrl})
 */
public record HarRequest(String method, String url, String httpVersion, List<HarCookie> cookies,
        List<HarHeader> headers, List<HarHeader> queryString, HarPostData postData,
        long headersSize, long bodySize, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("method", "url", "httpVersion", "cookies",
            "headers", "queryString", "postData", "headersSize", "bodySize", "comment");

    /** Checks the required members, copies the lists and freezes the extensions. */
    public HarRequest {
        Extensions.required(method, "request method");
        Extensions.required(url, "request url");
        Extensions.required(httpVersion, "request httpVersion");
        cookies = List.copyOf(Objects.requireNonNull(cookies, "request cookies"));
        headers = List.copyOf(Objects.requireNonNull(headers, "request headers"));
        queryString = List.copyOf(Objects.requireNonNull(queryString, "request queryString"));
        extensions = Extensions.freeze(extensions, MEMBERS, "a request");
    }

    /** A builder for a request with this method and URL; see {@link Builder} for defaults. */
    public static Builder builder(String method, String url) {
        return new Builder().method(method).url(url);
    }

    /** A builder holding every member of this request. */
    public Builder toBuilder() {
        Builder b = new Builder().method(method).url(url).httpVersion(httpVersion)
                .cookies(cookies).headers(headers).queryString(queryString).postData(postData)
                .headersSize(headersSize).bodySize(bodySize).comment(comment);
        b.extensions.putAll(extensions);
        return b;
    }

    /** The value of the first header with this name, ignoring case. */
    public Optional<String> firstHeader(String name) {
        return HarResponse.firstHeader(headers, name);
    }

    /**
     * Builds a {@link HarRequest}. Defaults: {@code httpVersion} "HTTP/1.1", empty lists, no
     * postData, sizes {@code -1}, no comment, no extensions. List setters replace, {@code add...}
     * and {@code header}/{@code queryParam} append.
     */
    public static final class Builder {
        private String method;
        private String url;
        private String httpVersion = "HTTP/1.1";
        private final List<HarCookie> cookies = new ArrayList<>();
        private final List<HarHeader> headers = new ArrayList<>();
        private final List<HarHeader> queryString = new ArrayList<>();
        private HarPostData postData;
        private long headersSize = -1;
        private long bodySize = -1;
        private String comment;
        private final Map<String, JsonNode> extensions = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the method. */
        public Builder method(String value) {
            this.method = value;
            return this;
        }

        /** Sets the absolute URL. */
        public Builder url(String value) {
            this.url = value;
            return this;
        }

        /** Sets the protocol version string. */
        public Builder httpVersion(String value) {
            this.httpVersion = value;
            return this;
        }

        /** Replaces the cookies. */
        public Builder cookies(List<HarCookie> values) {
            cookies.clear();
            cookies.addAll(values);
            return this;
        }

        /** Appends a cookie. */
        public Builder addCookie(HarCookie value) {
            cookies.add(Objects.requireNonNull(value));
            return this;
        }

        /** Replaces the headers. */
        public Builder headers(List<HarHeader> values) {
            headers.clear();
            headers.addAll(values);
            return this;
        }

        /** Appends a header. */
        public Builder header(String name, String value) {
            headers.add(HarHeader.of(name, value));
            return this;
        }

        /** Replaces the query parameters. */
        public Builder queryString(List<HarHeader> values) {
            queryString.clear();
            queryString.addAll(values);
            return this;
        }

        /** Appends a query parameter. */
        public Builder queryParam(String name, String value) {
            queryString.add(HarHeader.of(name, value));
            return this;
        }

        /** Sets the body, {@code null} for none. */
        public Builder postData(HarPostData value) {
            this.postData = value;
            return this;
        }

        /** Sets the header size in bytes, {@code -1} when unknown. */
        public Builder headersSize(long value) {
            this.headersSize = value;
            return this;
        }

        /** Sets the body size in bytes, {@code -1} when unknown. */
        public Builder bodySize(long value) {
            this.bodySize = value;
            return this;
        }

        /** Sets the comment, {@code null} for none. */
        public Builder comment(String value) {
            this.comment = value;
            return this;
        }

        /** Adds or replaces an extension member; use a name starting with {@code _}. */
        public Builder extension(String name, JsonNode value) {
            extensions.put(name, value);
            return this;
        }

        /** Replaces all extension members, keeping the map's order. */
        public Builder extensions(Map<String, JsonNode> values) {
            extensions.clear();
            extensions.putAll(values);
            return this;
        }

        /** The request; fails when method or URL is missing. */
        public HarRequest build() {
            return new HarRequest(method, url, httpVersion, cookies, headers, queryString,
                    postData, headersSize, bodySize, comment, extensions);
        }
    }
}
