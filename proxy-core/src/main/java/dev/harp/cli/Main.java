package dev.harp.cli;

import dev.harp.proxy.IoWarmUp;
import dev.harp.redaction.Redaction;
import picocli.CommandLine;

/**
 * The command line: {@code java -jar harp.jar [options]}. See {@link HarpCommand} for the options.
 *
 * <p>Exit status: 0 after a clean stop (SIGTERM, SIGINT), 2 for bad input (a bad flag, a port in use, a malformed
 * HAR, an unreadable CA, a HAR too large for the heap), each with one line naming the culprit.
 */
public final class Main {
    /** Flags that do their job and exit without starting a proxy. */
    private static final java.util.Set<String> ONE_SHOT = java.util.Set.of("-h", "--help", "-V", "--version", "--lint",
            "--scan-secrets", "--export-ca");

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        LoggingDefaults.apply();
        if (startsProxy(args)) {
            IoWarmUp.start(); // XNIO's start overlaps with the options' parsing and the CA's loading
        }
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

    /** Whether the arguments ask for a proxy (rather than help, the version, a lint, a scan or a CA export). */
    private static boolean startsProxy(String[] args) {
        for (String arg : args) {
            if (ONE_SHOT.contains(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg)) {
                return false;
            }
        }
        return true;
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
