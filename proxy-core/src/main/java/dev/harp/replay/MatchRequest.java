package dev.harp.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of an HTTP request that replay matching looks at, independent of HAR and of sockets.
 *
 * <p>Instances are immutable. The host is lower-case, the port is always explicit (80 for {@code http}, 443 for
 * {@code https} when not given), the path is kept raw as sent (its percent-escapes are compared without regard to
 * hex case), query parameters are kept raw and in order (they are form-decoded only when compared, so {@code a+b}
 * equals {@code a%20b}), header names keep their spelling but compare case-insensitively, and HTTP/2
 * pseudo-headers ({@code :authority}, ...) are dropped.
 *
 * <pre>{@code
 * MatchRequest get = MatchRequest.of("GET", "https://api.example.com/v1/users?page=2");
 * MatchRequest post = MatchRequest.builder()
 *         .method("POST").scheme("https").host("api.example.com").path("/v1/users")
 *         .header("Content-Type", "application/json")
 *         .body("{\"name\":\"Ada\"}")
 *         .build();
 * }</pre>
 */
public final class MatchRequest {

    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;
    private final List<NameValue> query;
    private final List<NameValue> headers;
    private final byte[] body;

    // Derived once, used by every comparison.
    private final String normalisedPath;
    private final List<NameValue> decodedQuery;

