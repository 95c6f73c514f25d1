package dev.harp.cli;

import dev.harp.prune.PrunePlan;
import dev.harp.prune.PruneResult;
import dev.harp.prune.Pruning;
import dev.harp.usage.BuildFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code harp prune}: after a complete build, removes fixture entries no test used and fixture files no test opened,
 * as the build's usage data says ({@link PrunePlan}). A dry run unless {@code --apply}. Exit status: 0 done (or
 * nothing to do), 1 when {@code --apply} had to refuse a change (a file changed since the build), 2 on bad input.
 */
@Command(name = "harp prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Removes fixture entries no test used and fixture files no test opened, after a complete build "
                + "(usage data under --usage-dir). Prints what it would remove; --apply removes it."})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--usage-dir", paramLabel = "DIR", defaultValue = "target/harp",
            description = "The build's usage folder (default: ${DEFAULT-VALUE}).")
    Path usageDir;

    @Option(names = "--fixtures", paramLabel = "DIR",
            description = "A folder of HAR fixtures; repeat for more (default: src/test/resources/harp, the JUnit "
                    + "extension's fixture folder).")
    List<Path> fixtures = new ArrayList<>();

    @Option(names = "--test-classes", paramLabel = "DIR", arity = "1..*",
            description = "Folders of the compiled test classes, to tell a deleted test class from one that did not "
                    + "run (default: target/test-classes when it exists).")
    List<Path> testClasses;

    @Option(names = "--apply", description = "Remove what the dry run lists (default: only print it).")
    boolean apply;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> folders = fixtures.isEmpty() ? List.of(BuildFolders.FIXTURES) : fixtures;
        PrunePlan plan;
        try {
            plan = Pruning.plan(usageDir, folders, TestClasses.folders(testClasses));
        } catch (IllegalArgumentException e) {
            err.println("harp prune: " + e.getMessage());
            err.flush();
            return 2;
        }
        Path base = Path.of("");
        if (!apply) {
            out.print(plan.describe(base));
            out.println(plan.isEmpty() ? "Nothing to prune." : "Dry run: nothing changed; run with --apply to do it.");
            out.flush();
            return 0;
        }
        if (plan.isEmpty()) {
            out.print(plan.describe(base));
            out.println("Nothing to prune.");
            out.flush();
            return 0;
        }
        PruneResult result = plan.apply(base);
        out.print(plan.describeKept(base));
        out.print(result.describe());
        out.flush();
        return result.complete() ? 0 : 1;
    }
}
