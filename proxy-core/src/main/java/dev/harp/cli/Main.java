package dev.harp.cli;

import dev.harp.redaction.Redaction;
import picocli.CommandLine;

/**
 * The command line: {@code java -jar harp.jar [options]}. See {@link HarpCommand} for the options.
 *
 * <p>Exit status: 0 after a clean stop (SIGTERM, SIGINT), 2 for bad input (a bad flag, a port in use, a malformed
 * HAR, an unreadable CA, a HAR too large for the heap), each with one line naming the culprit.
 */
public final class Main {
    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        LoggingDefaults.apply();
        int status;
        try {
            status = run(args);
        } catch (Throwable e) { // an Error escapes picocli's handlers: one line, no trace, and never a hang
            System.err.println("harp: " + oneLine(e));
            System.err.flush();
            status = 2;
        }
        if (status != HarpCommand.KEEP_RUNNING) {
            System.exit(status);
        }
    }

    /** Runs without exiting the JVM (for tests); returns the exit status or {@link HarpCommand#KEEP_RUNNING}. */
    static int run(String... args) {
        HarpCommand command = new HarpCommand();
        CommandLine cli = new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("harp: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'java -jar harp.jar --help' for the options.");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("harp: " + oneLine(ex));
            return 2;
        });
        return cli.execute(args);
    }

    /**
     * A failure's message, first line only, or its type when it has none; secrets in it redacted (a JSON parser
     * quotes the token it choked on, which may be a credential from the HAR).
     */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getName();
        }
        return Redaction.forLogText(message.lines().findFirst().orElse(message));
    }
}
