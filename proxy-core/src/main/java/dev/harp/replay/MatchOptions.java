package dev.harp.replay;

import dev.harp.options.Face;
import dev.harp.redaction.Redaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How strictly replay matches a live request against the recorded ones. Immutable; build with {@link #builder()}.
 *
 * <p>By default a request matches a recorded one when method, scheme, host, port, path, the query parameters (as a
 * multiset: order does not matter, repetitions do) and the body are equal; bodies are equal as bytes, as JSON, as
 * form fields or part by part for multipart. Headers are not compared. A recorded value
 * {@value Redaction#REDACTED} matches any live value.
 *
 * <p>The option names are Harp's public vocabulary; each has the same name in the JUnit annotation and the Maven
 * plugin, and a command-line flag:
 * <table>
 *   <caption>Match options</caption>
 *   <tr><th>Java / JUnit / Maven</th><th>CLI</th><th>meaning</th></tr>
 *   <tr><td>{@code ignoreQueryParams}</td><td>{@code --ignore-query-param NAME}</td>
 *       <td>query parameters left out of the comparison (cache-busters, timestamps, nonces)</td></tr>
 *   <tr><td>{@code ignoreJsonPaths}</td><td>{@code --ignore-json-path PATH}</td>
 *       <td>parts of JSON bodies left out, e.g. {@code $.timestamp}, {@code $.items[*].id}</td></tr>
 *   <tr><td>{@code matchHeaders}</td><td>{@code --match-header NAME}</td>
 *       <td>headers that must also be equal (none by default)</td></tr>
 *   <tr><td>{@code ignoreBody}</td><td>{@code --ignore-body}</td><td>request bodies are not compared at all</td></tr>
 *   <tr><td>{@code hostAliases}</td><td>{@code --host-alias ALIAS=RECORDED}</td>
 *       <td>live {@code host[:port]} answered from entries recorded for another origin</td></tr>
 *   <tr><td>{@code sequence}</td><td>{@code --sequence sequence|reuse-first|fail-after-last}</td>
 *       <td>{@link SequencePolicy} for repeated identical requests</td></tr>
 * </table>
 *
 * <p>Options only ever widen what matches, except {@code matchHeaders} (narrows) and
 * {@link SequencePolicy#FAIL_AFTER_LAST}.
 */
public final class MatchOptions {

    private static final MatchOptions DEFAULTS = builder().build();

    private final Set<String> ignoreQueryParams;
    private final Set<String> ignoreJsonPaths;
    private final Set<String> matchHeaders;
    private final boolean ignoreBody;
    private final Map<String, String> hostAliases;
    private final SequencePolicy sequence;
    private final Face face;

    private final List<JsonPath> parsedJsonPaths;
    private final HostAliases parsedHostAliases;

    private MatchOptions(Builder b) {
        this.ignoreQueryParams = Collections.unmodifiableSet(new LinkedHashSet<>(b.ignoreQueryParams));
        this.ignoreJsonPaths = Collections.unmodifiableSet(new LinkedHashSet<>(b.ignoreJsonPaths));
        this.matchHeaders = Collections.unmodifiableSet(new LinkedHashSet<>(b.matchHeaders));
        this.ignoreBody = b.ignoreBody;
        this.hostAliases = Collections.unmodifiableMap(new LinkedHashMap<>(b.hostAliases));
        this.sequence = b.sequence;
        this.face = b.face;
        List<JsonPath> paths = new ArrayList<>();
        for (String path : ignoreJsonPaths) {
            paths.add(JsonPath.parse(path));
        }
        this.parsedJsonPaths = List.copyOf(paths);
        this.parsedHostAliases = HostAliases.parse(hostAliases);
    }

    /** @return the defaults: everything but headers compared, {@link SequencePolicy#SEQUENCE} */
    public static MatchOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options, to derive changed options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ignoreQueryParams.addAll(ignoreQueryParams);
        b.ignoreJsonPaths.addAll(ignoreJsonPaths);
        b.matchHeaders.addAll(matchHeaders);
        b.hostAliases.putAll(hostAliases);
        return b.ignoreBody(ignoreBody).sequence(sequence).face(face);
    }

    /** @return names of query parameters left out of the comparison (exact, case-sensitive names) */
    public Set<String> ignoreQueryParams() {
        return ignoreQueryParams;
    }

    /** @return JSON paths removed from both JSON bodies before they are compared */
    public Set<String> ignoreJsonPaths() {
        return ignoreJsonPaths;
    }

    /** @return lower-case names of the headers that must also be equal */
    public Set<String> matchHeaders() {
        return matchHeaders;
    }

    /** @return whether request bodies are left out of the comparison */
    public boolean ignoreBody() {
        return ignoreBody;
    }

    /** @return alias {@code host[:port]} to recorded {@code [scheme://]host[:port]}, in the order given */
    public Map<String, String> hostAliases() {
        return hostAliases;
    }

    /** @return what repeated identical requests get */
    public SequencePolicy sequence() {
        return sequence;
    }

    /**
     * @return the face whose spelling misses use to suggest options ({@code --ignore-query-param ts} on the command
     *         line, {@code ignoreQueryParams = "ts"} in JUnit); empty: the command line's and the builders' together
     */
    public Optional<Face> face() {
        return Optional.ofNullable(face);
    }

    List<JsonPath> parsedJsonPaths() {
        return parsedJsonPaths;
    }

    HostAliases parsedHostAliases() {
        return parsedHostAliases;
    }

    /** Equal when they match the same requests; the {@link #face()} of suggestions is not compared. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MatchOptions)) {
            return false;
        }
        MatchOptions other = (MatchOptions) o;
        return ignoreBody == other.ignoreBody && ignoreQueryParams.equals(other.ignoreQueryParams)
                && ignoreJsonPaths.equals(other.ignoreJsonPaths) && matchHeaders.equals(other.matchHeaders)
                && hostAliases.equals(other.hostAliases) && sequence == other.sequence;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ignoreQueryParams, ignoreJsonPaths, matchHeaders, ignoreBody, hostAliases, sequence);
    }

    @Override
    public String toString() {
        return "MatchOptions[ignoreQueryParams=" + ignoreQueryParams + ", ignoreJsonPaths=" + ignoreJsonPaths
                + ", matchHeaders=" + matchHeaders + ", ignoreBody=" + ignoreBody + ", hostAliases=" + hostAliases
                + ", sequence=" + sequence.optionValue() + "]";
    }

    /** Collects options; the collection methods add to what was given before. */
    public static final class Builder {
        private final Set<String> ignoreQueryParams = new LinkedHashSet<>();
        private final Set<String> ignoreJsonPaths = new LinkedHashSet<>();
        private final Set<String> matchHeaders = new LinkedHashSet<>();
        private boolean ignoreBody;
        private final Map<String, String> hostAliases = new LinkedHashMap<>();
        private SequencePolicy sequence = SequencePolicy.SEQUENCE;
        private Face face;

        private Builder() {
        }

        /**
         * @param names query parameter names to leave out, e.g. {@code "_"}, {@code "timestamp"}
         * @return this builder
         */
        public Builder ignoreQueryParams(String... names) {
            return ignoreQueryParams(Arrays.asList(names));
        }

        /**
         * @param names query parameter names to leave out
         * @return this builder
         */
        public Builder ignoreQueryParams(Collection<String> names) {
            names.forEach(name -> ignoreQueryParams.add(requireText(name, "ignoreQueryParams")));
            return this;
        }

        /**
         * @param paths JSON paths to remove from both bodies, e.g. {@code $.timestamp}, {@code $.items[*].id}
         * @return this builder
         */
        public Builder ignoreJsonPaths(String... paths) {
            return ignoreJsonPaths(Arrays.asList(paths));
        }

        /**
         * @param paths JSON paths to remove from both bodies
         * @return this builder
         */
        public Builder ignoreJsonPaths(Collection<String> paths) {
            paths.forEach(path -> ignoreJsonPaths.add(requireText(path, "ignoreJsonPaths").trim()));
            return this;
        }

        /**
         * @param names headers that must also be equal, any case
         * @return this builder
         */
        public Builder matchHeaders(String... names) {
            return matchHeaders(Arrays.asList(names));
        }

        /**
         * @param names headers that must also be equal, any case
         * @return this builder
         */
        public Builder matchHeaders(Collection<String> names) {
            names.forEach(name -> matchHeaders.add(requireText(name, "matchHeaders").trim().toLowerCase(Locale.ROOT)));
            return this;
        }

        /**
         * @param ignoreBody whether to leave request bodies out of the comparison
         * @return this builder
         */
        public Builder ignoreBody(boolean ignoreBody) {
            this.ignoreBody = ignoreBody;
            return this;
        }

        /**
         * @param alias    the live {@code host} or {@code host:port}, e.g. {@code localhost:9999}
         * @param recorded the recorded {@code [scheme://]host[:port]}, e.g. {@code api.example.com:443}
         * @return this builder
         */
        public Builder hostAlias(String alias, String recorded) {
            hostAliases.put(requireText(alias, "hostAliases").trim().toLowerCase(Locale.ROOT),
                    requireText(recorded, "hostAliases").trim());
            return this;
        }

        /**
         * @param mapping {@code alias=recorded} as given to {@code --host-alias}, e.g.
         *                {@code localhost:9999=api.example.com:443}
         * @return this builder
         */
        public Builder hostAlias(String mapping) {
            int eq = mapping == null ? -1 : mapping.indexOf('=');
            if (eq <= 0 || eq == mapping.length() - 1) {
                throw new IllegalArgumentException("host alias '" + mapping
                        + "' must be ALIAS=RECORDED, e.g. localhost:9999=api.example.com:443");
            }
            return hostAlias(mapping.substring(0, eq), mapping.substring(eq + 1));
        }

        /**
         * @param aliases alias to recorded origin, added to those given before
         * @return this builder
         */
        public Builder hostAliases(Map<String, String> aliases) {
            aliases.forEach(this::hostAlias);
            return this;
        }

        /**
         * @param sequence what repeated identical requests get
         * @return this builder
         */
        public Builder sequence(SequencePolicy sequence) {
            this.sequence = Objects.requireNonNull(sequence, "sequence");
            return this;
        }

        /**
         * @param value the face whose spelling misses use for suggested options; null (default) for the command
         *              line's and the Java builders' together. Does not change what matches.
         * @return this builder
         */
        public Builder face(Face value) {
            this.face = value;
            return this;
        }

        /**
         * @return the immutable options
         * @throws IllegalArgumentException naming a malformed JSON path or host alias
         */
        public MatchOptions build() {
            return new MatchOptions(this);
        }

        private static String requireText(String value, String option) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(option + ": empty value");
            }
            return value;
        }
    }
}
