package dev.harp.options;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One option of Harp's vocabulary: the camelCase name used by {@code HarpConfig.Builder}, {@code @Harp},
 * {@code HarpExtension.builder()} and the Maven plugin, the command-line flag, the value type, the default, a
 * one-line description, the faces that expose it, and how a value is parsed from text. Immutable.
 *
 * @param <T> the type of a value (a {@code List<String>} for repeatable options)
 */
public final class HarpOption<T> {
    private final String name;
    private final String cliFlag;
    private final Class<?> type;
    private final T defaultValue;
    private final Map<Face, T> faceDefaults;
    private final String doc;
    private final Set<Face> faces;
    private final Function<String, T> parser;

    HarpOption(String name, String cliFlag, Class<?> type, T defaultValue, Map<Face, T> faceDefaults, String doc,
               Set<Face> faces, Function<String, T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.cliFlag = cliFlag;
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.faceDefaults = Map.copyOf(faceDefaults);
        this.doc = Objects.requireNonNull(doc, "doc");
        this.faces = Set.copyOf(EnumSet.copyOf(faces));
        this.parser = Objects.requireNonNull(parser, "parser");
        if (faces.contains(Face.CLI) != (cliFlag != null)) {
            throw new IllegalArgumentException(name + ": a CLI flag exactly when the CLI exposes it");
        }
    }

    /** @return the camelCase name, e.g. {@code ignoreQueryParams} */
    public String name() {
        return name;
    }

    /** @return the command-line flag, e.g. {@code --ignore-query-param}, or null when the CLI lacks the option */
    public String cliFlag() {
        return cliFlag;
    }

    /** @return the value type; {@link List} for repeatable options (of strings) */
    public Class<?> type() {
        return type;
    }

    /** @return whether the option takes several values (repeated flag, array member, list element) */
    public boolean repeatable() {
        return type == List.class;
    }

    /** @return the default (null: unset), the same in every face unless {@link #defaultIn(Face)} says otherwise */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * @param face a face
     * @return the default in that face: {@link #defaultValue()}, except where a face gives the option another
     *         default (JUnit's {@code har}: one file per test; the Maven plugin's {@code port}: any free port)
     */
    public T defaultIn(Face face) {
        return faceDefaults.containsKey(face) ? faceDefaults.get(face) : defaultValue;
    }

    /** @return one line saying what the option does */
    public String doc() {
        return doc;
    }

    /** @return the faces that expose this option */
    public Set<Face> faces() {
        return faces;
    }

    /**
     * @param text a value as written on the command line or in a POM
     * @return the value
     * @throws IllegalArgumentException naming the option when the text is not a valid value
     */
    public T parse(String text) {
        try {
            return parser.apply(Objects.requireNonNull(text, name).trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": not a valid value: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The inverse of {@link #parse(String)}: a value as written on the command line or in a POM ({@code auto},
     * {@code reuse-first}, {@code 10} for ten seconds, {@code a,b} for a list); unset ({@code null}) and an empty
     * string or list are all {@code ""}.
     *
     * @param value a value of this option (or a face's own representation of one: an array, seconds as a number)
     * @return its text
     */
    public String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Object[] array) {
            return format(List.of(array));
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(this::format).toList());
        }
        if (value instanceof dev.harp.Mode mode) {
            return mode.cliName();
        }
        if (value instanceof dev.harp.replay.SequencePolicy policy) {
            return policy.optionValue();
        }
        if (value instanceof java.time.Duration duration) {
            return Long.toString(duration.toSeconds());
        }
        return value.toString();
    }

    /**
     * @param face a face
     * @return {@link #format(Object)} of {@link #defaultIn(Face)}
     */
    public String defaultText(Face face) {
        return format(defaultIn(face));
    }

    /**
     * The option set to one value, spelled as a user of {@code face} writes it: {@code --ignore-query-param ts},
     * {@code ignoreQueryParams = "ts"}, {@code <ignoreQueryParams>ts</ignoreQueryParams>}.
     *
     * @param face  the face in use
     * @param value the value as written on the command line ({@code ts}, {@code true}, {@code reuse-first})
     * @return the spelling
     */
    public String spell(Face face, String value) {
        boolean flag = type == Boolean.class;
        switch (face) {
            case CLI:
                return flag ? cliFlag : cliFlag + " " + value;
            case JUNIT:
                if (flag) {
                    return name + " = " + value;
                }
                if (type.isEnum()) {
                    return name + " = " + type.getSimpleName() + "." + value.toUpperCase(Locale.ROOT).replace('-', '_');
                }
                return name + " = \"" + value + "\"";
            case MAVEN:
                return "<" + name + ">" + value + "</" + name + ">";
            default:
                throw new IllegalArgumentException("face " + face);
        }
    }

    @Override
    public String toString() {
        return name + (cliFlag == null ? "" : " (" + cliFlag + ")");
    }
}
