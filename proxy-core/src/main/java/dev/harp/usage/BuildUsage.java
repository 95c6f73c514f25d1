package dev.harp.usage;

import dev.harp.HarFile;
import dev.harp.har.HarFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a build did with its fixtures: the usage data of a build ({@link UsageLog.Contents}) joined with the fixture
 * files on disk, one {@link FixtureState} per file, with the rules that keep pruning safe. Immutable.
 *
 * <p>Pruning may act on a fixture only when nothing says a test might still need what looks unused:
 * <ul>
 *   <li>every usage file of the build could be read;</li>
 *   <li>every use of the fixture ended complete (passed, or a face that cannot tell), none failed, was aborted or
 *       was skipped (a skipped test never opened its fixture);</li>
 *   <li>every use saw the file as it is now (same SHA-256), so entry indices mean the same entries;</li>
 *   <li>when the run was narrowed ({@code -Dtest=...}), the fixture belongs to exactly one test that ran
 *       (a class-wide or shared fixture may serve tests that were filtered out);</li>
 *   <li>a file no test opened is an orphan only in a build that was not narrowed and holds usage data at all.</li>
 * </ul>
 */
public final class BuildUsage {
    private final UsageLog.Contents contents;
    private final List<Path> roots;
    private final List<FixtureState> fixtures;
    private final String selection;

    private BuildUsage(UsageLog.Contents contents, List<Path> roots, List<FixtureState> fixtures, String selection) {
        this.contents = contents;
        this.roots = roots;
        this.fixtures = fixtures;
        this.selection = selection;
    }

    /**
     * @param contents the build's usage data
     * @param roots    the folders holding the fixtures (e.g. {@code src/test/resources}); files under them that no
     *                 use names are orphans. Files named by uses outside them are reported too.
     * @return the build's fixtures
     * @throws IOException when a root cannot be walked
     */
    public static BuildUsage of(UsageLog.Contents contents, Collection<Path> roots) throws IOException {
        Objects.requireNonNull(contents, "contents");
        List<Path> normalised = roots.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
        Map<Path, List<FixtureUse>> byFile = new TreeMap<>();
        Set<String> selections = new LinkedHashSet<>();
        for (FixtureUse use : contents.uses()) {
            byFile.computeIfAbsent(use.fixture(), f -> new ArrayList<>()).add(use);
            if (!use.selection().isEmpty()) {
                selections.add(use.selection());
            }
        }
        for (Path root : normalised) {
            if (Files.isDirectory(root)) {
                for (Path file : HarFolder.harFiles(root).files()) {
                    byFile.putIfAbsent(file.toAbsolutePath().normalize(), List.of());
                }
            }
        }
        String selection = String.join(", ", selections);
        List<FixtureState> fixtures = new ArrayList<>();
        for (Map.Entry<Path, List<FixtureUse>> e : byFile.entrySet()) {
            fixtures.add(state(e.getKey(), e.getValue(), contents, selection));
        }
        return new BuildUsage(contents, normalised, List.copyOf(fixtures), selection);
    }

