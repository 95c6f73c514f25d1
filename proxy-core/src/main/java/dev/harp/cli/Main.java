package dev.harp.cli;

import dev.harp.proxy.IoWarmUp;
import dev.harp.redaction.Redaction;
import picocli.CommandLine;

/**
 * The command line: {@code java -jar harp.jar [options]}. See {@link HarpCommand} for the options, and
 * {@link Subcommands} for {@code harp report|prune|diff ...}.
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
        // SLF4J set up here, once: threads that log while it initializes make it print a 'replayed' warning
        org.slf4j.LoggerFactory.getILoggerFactory();
        if (startsProxy(args)) {
            XnioMBeans.decline(); // put back once the proxy has started (HarpCommand)
            IoWarmUp.start(); // XNIO's start overlaps with the options' parsing and the CA's loading
        }
        int status;
        try {
            status = run(args);
        } catch (Throwable e) { // an Error (e.g. out of memory reading a HAR): one line, no trace, and never a hang
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
        if (Subcommands.isSubcommand(args)) {
            return false;
        }
        for (String arg : args) {
            if (ONE_SHOT.contains(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg)) {
                return false;
            }
        }
        return true;
    }

    /** Runs without exiting the JVM (for tests); returns the exit status or {@link HarpCommand#KEEP_RUNNING}. */
    static int run(String... args) {
        if (Subcommands.isSubcommand(args)) {
            return Subcommands.run(args);
        }
        if (Flags.asksForHelpOrVersion(args)) {
            return helpOrVersion(args);
        }
        HarpCommand command = new HarpCommand();
        try {
            Flags.parse(args, command);
        } catch (Flags.UsageException e) {
            System.err.println("harp: " + e.getMessage());
            System.err.println("Try 'java -jar harp.jar --help' for the options.");
            System.err.flush();
            return 2;
        }
        try {
            return command.call();
        } catch (Exception e) {
            System.err.println("harp: " + oneLine(e));
            System.err.flush();
            return 2;
        }
    }

    /** {@code --help} and {@code --version}, rendered by picocli from {@link HarpCommand}'s annotations. */
    private static int helpOrVersion(String[] args) {
        CommandLine cli = new CommandLine(new HarpCommand())
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
