package dev.harp.replay;

import java.util.Objects;

/**
 * An entry of a HAR that replay skips, and why, in the words of replay's own log line: what {@link HarReplay} decides
 * when it loads the HAR, reported without loading it (see {@link HarReplay#skippedEntries}). Fixture lint reports
 * these.
 *
 * @param index   index of the entry in {@code log.entries}, from 0
 * @param cause   the kind of problem
 * @param message what is wrong, in one line, e.g. {@code a failed request (status 0)} or
 *                {@code the response body (content.text) is not valid base64: ...}
 */
public record SkippedEntry(int index, Cause cause, String message) {
    /** The kinds of problems that make replay skip an entry. */
    public enum Cause {
        /** The entry can never be served whatever its bodies hold: a failed request, a CONNECT record, an upgrade. */
        NEVER_SERVED,
        /** A body that cannot be decoded: bad base64, or more than the capture limit once read or decompressed. */
        UNDECODABLE_BODY,
        /** A side file ({@code _file}) that is missing, outside the HAR's folder, or not a regular file. */
        SIDE_FILE,
        /** A request or response replay cannot use otherwise. */
        UNUSABLE
    }

    /** Checks the parts. */
    public SkippedEntry {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
    }

    /** The cause of a reason replay gives; the single mapping from replay's reasons to these causes. */
    static Cause causeOf(Unreplayable.Reason reason) {
        return switch (reason) {
            case FAILED_REQUEST, CONNECT, UPGRADE, NOT_HTTP -> Cause.NEVER_SERVED;
            case BAD_BASE64, TOO_LARGE -> Cause.UNDECODABLE_BODY;
            case SIDE_FILE -> Cause.SIDE_FILE;
            case UNUSABLE -> Cause.UNUSABLE;
        };
    }
}
