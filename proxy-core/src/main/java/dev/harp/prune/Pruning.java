package dev.harp.prune;

import dev.harp.usage.BuildUsage;
import dev.harp.usage.UsageLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks every face makes before it plans pruning, and the plan: the usage folder exists and holds readable
 * usage data, every fixture folder is a folder. Bad input is an {@link IllegalArgumentException} whose message names
 * the folder or file and what is wrong.
 */
public final class Pruning {
    private Pruning() {
    }

    /**
     * @param folders fixture folders (missing ones are skipped)
     * @return whether any of them holds a {@code *.har} file, found as pruning finds them (links not followed out)
     * @throws IOException when a folder cannot be walked
     */
    public static boolean anyFixture(List<Path> folders) throws IOException {
        for (Path folder : folders) {
            if (Files.isDirectory(folder) && !dev.harp.har.HarFolder.harFiles(folder).files().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param usageDir the build's usage folder ({@code target/harp})
     * @param fixtures the fixture folders
     * @return the plan
     * @throws IllegalArgumentException naming the folder or usage file, when the input cannot be used
     * @throws IOException              when a folder or fixture cannot be read
     */
    public static PrunePlan plan(Path usageDir, List<Path> fixtures) throws IOException {
        return plan(usageDir, fixtures, List.of());
    }

    /**
     * @param usageDir         the build's usage folder ({@code target/harp})
     * @param fixtures         the fixture folders
     * @param testClassFolders where the build's compiled test classes are ({@code target/test-classes}), so a deleted
     *                         test class can be told from one that did not run; empty when unknown
     * @return the plan
     * @throws IllegalArgumentException naming the folder or usage file, when the input cannot be used
     * @throws IOException              when a folder or fixture cannot be read
     */
    public static PrunePlan plan(Path usageDir, List<Path> fixtures, List<Path> testClassFolders) throws IOException {
        if (!Files.isDirectory(usageDir)) {
            throw new IllegalArgumentException("no usage data: " + usageDir + (Files.exists(usageDir)
                    ? " is not a folder" : " does not exist") + " (run the tests with Harp first, then prune)");
        }
        if (fixtures.isEmpty()) {
            throw new IllegalArgumentException("no fixture folder given");
        }
        for (Path folder : fixtures) {
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("the fixture folder " + folder + (Files.exists(folder)
                        ? " is not a folder" : " does not exist"));
            }
        }
        UsageLog.Contents contents = UsageLog.at(usageDir).read();
        if (!contents.complete()) {
            throw new IllegalArgumentException("cannot read usage file " + contents.problems().get(0)
                    + (contents.problems().size() > 1 ? " (and " + (contents.problems().size() - 1) + " more)" : "")
                    + "; pruning acts only on complete usage data");
        }
        if (contents.uses().isEmpty()) {
            throw new IllegalArgumentException("no usage data in " + usageDir.resolve(UsageLog.USES)
                    + " (run the tests with Harp first, then prune)");
        }
        return PrunePlan.of(BuildUsage.of(contents, fixtures, testClassFolders));
    }
}
