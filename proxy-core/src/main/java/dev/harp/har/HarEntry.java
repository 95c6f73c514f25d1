package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One recorded exchange ({@code log.entries[]}). Build one with {@link #builder()} or change a
 * copy with {@link #toBuilder()}.
 *
 * @param pageref optional id of the {@link HarPage} this entry belongs to, {@code null} when absent
 * @param startedDateTime when the request started, kept verbatim as written (see
 *     {@link #startedInstant()} for the parsed value)
 * @param time total milliseconds, fractions allowed; tools write {@code -1} for failed requests
 * @param request the request
 * @param response the response
 * @param cache cache state, usually {@link HarCache#empty()}
 * @param timings the phases of {@code time}
 * @param serverIPAddress optional server address (Chrome writes {@code ""} for failures),
 *     {@code null} when absent
 * @param connection optional connection id or client port, {@code null} when absent
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. {@code _initiator},
 *     {@code _webSocketMessages}), in order
 */
public record HarEntry(String pageref, String startedDateTime, double time, HarRequest request,
        HarResponse response, HarCache cache, HarTimings timings, String serverIPAddress,
        String connection, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("pageref", "startedDateTime", "time", "request",
            "response", "cache", "timings", "serverIPAddress", "connection", "comment");

    /** Checks the required members and freezes the extensions. */
    public HarEntry {
        Extensions.required(startedDateTime, "entry startedDateTime");
        Extensions.finite(time, "entry time");
        Objects.requireNonNull(request, "entry request is required");
        Objects.requireNonNull(response, "entry response is required");
        Objects.requireNonNull(cache, "entry cache is required (use HarCache.empty())");
        Objects.requireNonNull(timings, "entry timings are required");
        extensions = Extensions.freeze(extensions, MEMBERS, "an entry");
    }

    /**
     * {@link #startedDateTime()} parsed leniently: 0 to 9 fraction digits, {@code Z} or an offset
     * ({@code +01:00}, {@code +0100}), UTC when the zone is missing. Empty when unparsable.
     */
    public Optional<Instant> startedInstant() {
        return HarDates.parse(startedDateTime);
    }

    /**
     * Approximate heap bytes of this entry: its URL, headers and bodies' text (one byte a character, as compact
     * strings hold most of them) and object overheads; measured entries of 1 KiB bodies take about 3 KiB. What the
     * recorder holds and how it groups its writes are bounded by it.
     */
    public long approximateBytes() {
        long bytes = 1024;
        if (request != null) {
            bytes += 2L * request.url().length() + headerBytes(request.headers());
            if (request.postData() != null && request.postData().text() != null) {
                bytes += request.postData().text().length();
            }
        }
        if (response != null) {
            bytes += headerBytes(response.headers());
            if (response.content() != null && response.content().text() != null) {
                bytes += response.content().text().length();
            }
        }
        return bytes;
    }

    private static long headerBytes(List<HarHeader> headers) {
        long bytes = 0;
        if (headers != null) {
            for (HarHeader h : headers) {
                bytes += 96 + h.name().length() + (h.value() == null ? 0 : h.value().length());
            }
        }
        return bytes;
    }

    /** A copy with another request. */
    public HarEntry withRequest(HarRequest newRequest) {
        return new HarEntry(pageref, startedDateTime, time, newRequest, response, cache, timings,
                serverIPAddress, connection, comment, extensions);
    }

    /** A copy with another response. */
    public HarEntry withResponse(HarResponse newResponse) {
        return new HarEntry(pageref, startedDateTime, time, request, newResponse, cache, timings,
                serverIPAddress, connection, comment, extensions);
    }

    /** A new builder; see {@link Builder} for defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every member of this entry. */
    public Builder toBuilder() {
        Builder b = new Builder().pageref(pageref).startedDateTime(startedDateTime).time(time)
                .request(request).response(response).cache(cache).timings(timings)
                .serverIPAddress(serverIPAddress).connection(connection).comment(comment);
        b.extensions.putAll(extensions);
        return b;
    }

    /**
     * Builds a {@link HarEntry}. {@code startedDateTime}, {@code request} and {@code response} must
     * be set. Defaults: time 0, cache {@code {}}, timings send/wait/receive 0 with the optional
     * phases absent, no pageref, server address, connection, comment or extensions.
     */
    public static final class Builder {
        private String pageref;
        private String startedDateTime;
        private double time;
        private HarRequest request;
        private HarResponse response;
        private HarCache cache = HarCache.empty();
        private HarTimings timings = HarTimings.of(0, 0, 0);
        private String serverIPAddress;
        private String connection;
        private String comment;
        private final Map<String, JsonNode> extensions = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the page id, {@code null} for none. */
        public Builder pageref(String value) {
            this.pageref = value;
            return this;
        }

        /** Sets the start time verbatim. */
        public Builder startedDateTime(String value) {
            this.startedDateTime = value;
            return this;
        }

        /** Sets the start time as UTC ISO 8601 with milliseconds, e.g. 2024-05-01T10:00:00.123Z. */
        public Builder startedDateTime(Instant value) {
            this.startedDateTime = HarDates.format(value);
            return this;
        }

        /** Sets the total time in milliseconds. */
        public Builder time(double value) {
            this.time = value;
            return this;
        }

        /** Sets the request. */
        public Builder request(HarRequest value) {
            this.request = value;
            return this;
        }

        /** Sets the response. */
        public Builder response(HarResponse value) {
            this.response = value;
            return this;
        }

        /** Sets the cache state. */
        public Builder cache(HarCache value) {
            this.cache = value;
            return this;
        }

        /** Sets the timings. */
        public Builder timings(HarTimings value) {
            this.timings = value;
            return this;
        }

        /** Sets the server IP address, {@code null} for none. */
        public Builder serverIPAddress(String value) {
            this.serverIPAddress = value;
            return this;
        }

        /** Sets the connection id, {@code null} for none. */
        public Builder connection(String value) {
            this.connection = value;
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

        /** The entry; fails when startedDateTime, request or response is missing. */
        public HarEntry build() {
            return new HarEntry(pageref, startedDateTime, time, request, response, cache, timings,
                    serverIPAddress, connection, comment, extensions);
        }
    }
}