    private static FixtureState state(Path file, List<FixtureUse> uses, UsageLog.Contents contents, String selection)
            throws IOException {
        boolean exists = Files.isRegularFile(file);
        long size = 0;
        Instant modified = Instant.EPOCH;
        String sha = "";
        int entries = 0;
        String readProblem = "";
        if (exists) {
            try {
                size = Files.size(file);
                modified = Files.getLastModifiedTime(file).toInstant();
                sha = UsageLog.sha256(file);
                entries = HarFile.read(file).entries().size();
            } catch (NoSuchFileException gone) {
                exists = false;
            } catch (IOException | RuntimeException e) {
                readProblem = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
        TreeSet<Integer> unused = null;
        for (FixtureUse use : uses) {
            if (exists && use.existed() && use.sha256().equals(sha) && use.entries() == entries) {
                if (unused == null) {
                    unused = new TreeSet<>(use.unused());
                } else {
                    unused.retainAll(use.unused());
                }
            }
        }
        boolean known = unused != null;
        String blocker = blocker(file, exists, readProblem, uses, sha, contents, selection);
        return new FixtureState(file, exists, size, modified, entries, sha, readProblem, uses,
                known ? unused : new TreeSet<>(), known, blocker);
    }

    private static String blocker(Path file, boolean exists, String readProblem, List<FixtureUse> uses, String sha,
                                  UsageLog.Contents contents, String selection) {
        if (!exists) {
            return "the file does not exist";
        }
        if (!readProblem.isEmpty()) {
            return "the file cannot be read as a HAR: " + readProblem;
        }
        if (!contents.complete()) {
            return "some usage files could not be read (" + contents.problems().size() + ")";
        }
        if (uses.isEmpty()) {
            if (contents.uses().isEmpty()) {
                return "the build left no usage data (did tests run with Harp?)";
            }
            if (!selection.isEmpty()) {
                return "no test opened it, but the run was narrowed (" + selection + "): its test may not have run";
            }
            return "";
        }
        for (FixtureUse use : uses) {
            if (!use.outcome().complete()) {
                return use.user() + " " + switch (use.outcome()) {
                    case FAILED -> "failed: it may not have made all its requests";
                    case ABORTED -> "was aborted: it may not have made all its requests";
                    default -> "did not run";
                };
            }
            if (!use.existed() || !use.sha256().equals(sha)) {
                return "the file changed after " + use.user() + " used it (recorded or edited during the build)";
            }
        }
        if (!selection.isEmpty()) {
            Set<String> users = new LinkedHashSet<>();
            for (FixtureUse use : uses) {
                if (!singleTest(use.userId())) {
                    return "it is shared by " + use.user() + " and the run was narrowed (" + selection
                            + "): tests that did not run may need it";
                }
                users.add(use.userId());
            }
            if (users.size() > 1) {
                return "several tests share it and the run was narrowed (" + selection + ")";
            }
        }
        return "";
    }

    /** Whether a JUnit unique id names one test (a method, an invocation of a template, a dynamic test). */
    private static boolean singleTest(String userId) {
        return userId.contains("[method:") || userId.contains("[test-template-invocation:")
                || userId.contains("[dynamic-test:");
    }

    /** @return the usage data this was made from */
    public UsageLog.Contents contents() {
        return contents;
    }

    /** @return the fixture folders, absolute */
    public List<Path> roots() {
        return roots;
    }

    /** @return every fixture: under the roots or named by a use, sorted by path */
    public List<FixtureState> fixtures() {
        return fixtures;
    }

    /** @return the fixtures no use names (files under the roots no test opened) */
    public List<FixtureState> orphans() {
        return fixtures.stream().filter(FixtureState::orphan).toList();
    }

    /** @return how the run was narrowed ({@code test=WeatherTest}), or empty when it was not */
    public String selection() {
        return selection;
    }

    /** @return every use with at least one miss, failed tests first, then by user */
    public List<FixtureUse> usesWithMisses() {
        List<FixtureUse> out = new ArrayList<>(contents.uses().stream().filter(u -> !u.misses().isEmpty()).toList());
        out.sort((a, b) -> {
            int f = Boolean.compare(a.outcome() != FixtureUse.Outcome.FAILED, b.outcome() != FixtureUse.Outcome.FAILED);
            return f != 0 ? f : a.user().compareTo(b.user());
        });
        return out;
    }

    /** @return per user (test), its uses in order; for "tests with misses first" views */
    public Map<String, List<FixtureUse>> byUser() {
        Map<String, List<FixtureUse>> out = new LinkedHashMap<>();
        for (FixtureUse use : contents.uses()) {
            out.computeIfAbsent(use.user(), u -> new ArrayList<>()).add(use);
        }
        return out;
    }
}
