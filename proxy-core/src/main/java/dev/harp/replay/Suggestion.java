package dev.harp.replay;

import dev.harp.options.Face;
import dev.harp.options.HarpOption;
import dev.harp.options.OptionCatalog;

import java.util.Objects;

/**
 * An option that would make a near miss match: one {@link OptionCatalog} option and a value, spelled for the face in
 * use ({@link #in(Face)}), or for the command line and the Java builders at once ({@link #toString()}). Immutable.
 */
public final class Suggestion {
    private final HarpOption<?> option;
    private final String value;
    private final boolean drop;
    private final String java;

    private Suggestion(HarpOption<?> option, String value, boolean drop, String java) {
        this.option = Objects.requireNonNull(option, "option");
        this.value = Objects.requireNonNull(value, "value");
        this.drop = drop;
        this.java = Objects.requireNonNull(java, "java");
    }

    static Suggestion ignoreQueryParam(String name) {
        return new Suggestion(OptionCatalog.IGNORE_QUERY_PARAMS, name, false, "ignoreQueryParams(\"" + name + "\")");
    }

    static Suggestion ignoreJsonPath(String path) {
        return new Suggestion(OptionCatalog.IGNORE_JSON_PATHS, path, false, "ignoreJsonPaths(\"" + path + "\")");
    }

    static Suggestion ignoreBody() {
        return new Suggestion(OptionCatalog.IGNORE_BODY, "true", false, "ignoreBody(true)");
    }

    static Suggestion hostAlias(String alias, String recorded) {
        return new Suggestion(OptionCatalog.HOST_ALIASES, alias + "=" + recorded, false,
                "hostAlias(\"" + alias + "\", \"" + recorded + "\")");
    }

    static Suggestion stopMatchingHeader(String name) {
        return new Suggestion(OptionCatalog.MATCH_HEADERS, name, true, "remove \"" + name + "\" from matchHeaders");
    }

    static Suggestion repeatingSequence() {
        return new Suggestion(OptionCatalog.SEQUENCE, "sequence", false, "sequence(SequencePolicy.SEQUENCE)");
    }

    /** @return the option to set (or, for {@link #drop()}, to take a value out of) */
    public HarpOption<?> option() {
        return option;
    }

    /** @return the value, as written on the command line, e.g. {@code page} or {@code true} */
    public String value() {
        return value;
    }

    /** @return whether the value is to be taken out of the option ({@code matchHeaders}) rather than added */
    public boolean drop() {
        return drop;
    }

    /** @return the command-line spelling, e.g. {@code --ignore-query-param page} */
    public String cli() {
        return in(Face.CLI);
    }

    /** @return the spelling of the Java builders ({@code MatchOptions}, {@code HarpExtension}), e.g. {@code ignoreQueryParams("page")} */
    public String java() {
        return java;
    }

    /**
     * @param face the face in use
     * @return the suggestion as that face writes it: {@code --ignore-query-param ts},
     *         {@code ignoreQueryParams = "ts"}, {@code <ignoreQueryParams>ts</ignoreQueryParams>}
     */
    public String in(Face face) {
        if (!drop) {
            return option.spell(face, value);
        }
        return switch (face) {
            case CLI -> "drop " + option.spell(face, value);
            case JUNIT -> "remove \"" + value + "\" from " + option.name();
            case MAVEN -> "remove " + option.spell(face, value);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Suggestion s && s.option == option && s.value.equals(value) && s.drop == drop;
    }

    @Override
    public int hashCode() {
        return Objects.hash(option.name(), value, drop);
    }

    /** @return both spellings, e.g. {@code --ignore-body / ignoreBody(true)} */
    @Override
    public String toString() {
        return cli() + " / " + java;
    }
}
