package dev.harp.lint;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem fixture lint found in a HAR file, described in one line and never with a secret's value.
 *
 * <p>{@link #toString()} is how every face prints it: {@code file: entry #N: what} for a problem of one entry,
 * {@code file:line:col: what} for a parse error with a position, else {@code file: what}.
 *
 * @param file    the HAR file, as the lint reports it (relative to the folder it was asked to report against)
 * @param entry   the entry's number, from 1 ({@code log.entries[0]} is entry #1); 0 for a problem of the whole file
 * @param line    the line of a parse error, from 1; 0 when none
 * @param column  the column of a parse error, from 1; 0 when none
 * @param kind    what kind of problem
 * @param message what is wrong, one line
 */
public record LintFinding(Path file, int entry, int line, int column, Kind kind, String message) {
    /** The kinds of problems, in the order summaries count them. */
    public enum Kind {
        /** The file is not a HAR the reader accepts (not JSON, cut short, no {@code log}), or cannot be read. */
        MALFORMED("malformed file", "malformed files"),
        /** A value the redaction rules would have hidden: a secret committed with the fixture. */
        SECRET("secret", "secrets"),
        /** A body replay cannot decode: bad base64, or over the capture limit once read or decompressed. */
        UNDECODABLE_BODY("undecodable body", "undecodable bodies"),
        /** An entry replay can never serve: a failed request, a protocol upgrade, a CONNECT record, a bad URL. */
        UNSERVABLE_ENTRY("unservable entry", "unservable entries"),
        /** A side file ({@code _file}) that is missing, outside the HAR's folder, or not a regular file. */
        SIDE_FILE("bad side file", "bad side files"),
        /** A HAR found in the folder that is a link to a file outside it; it is not read. */
        OUTSIDE_FOLDER("link out of the folder", "links out of the folder");

        private final String one;
        private final String many;

        Kind(String one, String many) {
            this.one = one;
            this.many = many;
        }

        /** E.g. {@code 1 secret}, {@code 2 malformed files}. */
        public String count(long n) {
            return n + " " + (n == 1 ? one : many);
        }
    }

    /** Checks the parts. */
    public LintFinding {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        if (entry < 0 || line < 0 || column < 0) {
            throw new IllegalArgumentException("entry, line and column must be 0 or more");
        }
        message = message.lines().findFirst().orElse("").strip();
    }

    /** A problem of entry {@code entry} (from 1). */
    public static LintFinding ofEntry(Path file, int entry, Kind kind, String message) {
        if (entry < 1) {
            throw new IllegalArgumentException("entries are numbered from 1, not " + entry);
        }
        return new LintFinding(file, entry, 0, 0, kind, message);
    }

    /** A problem of the whole file, without a position. */
    public static LintFinding ofFile(Path file, Kind kind, String message) {
        return new LintFinding(file, 0, 0, 0, kind, message);
    }

    /** Whether it concerns one entry rather than the whole file. */
    public boolean hasEntry() {
        return entry > 0;
    }

    /** {@code file: entry #N: what}, {@code file:line:col: what} or {@code file: what}. */
    @Override
    public String toString() {
        if (entry > 0) {
            return file + ": entry #" + entry + ": " + message;
        }
        if (line > 0) {
            return file + ":" + line + ":" + Math.max(column, 1) + ": " + message;
        }
        return file + ": " + message;
    }
}
