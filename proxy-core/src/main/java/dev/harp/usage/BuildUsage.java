package dev.harp.usage;

import dev.harp.Mode;
import dev.harp.har.HarFolder;
import dev.harp.har.HarReader;

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
 *   <li>every use of the fixture passed: none failed, was aborted or skipped (a skipped test never opened its
 *       fixture), and none comes from a face that cannot tell how its tests went (the command line, a
 *       {@code harp:stop} without a Failsafe summary);</li>
 *   <li>every use replayed it ({@code replay} or {@code auto}): a recording or a passthrough use never consulted
 *       the entries it reports unused;</li>
 *   <li>every use saw the file as it is now (same SHA-256), so entry indices mean the same entries;</li>
 *   <li>when the run was narrowed ({@code -Dtest=...}), the fixture belongs to exactly one test that ran: its only
 *       user is one test, and the file bears that test's own name as the JUnit extension names fixtures
 *       ({@code <Class>/<method>.har}, {@code <Class>/<method>_<invocation>.har}); a class-wide or shared fixture
 *       ({@code @Harp(har = ...)}, {@code beforeAll.har}) may serve tests that were filtered out;</li>
 *   <li>a file no test opened is an orphan only in a build that was not narrowed, holds usage data at all, and
 *       started after the file was last written; and only when it lies in a test class's folder
 *       ({@code <root>/<Class>/...}) whose class ran in this build or no longer exists among the compiled test
 *       classes (a class that exists but did not run, e.g. an IT in a {@code mvn test}, keeps its fixtures);</li>
 *   <li>the file lies under one of the fixture folders given;</li>
 *   <li>the usage data is not older than the compiled test classes (tests changed since they last ran);</li>
 *   <li>a fixture that is not one test's own ({@code <Class>/<method>.har} used by that test alone) loses entries
 *       only when every concrete Harp test class among the compiled ones ran in this build (a class excluded, or
 *       the ITs not run in a {@code mvn test}, may use a shared fixture).</li>
 * </ul>
 *
 * <p>A use whose fixture is a folder stands for a test class that did not run at all (disabled, or its
 * {@code @BeforeAll} failed): it counts as a use of every fixture under that folder, so none of them is pruned.
 *
 * <p>Files are known by their real path (links resolved), so a fixture opened through a linked folder is the same
 * fixture as the one found under the root. Reading never changes a file (a recording cut short is reported, not
 * repaired).
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
        return of(contents, roots, List.of());
    }

    /**
     * @param contents          the build's usage data
     * @param roots             the folders holding the fixtures (e.g. {@code src/test/resources/harp}); files under
     *                          them that no use names are orphans. Files named by uses outside them are reported too.
     * @param testClassFolders  where the compiled test classes are (e.g. {@code target/test-classes}): an orphan in
     *                          the folder of a test class that did not run is removable only when that class no
     *                          longer exists there (it was deleted or renamed); empty when unknown, and then only
     *                          orphans in the folder of a class that ran are removable
     * @return the build's fixtures
     * @throws IOException when a root cannot be walked
     */
    public static BuildUsage of(UsageLog.Contents contents, Collection<Path> roots, Collection<Path> testClassFolders)
            throws IOException {
        Objects.requireNonNull(contents, "contents");
        TestClasses classes = TestClasses.in(testClassFolders);
        List<Path> normalised = roots.stream().map(BuildUsage::real).distinct().toList();
        Map<Path, List<FixtureUse>> byFile = new TreeMap<>();
        Set<String> selections = new LinkedHashSet<>();
        for (FixtureUse use : contents.uses()) {
            byFile.computeIfAbsent(real(use.fixture()), f -> new ArrayList<>()).add(use);
            if (!use.selection().isEmpty()) {
                selections.add(use.selection());
            }
        }
        for (Path root : normalised) {
            if (Files.isDirectory(root)) {
                for (Path file : HarFolder.harFiles(root).files()) {
                    byFile.putIfAbsent(real(file), List.of());
                }
            }
        }
        // A use naming a folder is a test class that did not run (disabled, or its @BeforeAll failed): it stands for
        // every fixture under that folder, so none of them looks unused or orphaned.
        Map<Path, List<FixtureUse>> byFolder = new TreeMap<>();
        byFile.entrySet().removeIf(e -> {
            if (Files.isDirectory(e.getKey())) {
                byFolder.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        for (Map.Entry<Path, List<FixtureUse>> folder : byFolder.entrySet()) {
            for (Map.Entry<Path, List<FixtureUse>> file : byFile.entrySet()) {
                if (file.getKey().startsWith(folder.getKey())) {
                    List<FixtureUse> uses = new ArrayList<>(file.getValue());
                    uses.addAll(folder.getValue());
                    uses.sort(java.util.Comparator.comparing(FixtureUse::started));
                    file.setValue(uses);
                }
            }
        }
        String selection = String.join(", ", selections);
        List<FixtureState> fixtures = new ArrayList<>();
        String stale = stale(contents, classes);
        Set<Path> ranFolders = new java.util.HashSet<>();
        Set<String> ranClasses = new java.util.HashSet<>();
        for (FixtureUse use : contents.uses()) {
            String klass = FixtureOwners.className(use.userId());
            if (use.face() == dev.harp.options.Face.JUNIT && klass != null) {
                for (int at = klass.indexOf('_'); ; at = klass.indexOf('_', at + 1)) {
                    ranClasses.add(at < 0 ? klass : klass.substring(0, at)); // Outer_Inner ran: so did Outer
                    if (at < 0) {
                        break;
                    }
                }
            }
        }
        for (Map.Entry<Path, List<FixtureUse>> e : byFile.entrySet()) {
            for (FixtureUse use : e.getValue()) {
                // a class folder ran when a test of that very class used a file in it (not another class's shared har)
                FixtureOwners.classFolder(e.getKey(), normalised)
                        .filter(f -> use.face() == dev.harp.options.Face.JUNIT
                                && f.getFileName().toString().equals(FixtureOwners.className(use.userId())))
                        .ifPresent(ranFolders::add);
            }
        }
        String notRun = FixtureOwners.harpClassesNotRun(classes, ranClasses);
        for (Map.Entry<Path, List<FixtureUse>> e : byFile.entrySet()) {
            boolean underRoots = normalised.stream().anyMatch(root -> e.getKey().startsWith(root));
            FixtureState state = state(e.getKey(), e.getValue(), contents, selection, underRoots);
            if (state.prunable() && state.orphan()) {
                state = state.blocked(FixtureOwners.orphanOwner(e.getKey(), normalised, ranFolders, classes));
            }
            if (state.prunable()) {
                state = state.blocked(stale);
            }
            if (state.prunable() && !state.orphan() && !notRun.isEmpty() && !FixtureOwners.ownFixture(e.getKey(), state.uses())) {
                state = state.blocked(notRun);
            }
            fixtures.add(state);
        }
        return new BuildUsage(contents, normalised, List.copyOf(fixtures), selection);
    }

    /**
     * Why no fixture may be pruned because the usage data is older than the compiled tests (a test was changed and
     * compiled, but the tests did not run again since: what they use now is not what the data says), or empty.
     */
    private static String stale(UsageLog.Contents contents, TestClasses classes) {
        java.util.Optional<Instant> lastUse = contents.uses().stream().map(FixtureUse::finished)
                .max(java.util.Comparator.naturalOrder());
        if (lastUse.isEmpty() || classes.newest().isEmpty() || !classes.newest().get().isAfter(lastUse.get())) {
            return "";
        }
        return "the test classes were compiled (" + classes.newest().get() + ") after the last use in the usage data ("
                + lastUse.get() + "): run the tests again, then prune";
    }

    /**
     * @param path a file or folder
     * @return its real path (links resolved), or its absolute normalised path when it does not exist: how usage data,
     *         pruning and the report name fixtures
     */
    public static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException | SecurityException e) {
            return absolute;
        }
    }

    private static FixtureState state(Path file, List<FixtureUse> uses, UsageLog.Contents contents, String selection,
                                      boolean underRoots) throws IOException {
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
                // one pass: the parser reads through a digest, the rest (or all, if it fails) is drained for the hash
                java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
                try (java.io.InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), digest)) {
                    try {
                        entries = HarReader.read(in, file.toString()).entries().size(); // never HarFile.read: it repairs
                    } finally {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                        sha = java.util.HexFormat.of().formatHex(digest.digest());
                    }
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
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
        if (blocker.isEmpty() && !underRoots) {
            blocker = "it lies outside the fixture folders given";
        }
        if (blocker.isEmpty() && uses.isEmpty() && contents.firstStarted().isPresent()
                && modified.isAfter(contents.firstStarted().get())) {
            blocker = "no test opened it, but it was written after the build began (" + modified + ")";
        }
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
                    case UNKNOWN -> "cannot tell whether its tests made all their requests (no test results: "
                            + "no Failsafe summary, or the command line)";
                    default -> "did not run";
                };
            }
            if (use.mode() != Mode.REPLAY && use.mode() != Mode.AUTO) {
                return use.user() + " ran in " + use.mode().name().toLowerCase(java.util.Locale.ROOT)
                        + " mode: it did not replay the fixture, so what it left unused says nothing";
            }
            if (!use.existed() || !use.sha256().equals(sha)) {
                return "the file changed after " + use.user() + " used it (recorded or edited during the build)";
            }
        }
        if (!selection.isEmpty()) {
            Set<String> users = new LinkedHashSet<>();
            for (FixtureUse use : uses) {
                if (!FixtureOwners.singleTest(use.userId())) {
                    return "it is shared by " + use.user() + " and the run was narrowed (" + selection
                            + "): tests that did not run may need it";
                }
                users.add(use.userId());
            }
            if (users.size() > 1) {
                return "several tests share it and the run was narrowed (" + selection + ")";
            }
            FixtureUse only = uses.get(0);
            if (!FixtureOwners.namedAfter(file, only.userId())) {
                return "the run was narrowed (" + selection + ") and the file is not named after "
                        + only.user() + " alone: tests that did not run may share it";
            }
        }
        return "";
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
