package dev.harp.drift;

import dev.harp.options.OptionCatalog;
import dev.harp.replay.JsonPath;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link HarDrift} compares and what it ignores. The defaults suit a nightly re-recording: structure changes
 * (status, media type, headers or JSON members added or removed, JSON types) are drift; value changes are counted
 * but not drift unless {@link Builder#values(boolean)} asks; timestamps, dates and redacted values never count.
 * Option names follow Harp's vocabulary: {@code ignoreJsonPaths} and {@code ignoreQueryParams} as on replay,
 * {@code captureLimit} as everywhere.
 *
 * <pre>{@code
 * DriftOptions options = DriftOptions.builder().ignoreJsonPaths("$.meta.build").values(true).build();
 * }</pre>
 * Immutable.
 */
public final class DriftOptions {
    /** The most changes listed for one request; more are counted, not listed. */
    public static final int MAX_CHANGES_PER_REQUEST = 100;

    private final List<String> ignoreJsonPaths;
    private final List<JsonPath> parsedPaths;
    private final Set<String> ignoreHeaders;
    private final Set<String> ignoreQueryParams;
    private final boolean values;
    private final boolean timestamps;
    private final long captureLimit;

    private DriftOptions(Builder b) {
        this.ignoreJsonPaths = List.copyOf(b.ignoreJsonPaths);
        List<JsonPath> parsed = new ArrayList<>();
        for (String path : ignoreJsonPaths) {
            parsed.add(JsonPath.parse(path));
        }
        this.parsedPaths = List.copyOf(parsed);
        this.ignoreHeaders = Set.copyOf(b.ignoreHeaders);
        this.ignoreQueryParams = Set.copyOf(b.ignoreQueryParams);
        this.values = b.values;
        this.timestamps = b.timestamps;
        this.captureLimit = b.captureLimit;
    }

    /** The defaults. */
    public static DriftOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * JSON paths not compared, e.g. {@code $.meta.requestId}: left out of response bodies when they are compared, and
     * of request bodies when requests are paired (as replay leaves them out when it matches).
     */
    public List<String> ignoreJsonPaths() {
        return ignoreJsonPaths;
    }

    List<JsonPath> parsedJsonPaths() {
        return parsedPaths;
    }

    /** More response headers not compared, lower case, beside the volatile ones always ignored. */
    public Set<String> ignoreHeaders() {
        return ignoreHeaders;
    }

    /** Query parameters left out when requests are paired, as replay leaves them out when it matches. */
    public Set<String> ignoreQueryParams() {
        return ignoreQueryParams;
    }

    /** Whether value changes count as drift too (default false: only structure changes do). */
    public boolean values() {
        return values;
    }

    /** Whether timestamps and dates in JSON bodies are compared (default false: they change on every recording). */
    public boolean timestamps() {
        return timestamps;
    }

    /** Body bytes read per side file or decoded per compressed body, as on replay. */
    public long captureLimit() {
        return captureLimit;
    }

    @Override
    public String toString() {
        return "DriftOptions{ignoreJsonPaths=" + ignoreJsonPaths + ", ignoreHeaders=" + ignoreHeaders
                + ", ignoreQueryParams=" + ignoreQueryParams + ", values=" + values + ", timestamps=" + timestamps
                + ", captureLimit=" + captureLimit + "}";
    }

    /** Builds {@link DriftOptions}. */
    public static final class Builder {
        private final Set<String> ignoreJsonPaths = new LinkedHashSet<>();
        private final Set<String> ignoreHeaders = new LinkedHashSet<>();
        private final Set<String> ignoreQueryParams = new LinkedHashSet<>();
        private boolean values;
        private boolean timestamps;
        private long captureLimit = OptionCatalog.CAPTURE_LIMIT.defaultValue();

        private Builder() {
        }

        /** Adds JSON paths not compared ({@code $.a.b}, {@code $.items[*].id}, {@code $['odd key']}). */
        public Builder ignoreJsonPaths(String... paths) {
            return ignoreJsonPaths(List.of(paths));
        }

        /**
         * Adds JSON paths not compared.
         *
         * @throws IllegalArgumentException naming a path that cannot be parsed
         */
        public Builder ignoreJsonPaths(Collection<String> paths) {
            for (String path : paths) {
                JsonPath.parse(path);
                ignoreJsonPaths.add(path.trim());
            }
            return this;
        }

        /** Adds response headers not compared (any case). */
        public Builder ignoreHeaders(String... names) {
            return ignoreHeaders(List.of(names));
        }

        /** Adds response headers not compared (any case). */
        public Builder ignoreHeaders(Collection<String> names) {
            for (String name : names) {
                ignoreHeaders.add(Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Adds query parameters left out when requests are paired. */
        public Builder ignoreQueryParams(Collection<String> names) {
            ignoreQueryParams.addAll(names);
            return this;
        }

        /** Whether value changes count as drift too (default false). */
        public Builder values(boolean values) {
            this.values = values;
            return this;
        }

        /** Whether timestamps and dates in JSON bodies are compared (default false). */
        public Builder timestamps(boolean compare) {
            this.timestamps = compare;
            return this;
        }

        /** Body bytes read per side file or decoded per compressed body (default the capture limit's, 16 MiB). */
        public Builder captureLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("captureLimit must be 0 or more, not " + bytes);
            }
            this.captureLimit = bytes;
            return this;
        }

        /** The options. */
        public DriftOptions build() {
            return new DriftOptions(this);
        }
    }
}
