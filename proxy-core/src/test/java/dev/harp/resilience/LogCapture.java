package dev.harp.resilience;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Captures what is logged while it is open. The tests run with {@code org.jboss.logging.provider=slf4j} (see the
 * surefire configuration), so Undertow's and XNIO's records go through SLF4J like Harp's own, and slf4j-simple
 * resolves {@code System.err} at each call: swapping {@code System.err} for a tee sees every record of both.
 */
final class LogCapture implements AutoCloseable {
    /** A WARN or ERROR record of slf4j-simple, or a stack frame, or an exception named on its own line. */
    private static final Pattern SUSPICIOUS = Pattern.compile("\\b(WARN|ERROR)\\b|^\\s+at |^\\S*(Exception|Error)\\b|^Caused by");

    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private LogCapture() {
        this.original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (copy) {
                    copy.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (copy) {
                    copy.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** Everything written to standard error since {@link #start()}. */
    String text() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /** Lines at WARN or ERROR, stack frames and exception lines. */
    List<String> suspiciousLines() {
        List<String> out = new ArrayList<>();
        for (String line : text().split("\n")) {
            if (SUSPICIOUS.matcher(line).find()) {
                out.add(line);
            }
        }
        return out;
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
