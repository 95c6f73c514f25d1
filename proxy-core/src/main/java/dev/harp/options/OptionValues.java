package dev.harp.options;

import dev.harp.HarpConfig;
import dev.harp.record.Redactor;
import dev.harp.replay.Latency;
import dev.harp.replay.MatchOptions;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values a face collected for the options of the {@link OptionCatalog}, and the one place that turns them into a
 * {@link HarpConfig}: the command line, the JUnit extension and the Maven plugin hand their values here by option
 * name instead of each mapping them onto the builder its own way. An option left unset takes its default in that
 * face ({@link HarpOption#defaultIn(Face)}). Immutable.
 *
 * <pre>{@code
 * OptionValues values = OptionValues.builder(Face.MAVEN)
 *         .set(OptionCatalog.IGNORE_QUERY_PARAMS, List.of("ts"))
 *         .parse("sequence", "reuse-first")
 *         .build();
 * HarpConfig config = values.applyTo(HarpConfig.builder()).har(har).modeResolution(mode).build();
 * }</pre>
 */
public final class OptionValues {
    private final Face face;
    private final Map<HarpOption<?>, Object> values;

    private OptionValues(Builder builder) {
        this.face = builder.face;
        this.values = Map.copyOf(builder.values);
    }

    /**
     * @param face the face collecting the values (decides the defaults and how misses spell options)
     * @return an empty builder
     */
    public static Builder builder(Face face) {
        return new Builder(face);
    }

    /** @return the face the values came from */
    public Face face() {
        return face;
    }

    /**
     * @param option an option
     * @param <T>    its type
     * @return the value set, else the option's default in this face (null: unset)
     */
    @SuppressWarnings("unchecked")
    public <T> T get(HarpOption<T> option) {
        return values.containsKey(option) ? (T) values.get(option) : option.defaultIn(face);
    }

    /**
     * @param option an option
     * @return whether a value was set for it (rather than left to its default)
     */
    public boolean isSet(HarpOption<?> option) {
        return values.containsKey(option);
    }

    /**
     * Sets every proxy option this face exposes on a configuration builder: listening, upstream, TLS, matching,
     * latency, redaction, credentials, limits and timeouts, and the face (for the spelling of miss suggestions). The
     * mode and the HAR file are left to the face, which resolves them against its own environment and folders.
     *
     * @param builder a configuration builder
     * @return the same builder
     * @throws IllegalArgumentException naming the option when a value is out of range or malformed
     */
    public HarpConfig.Builder applyTo(HarpConfig.Builder builder) {
        builder.face(face);
        apply(OptionCatalog.PORT, builder::port);
        apply(OptionCatalog.BIND_ADDRESS, builder::bindAddress);
        apply(OptionCatalog.UPSTREAM, builder::upstream);
        apply(OptionCatalog.CA_DIRECTORY, builder::caDirectory);
        apply(OptionCatalog.INSECURE_UPSTREAM, builder::insecureUpstream);
        apply(OptionCatalog.UPSTREAM_TRUST, text -> builder.upstreamTrust(Path.of(text)));
        apply(OptionCatalog.NO_INTERCEPT, builder::noIntercept);
        builder.matchOptions(matchOptions());
        apply(OptionCatalog.LATENCY, text -> builder.latency(Latency.parse(text)));
        builder.redactor(redactor());
        apply(OptionCatalog.KEEP_VALUES, builder::keepValues);
        apply(OptionCatalog.PROXY_AUTH, builder::proxyAuth);
        apply(OptionCatalog.CAPTURE_LIMIT, builder::captureLimit);
        apply(OptionCatalog.UPSTREAM_CONNECT_TIMEOUT, builder::upstreamConnectTimeout);
        apply(OptionCatalog.UPSTREAM_RESPONSE_TIMEOUT, builder::upstreamResponseTimeout);
        apply(OptionCatalog.IDLE_TIMEOUT, builder::idleTimeout);
        apply(OptionCatalog.REQUEST_TIMEOUT, builder::requestTimeout);
        apply(OptionCatalog.HANDSHAKE_TIMEOUT, builder::handshakeTimeout);
        apply(OptionCatalog.MAX_CONNECTIONS, builder::maxConnections);
        apply(OptionCatalog.MAX_HEADER_SIZE, builder::maxHeaderSize);
        return builder;
    }

    /** @return the matching options (and the face for suggestions) these values give */
    public MatchOptions matchOptions() {
        MatchOptions.Builder b = MatchOptions.builder()
                .ignoreQueryParams(get(OptionCatalog.IGNORE_QUERY_PARAMS))
                .ignoreJsonPaths(get(OptionCatalog.IGNORE_JSON_PATHS))
                .matchHeaders(get(OptionCatalog.MATCH_HEADERS))
                .ignoreBody(get(OptionCatalog.IGNORE_BODY))
                .sequence(get(OptionCatalog.SEQUENCE))
                .face(face);
        for (String alias : get(OptionCatalog.HOST_ALIASES)) {
            b.hostAlias(alias);
        }
        return b.build();
    }

    /** @return the redaction rules these values give ({@code redact}, {@code noRedact}, {@code keepValues}) */
    public Redactor redactor() {
        if (get(OptionCatalog.NO_REDACT)) {
            return Redactor.off();
        }
        List<String> extra = get(OptionCatalog.REDACT);
        Redactor rules = extra.isEmpty() ? Redactor.defaults() : Redactor.withExtraNames(new HashSet<>(extra));
        return rules.keepingValues(get(OptionCatalog.KEEP_VALUES));
    }

    private <T> void apply(HarpOption<T> option, java.util.function.Consumer<T> setter) {
        if (!option.faces().contains(face)) {
            return;
        }
        T value = get(option);
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option.spell(face, option.format(value)) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return face + " " + values;
    }

    /** Collects values, typed or as text; the last value set for an option wins. */
    public static final class Builder {
        private final Face face;
        private final Map<HarpOption<?>, Object> values = new LinkedHashMap<>();

        private Builder(Face face) {
            this.face = Objects.requireNonNull(face, "face");
        }

        /**
         * @param option an option of the catalogue
         * @param value  its value; null leaves it unset (its default in the face applies)
         * @param <T>    its type
         * @return this builder
         */
        public <T> Builder set(HarpOption<T> option, T value) {
            Objects.requireNonNull(option, "option");
            if (value == null) {
                values.remove(option);
            } else {
                values.put(option, value);
            }
            return this;
        }

        /**
         * @param name a catalogue name such as {@code ignoreQueryParams}
         * @param text the value as text ({@code ts,session} for a list); null or blank leaves it unset
         * @return this builder
         * @throws IllegalArgumentException when no option has that name, or the text is not a valid value
         */
        public Builder parse(String name, String text) {
            HarpOption<?> option = OptionCatalog.named(name)
                    .orElseThrow(() -> new IllegalArgumentException("no Harp option is named '" + name + "'"));
            if (text == null || text.isBlank()) {
                values.remove(option);
            } else {
                values.put(option, option.parse(text));
            }
            return this;
        }

        /** @return the immutable values */
        public OptionValues build() {
            return new OptionValues(this);
        }
    }
}