    private MatchRequest(Builder b) {
        if (b.method == null || b.method.isEmpty()) {
            throw new IllegalArgumentException("method is required");
        }
        if (b.scheme == null || b.scheme.isEmpty()) {
            throw new IllegalArgumentException("scheme is required");
        }
        if (b.host == null || b.host.isEmpty()) {
            throw new IllegalArgumentException("host is required");
        }
        this.method = b.method;
        this.scheme = b.scheme.toLowerCase(Locale.ROOT);
        this.host = b.host.toLowerCase(Locale.ROOT);
        this.port = b.port > 0 ? b.port : UrlCodec.defaultPort(scheme);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port is required for scheme '" + scheme + "'");
        }
        this.path = b.path == null || b.path.isEmpty() ? "/" : b.path;
        this.query = List.copyOf(b.query);
        this.headers = b.headers.stream().filter(h -> !h.name().startsWith(":")).toList();
        this.body = b.body.clone();
        this.normalisedPath = UrlCodec.normalisePercentCase(path);
        this.decodedQuery = List.copyOf(UrlCodec.formDecode(query));
    }

    /** A copy with another origin, sharing the immutable parts; used for host aliases. */
    private MatchRequest(MatchRequest source, String scheme, String host, int port) {
        this.method = source.method;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.path = source.path;
        this.query = source.query;
        this.headers = source.headers;
        this.body = source.body;
        this.normalisedPath = source.normalisedPath;
        this.decodedQuery = source.decodedQuery;
    }

    /**
     * Builds a request from an absolute URL; the fragment and any user info are dropped.
     *
     * @param method      the method, e.g. {@code GET} (kept as given; methods compare case-sensitively)
     * @param absoluteUrl e.g. {@code https://api.example.com:8443/v1/items?page=2}
     * @param headers     the headers in order; pseudo-headers are dropped
     * @param body        the body, {@code null} for none
     * @return the request
     * @throws IllegalArgumentException if the URL is not absolute or its port is malformed
     */
    public static MatchRequest of(String method, String absoluteUrl, List<NameValue> headers, byte[] body) {
        UrlCodec.Parts url = UrlCodec.parseAbsoluteUrl(Objects.requireNonNull(absoluteUrl, "absoluteUrl"));
        return builder()
                .method(method)
                .scheme(url.scheme())
                .host(url.host())
                .port(url.port())
                .path(url.path())
                .query(url.query())
                .headers(headers)
                .body(decoded(headers, body))
                .build();
    }

    /** Bound on a request body decoded for matching; the recorder decodes request bodies with the same bound. */
    private static final long MAX_DECODED_BODY = 64L * 1024 * 1024;

    /**
     * A request body sent with {@code Content-Encoding} (gzip, deflate, br) compares decoded, as the recorder stores
     * it (decoded, so redaction can see into it); a body that does not decode compares as sent.
     */
    private static byte[] decoded(List<NameValue> headers, byte[] body) {
        if (body == null || body.length == 0 || headers == null) {
            return body;
        }
        for (NameValue h : headers) {
            if (h.name().equalsIgnoreCase("Content-Encoding")) {
                try {
                    return dev.harp.flow.ContentDecoding.decode(body, h.value(), MAX_DECODED_BODY);
                } catch (java.io.IOException notEncoded) {
                    return body;
                }
            }
        }
        return body;
    }

    /**
     * Builds a body-less, header-less request from an absolute URL.
     *
     * @param method      the method
     * @param absoluteUrl the absolute URL
     * @return the request
     */
    public static MatchRequest of(String method, String absoluteUrl) {
        return of(method, absoluteUrl, List.of(), null);
    }

    /**
     * Splits a raw query string into its parameters, in order and still encoded as sent: {@code a=1&b=x+y&c}
     * gives {@code a=1}, {@code b=x+y}, {@code c=} (empty value).
     *
     * @param rawQuery the text after {@code ?}, without it; {@code null} or empty for none
     * @return the raw parameters, unmodifiable
     */
    public static List<NameValue> parseQuery(String rawQuery) {
        return List.copyOf(UrlCodec.parsePairs(rawQuery));
    }

    /** @return a new, empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this request's values, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder().method(method).scheme(scheme).host(host).port(port).path(path).body(body);
        b.query.addAll(query);
        b.headers.addAll(headers);
        return b;
    }

    /** @return the method as given, e.g. {@code GET} */
    public String method() {
        return method;
    }

    /** @return the lower-case scheme, e.g. {@code https} */
    public String scheme() {
        return scheme;
    }

    /** @return the lower-case host; an IPv6 literal keeps its brackets */
    public String host() {
        return host;
    }

    /** @return the explicit port (the scheme's default when none was given) */
    public int port() {
        return port;
    }

    /** @return the raw path as sent, {@code /} when empty */
    public String path() {
        return path;
    }

    /** @return the query parameters in order, encoded as sent */
    public List<NameValue> query() {
        return query;
    }

    /** @return the raw query string rebuilt from {@link #query()}, empty when there are no parameters */
    public String rawQuery() {
        StringBuilder out = new StringBuilder();
        for (NameValue pair : query) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair.name()).append('=').append(pair.value());
        }
        return out.toString();
    }

    /** @return the headers in order, without pseudo-headers */
    public List<NameValue> headers() {
        return headers;
    }

    /**
     * @param name a header name, any case
     * @return the values of that header in order, empty when absent
     */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>(1);
        for (NameValue h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /**
     * @param name a header name, any case
     * @return the first value of that header
     */
    public Optional<String> header(String name) {
        for (NameValue h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** @return a copy of the body, empty when there is none */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body length in bytes */
    public int bodyLength() {
        return body.length;
    }

    /** @return the URL for people to read: the default port is left out, the query is as sent */
    public String url() {
        boolean defaultPort = port == UrlCodec.defaultPort(scheme);
        String q = rawQuery();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path + (q.isEmpty() ? "" : "?" + q);
    }

    /** This request sent to another origin (scheme, lower-case host, port). */
    MatchRequest withOrigin(String scheme, String host, int port) {
        return new MatchRequest(this, scheme, host, port);
    }

    /** The body without a defensive copy, for comparisons inside this package. */
    byte[] bodyBytes() {
        return body;
    }

    /** The path with upper-case percent-escapes. */
    String normalisedPath() {
        return normalisedPath;
    }

    /** The query parameters after form decoding ({@code +} and {@code %20} are both a space). */
    List<NameValue> decodedQuery() {
        return decodedQuery;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MatchRequest)) {
            return false;
        }
        MatchRequest other = (MatchRequest) o;
        return port == other.port && method.equals(other.method) && scheme.equals(other.scheme)
                && host.equals(other.host) && path.equals(other.path) && query.equals(other.query)
                && headers.equals(other.headers) && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, scheme, host, port, path, query, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return method + " " + url() + (body.length == 0 ? "" : " (" + body.length + "-byte body)");
    }

    /** Collects the parts of a {@link MatchRequest}; {@code method}, {@code scheme} and {@code host} are required. */
    public static final class Builder {
        private String method;
        private String scheme;
        private String host;
        private int port = -1;
        private String path = "/";
        private final List<NameValue> query = new ArrayList<>();
        private final List<NameValue> headers = new ArrayList<>();
        private byte[] body = new byte[0];

        private Builder() {
        }

        /**
         * @param method e.g. {@code GET}; compared case-sensitively
         * @return this builder
         */
        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /**
         * @param scheme e.g. {@code https}
         * @return this builder
         */
        public Builder scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        /**
         * @param host the host, any case
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * @param port the port; 0 or negative means the scheme's default
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param path the raw path as sent
         * @return this builder
         */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * Sets the query from a raw query string.
         *
         * @param rawQuery a raw query string replacing any parameters so far; {@code null} for none
         * @return this builder
         */
        public Builder query(String rawQuery) {
            query.clear();
            query.addAll(UrlCodec.parsePairs(rawQuery));
            return this;
        }

        /**
         * Adds a query parameter, encoded as on the wire ({@code a+b} or {@code a%20b} for "a b").
         *
         * @param name raw (encoded) name
         * @param value raw (encoded) value
         * @return this builder
         */
        public Builder queryParam(String name, String value) {
            query.add(new NameValue(name, value));
            return this;
        }

        /**
         * Adds a header; a pseudo-header (name starting with {@code :}) is dropped at {@link #build()}.
         *
         * @param name header name
         * @param value header value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(new NameValue(name, value));
            return this;
        }

        /**
         * @param headers headers to add in order; {@code null} adds none
         * @return this builder
         */
        public Builder headers(List<NameValue> headers) {
            if (headers != null) {
                this.headers.addAll(headers);
            }
            return this;
        }

        /**
         * @param body the body bytes (copied); {@code null} for none
         * @return this builder
         */
        public Builder body(byte[] body) {
            this.body = body == null ? new byte[0] : body.clone();
            return this;
        }

        /**
         * @param body the body as text, encoded as UTF-8
         * @return this builder
         */
        public Builder body(String body) {
            return body(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @return the immutable request
         * @throws IllegalArgumentException if method, scheme or host is missing, or the port is unknown
         */
        public MatchRequest build() {
            return new MatchRequest(this);
        }
    }
}
