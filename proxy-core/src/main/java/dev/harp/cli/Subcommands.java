package dev.harp.cli;

import picocli.CommandLine;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The command line's one-shot commands that work on fixtures rather than start a proxy: {@code harp report},
 * {@code harp prune}, {@code harp diff OLD NEW}. Each is a picocli command of its own (its {@code --help} included);
 * it returns its exit status: 0 done, 1 a finding the user asked to fail on, 2 bad input.
 */
final class Subcommands {
    /**
     * The names alone: every start of the proxy asks whether its first argument is one, and must not pay for loading
     * the commands (their classes, picocli's, the method references' lambda classes) to learn that it is not.
     */
    private static final Set<String> NAMES = Set.of("diff", "prune", "report");

    private Subcommands() {
    }

    /** Name to command, made on the first subcommand run; {@code call()} returns the exit status. */
    private static final class Commands {
        static final Map<String, Supplier<Callable<Integer>>> ALL = Map.of(
                "diff", DiffCommand::new,
                "prune", PruneCommand::new,
                "report", ReportCommand::new
        );
    }

    /** @return whether the arguments name a subcommand first */
    static boolean isSubcommand(String[] args) {
        return args.length > 0 && NAMES.contains(args[0]);
    }

    /** @return the subcommands' names, for {@code --help} */
    static java.util.Set<String> names() {
        return new java.util.TreeSet<>(NAMES);
    }

    /**
     * Runs the subcommand named first.
     *
     * @param args the whole command line, the subcommand's name first
     * @return its exit status
     */
    static int run(String[] args) {
        Callable<Integer> command = Commands.ALL.get(args[0]).get();
        CommandLine cli = new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("harp " + args[0] + ": " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'harp " + args[0] + " --help' for its options.");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, c, p) -> {
            c.getErr().println("harp " + args[0] + ": " + Main.oneLine(ex));
            return 2;
        });
        return cli.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
