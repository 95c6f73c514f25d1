package dev.harp.cli;

import dev.harp.report.BuildReport;
import dev.harp.usage.BuildFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code harp report}: turns a build's usage folder into {@code report.html} and {@code summary.json} and prints the
 * one-screen summary. Exit status 0 when written, 2 on bad input (a folder that does not exist, an output folder
 * that is a file), with one line saying which.
 */
@Command(name = "harp report", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Writes report.html (one self-contained page: tests with misses, fixtures by size and age, "
                + "unused entries, files no test opened, what pruning leaves alone) and summary.json from a build's "
                + "usage folder, and prints a one-screen summary."})
final class ReportCommand implements Callable<Integer> {
    static final Path DEFAULT_USAGE = BuildFolders.USAGE;
    static final Path DEFAULT_FIXTURES = BuildFolders.FIXTURES;

    @Option(names = "--usage-dir", paramLabel = "DIR",
            description = "the build's usage folder, holding uses/*.json (default: target/harp)")
    Path usageDir;

    @Option(names = "--fixtures", paramLabel = "DIR", arity = "1..*",
            description = "folders of the HAR fixtures; files under them no test opened are reported "
                    + "(default: src/test/resources/harp, the JUnit extension's fixture folder, when it exists)")
    List<Path> fixtures;

    @Option(names = "--test-classes", paramLabel = "DIR", arity = "1..*",
            description = "folders of the compiled test classes, to tell a deleted test class from one that did not "
                    + "run (default: target/test-classes when it exists)")
    List<Path> testClasses;

    @Option(names = "--out", paramLabel = "DIR", description = "where report.html and summary.json go "
            + "(default: the usage folder)")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path usage = usageDir == null ? DEFAULT_USAGE : usageDir;
        if (!Files.isDirectory(usage)) {
            err.println("harp report: the usage folder " + usage + " does not exist"
                    + (usageDir == null ? " (run the tests with Harp first, or name the folder with --usage-dir)" : ""));
            return 2;
        }
        List<Path> roots = new ArrayList<>();
        if (fixtures == null) {
            if (Files.isDirectory(DEFAULT_FIXTURES)) {
                roots.add(DEFAULT_FIXTURES);
            }
        } else {
            for (Path f : fixtures) {
                if (!Files.isDirectory(f)) {
                    err.println("harp report: --fixtures " + f + " is not a folder");
                    return 2;
                }
                roots.add(f);
            }
        }
        Path target = out == null ? usage : out;
        if (Files.exists(target) && !Files.isDirectory(target)) {
            err.println("harp report: --out " + target + " is a file, not a folder");
            return 2;
        }
        List<Path> classes;
        try {
            classes = TestClasses.folders(testClasses);
        } catch (IllegalArgumentException e) {
            err.println("harp report: " + e.getMessage());
            return 2;
        }
        BuildReport report = BuildReport.read(usage, roots, classes, Path.of(""));
        BuildReport.Written written = report.write(target);
        PrintWriter stdout = spec.commandLine().getOut();
        report.summaryLines(written.html()).forEach(stdout::println);
        stdout.flush();
        return 0;
    }
}
