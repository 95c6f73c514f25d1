package dev.harp.flow;

import java.util.Objects;

/**
 * One header line as seen on the wire: the name keeps its case, several headers may share a name.
 *
 * @param name  the header name, as sent
 * @param value the header value
 */
public record HttpHeader(String name, String value) {
    /** Validates that neither part is null. */
    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** Whether this header has the given name, ignoring case. */
    public boolean is(String otherName) {
        return name.equalsIgnoreCase(otherName);
    }
}
