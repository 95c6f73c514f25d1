package dev.harp.replay;

import java.util.Objects;

/**
 * One name/value pair of a request: a header, a query parameter or a form field.
 *
 * <p>Pairs keep their order and their spelling exactly as given; how they are compared (header names
 * case-insensitively, query parameters after form decoding, ...) is decided by the matcher, not here.
 *
 * @param name  the name, never {@code null}
 * @param value the value, never {@code null} (an absent value is the empty string)
 */
public record NameValue(String name, String value) {

    /**
     * Checks that neither part is {@code null}.
     *
     * @param name the name
     * @param value the value
     */
    public NameValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Shorthand for {@code new NameValue(name, value)}.
     *
     * @param name  the name
     * @param value the value
     * @return the pair
     */
    public static NameValue of(String name, String value) {
        return new NameValue(name, value);
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
