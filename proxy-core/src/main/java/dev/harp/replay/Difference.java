package dev.harp.replay;

import java.util.Objects;
import java.util.Optional;

/**
 * One way in which a live request differs from a recorded one, for people to read, with the option that would
 * remove the difference when there is one.
 */
public final class Difference {

    /** The part of the request that differs. */
    public enum Aspect {
        /** The HTTP method. */
        METHOD,
        /** The URL scheme. */
        SCHEME,
        /** The host. */
        HOST,
        /** The port. */
        PORT,
        /** The path. */
        PATH,
        /** A query parameter. */
        QUERY,
        /** A header named in {@link MatchOptions#matchHeaders()}. */
        HEADER,
        /** The body. */
        BODY
    }

    private final Aspect aspect;
    private final String description;
    private final Suggestion suggestion;

    Difference(Aspect aspect, String description, Suggestion suggestion) {
        this.aspect = Objects.requireNonNull(aspect, "aspect");
        this.description = Objects.requireNonNull(description, "description");
        this.suggestion = suggestion;
    }

    /** @return the part that differs */
    public Aspect aspect() {
        return aspect;
    }

    /** @return e.g. {@code query parameter "page": live "2", recorded "1"} */
    public String description() {
        return description;
    }

    /** @return the option that would make this difference go away, if any */
    public Optional<Suggestion> suggestion() {
        return Optional.ofNullable(suggestion);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Difference other && aspect == other.aspect && description.equals(other.description)
                && Objects.equals(suggestion, other.suggestion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aspect, description, suggestion);
    }

    @Override
    public String toString() {
        return suggestion == null ? description : description + " (" + suggestion + ")";
    }
}
