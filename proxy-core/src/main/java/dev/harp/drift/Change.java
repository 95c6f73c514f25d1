package dev.harp.drift;

import java.util.Objects;

/**
 * One difference between the recorded responses to one request.
 *
 * @param severity how much it matters: {@link Severity#BREAKING} always counts as drift, {@link Severity#CHANGED}
 *                 only when value changes are asked for ({@link DriftOptions#values()})
 * @param kind     what changed
 * @param where    {@code status}, {@code header Content-Type}, a JSON path such as {@code $.items[0].price}, or
 *                 {@code body}
 * @param before   the old value, shortened and with secret shapes hidden; {@code (absent)} when there was none
 * @param after    the new value, likewise
 */
public record Change(Severity severity, Kind kind, String where, String before, String after) {

    /** Shown for a side that has no value. */
    public static final String ABSENT = "(absent)";

    /** How much a change matters. */
    public enum Severity {
        /** The shape changed: status, media type, redirect target, cookie names, a header or a JSON member added or
         *  removed, a JSON type, a body that is JSON on one side only. */
        BREAKING,
        /** Only a value changed: a JSON value, an array's length, a header's value, a non-JSON body. */
        CHANGED
    }

    /** What changed. */
    public enum Kind {
        /** The response status. */
        STATUS,
        /** A header present only in the new recording. */
        HEADER_ADDED,
        /** A header present only in the old recording. */
        HEADER_REMOVED,
        /** A header's value. */
        HEADER_CHANGED,
        /** A JSON object member present only in the new recording. */
        MEMBER_ADDED,
        /** A JSON object member present only in the old recording. */
        MEMBER_REMOVED,
        /** A JSON value's type (object, array, string, number, boolean, null). */
        TYPE_CHANGED,
        /** A JSON scalar's value. */
        VALUE_CHANGED,
        /** A JSON array's number of elements. */
        LENGTH_CHANGED,
        /** A body that is not JSON (text or bytes), or a body that is JSON on one side only. */
        BODY_CHANGED
    }

    /** Checks the parts. */
    public Change {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /** One line: {@code $.items[0].price: type changed, number 12.5 -> string "12.5"}. */
    public String describe() {
        return switch (kind) {
            case MEMBER_ADDED -> where + ": member added (" + after + ")";
            case MEMBER_REMOVED -> where + ": member removed (was " + before + ")";
            case HEADER_ADDED -> where + ": added (" + after + ")";
            case HEADER_REMOVED -> where + ": removed (was " + before + ")";
            case TYPE_CHANGED -> where + ": type changed, " + before + " -> " + after;
            default -> where + ": " + before + " -> " + after;
        };
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + " " + describe();
    }
}
