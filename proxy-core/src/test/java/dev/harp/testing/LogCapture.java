package dev.harp.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Catches what would reach a user's console while it is open: standard error (slf4j-simple's output, and any stack
 * trace printed there) is teed into a buffer, and a handler on the root {@code java.util.logging} logger (where
 * Undertow and XNIO log through jboss-logging when no other backend is found) keeps records at WARNING and above.
 * {@link #problems()} lists the WARN/ERROR lines and stack-trace lines seen.
 */
public final class LogCapture implements AutoCloseable {
    private static final Pattern PROBLEM = Pattern.compile(
            "^\\[[^]]*] (WARN|ERROR) .*|^(WARNING|SEVERE): .*|^\\s+at [\\w$.]+\\(.*|^Caused by: .*|^Exception in thread .*");

    private final PrintStream original;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<String> julRecords = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler handler;

    private LogCapture() {
        original = System.err;
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (buffer) {
                    buffer.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (buffer) {
                    buffer.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (julRecords) {
                        julRecords.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                                + (record.getThrown() == null ? "" : " " + record.getThrown()));
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.WARNING);
        root.addHandler(handler);
        System.setErr(tee);
    }

    /** Starts capturing. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** The WARN/ERROR lines, JUL records at WARNING or above, and stack-trace lines seen so far. */
    public List<String> problems() {
        List<String> found = new ArrayList<>();
        String text;
        synchronized (buffer) {
            text = buffer.toString(StandardCharsets.UTF_8);
        }
        for (String line : text.split("\\R")) {
            if (PROBLEM.matcher(line).matches()) {
                found.add(line);
            }
        }
        synchronized (julRecords) {
            found.addAll(julRecords);
        }
        return found;
    }

    /** Everything written to standard error while capturing. */
    public String stderr() {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** Stops capturing and restores standard error. */
    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
        root.removeHandler(handler);
    }
}
