package dev.harp.cli;

import picocli.CommandLine;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The command line's one-shot commands that work on fixtures rather than start a proxy: {@code harp report},
 * {@code harp prune}, {@code harp diff OLD NEW}. Each is a picocli command of its own (its {@code --help} included);
 * it returns its exit status: 0 done, 1 a finding the user asked to fail on, 2 bad input.
 */
final class Subcommands {
    /** Name to command; each command is a picocli {@code @Command} whose {@code call()} returns the exit status. */
    private static final Map<String, Supplier<Callable<Integer>>> COMMANDS = Map.of(
            "diff", DiffCommand::new,
            "prune", PruneCommand::new,
            "report", ReportCommand::new
    );

    private Subcommands() {
    }

    /** @return whether the arguments name a subcommand first */
    static boolean isSubcommand(String[] args) {
        return args.length > 0 && COMMANDS.containsKey(args[0]);
    }

    /** @return the subcommands' names, for {@code --help} */
    static java.util.Set<String> names() {
        return new java.util.TreeSet<>(COMMANDS.keySet());
    }

    /**
     * Runs the subcommand named first.
     *
     * @param args the whole command line, the subcommand's name first
     * @return its exit status
     */
    static int run(String[] args) {
        Callable<Integer> command = COMMANDS.get(args[0]).get();
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
