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
 * The response of an entry ({@code entry.response}). Build one with {@link #builder(int)} or
 * change a copy with {@link #toBuilder()}.
 *
 * <p>Status {@code 0} (Chrome, mitmproxy) and {@code -1} (Playwright) mark requests that got no
 * response; they are kept as read and the replayer decides what to do with them.
 *
 * @param status HTTP status code, or 0 / -1 for a failed request
 * @param statusText reason phrase, {@code ""} when none
 * @param httpVersion protocol as recorded
 * @param cookies cookies set, in order
 * @param headers headers received, in order, duplicates kept; they describe the wire body
 *     (Content-Encoding, Content-Length), not the decoded {@link #content()}
 * @param content the decoded body
 * @param redirectURL value of the Location header, {@code ""} when none
 * @param headersSize bytes of the status line and headers, {@code -1} when unknown
 * @param bodySize body bytes received on the wire, {@code -1} when unknown
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. {@code _transferSize}, {@code _error})
 */
public record HarResponse(int status, String statusText, String httpVersion,
        List<HarCookie> cookies, List<HarHeader> headers, HarContent content, String redirectURL,
        long headersSize, long bodySize, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("status", "statusText", "httpVersion", "cookies",
            "headers", "content", "redirectURL", "headersSize", "bodySize", "comment");

    /** Checks the required members, copies the lists and freezes the extensions. */
    public HarResponse {
        Extensions.required(statusText, "response statusText");
        Extensions.required(httpVersion, "response httpVersion");
        cookies = List.copyOf(Objects.requireNonNull(cookies, "response cookies"));
        headers = List.copyOf(Objects.requireNonNull(headers, "response headers"));
        Objects.requireNonNull(content, "response content is required");
        Extensions.required(redirectURL, "response redirectURL");
        extensions = Extensions.freeze(extensions, MEMBERS, "a response");
    }

    /** A builder for a response with this status; see {@link Builder} for defaults. */
    public static Builder builder(int status) {
        return new Builder().status(status);
    }

    /** A builder holding every member of this response. */
    public Builder toBuilder() {
        Builder b = new Builder().status(status).statusText(statusText).httpVersion(httpVersion)
                .cookies(cookies).headers(headers).content(content).redirectURL(redirectURL)
                .headersSize(headersSize).bodySize(bodySize).comment(comment);
        b.extensions.putAll(extensions);
        return b;
    }

    /** The value of the first header with this name, ignoring case. */
    public Optional<String> firstHeader(String name) {
        return firstHeader(headers, name);
    }

    static Optional<String> firstHeader(List<HarHeader> headers, String name) {
        for (HarHeader h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /**
     * Builds a {@link HarResponse}. Defaults: status 200, statusText {@code ""}, httpVersion
     * "HTTP/1.1", empty lists, content {@code {size: 0, mimeType: ""}} without text,
     * redirectURL {@code ""}, sizes {@code -1}, no comment, no extensions.
     */
    public static final class Builder {
        private int status = 200;
        private String statusText = "";
        private String httpVersion = "HTTP/1.1";
        private final List<HarCookie> cookies = new ArrayList<>();
        private final List<HarHeader> headers = new ArrayList<>();
        private HarContent content = HarContent.none("");
        private String redirectURL = "";
        private long headersSize = -1;
        private long bodySize = -1;
        private String comment;
        private final Map<String, JsonNode> extensions = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the status code. */
        public Builder status(int value) {
            this.status = value;
            return this;
        }

        /** Sets the reason phrase. */
        public Builder statusText(String value) {
            this.statusText = value;
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

        /** Sets the body. */
        public Builder content(HarContent value) {
            this.content = value;
            return this;
        }

        /** Sets the Location target, {@code ""} for none. */
        public Builder redirectURL(String value) {
            this.redirectURL = value;
            return this;
        }

        /** Sets the header size in bytes, {@code -1} when unknown. */
        public Builder headersSize(long value) {
            this.headersSize = value;
            return this;
        }

        /** Sets the wire body size in bytes, {@code -1} when unknown. */
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

        /** The response. */
        public HarResponse build() {
            return new HarResponse(status, statusText, httpVersion, cookies, headers, content,
                    redirectURL, headersSize, bodySize, comment, extensions);
        }
    }
}
