package dev.harp.har;

import java.io.IOException;

/**
 * A HAR file could not be read: it is not JSON, is cut short, has no {@code log} object, its
 * {@code entries} is not an array, or it could not be read from disk at all.
 *
 * <p>The message reads like a compiler error, {@code file:line:column: problem}, e.g.
 * {@code broken.har:1:52: unexpected end of input inside an entry (log.entries[0].request)}. When
 * there is no position (the file could not be opened) line and column are 0 and the message is
 * {@code file: problem}. The underlying Jackson or I/O exception is the cause.
 */
public final class HarFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** File or source name. */
    private final String file;
    /** 1-based line, 0 when unknown. */
    private final int line;
    /** 1-based column, 0 when unknown. */
    private final int column;
    /** The problem without position. */
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param file the file or source name as given to the reader
     * @param line 1-based line, 0 when unknown
     * @param column 1-based column (bytes for UTF-8 input), 0 when unknown
     * @param problem what is wrong, in plain words, without the position
     * @param cause the underlying exception, may be {@code null}
     */
    public HarFormatException(String file, int line, int column, String problem, Throwable cause) {
        super(format(file, line, column, problem), cause);
        this.file = file;
        this.line = Math.max(line, 0);
        this.column = Math.max(column, 0);
        this.problem = problem;
    }

    /** The file or source name given to the reader. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem, 0 when unknown. */
    public int column() {
        return column;
    }

    /** The problem without the file and position prefix. */
    public String problem() {
        return problem;
    }

    private static String format(String file, int line, int column, String problem) {
        if (line <= 0) {
            return file + ": " + problem;
        }
        return file + ":" + line + ":" + Math.max(column, 1) + ": " + problem;
    }
}
