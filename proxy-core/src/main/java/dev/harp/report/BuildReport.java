package dev.harp.report;

import dev.harp.usage.BuildUsage;
import dev.harp.usage.FixtureState;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The report of a build's fixture usage: {@code report.html} (one self-contained page), {@code summary.json} beside
 * it, and a one-screen text summary. Immutable once made; the faces use it as
 *
 * <pre>{@code
 * BuildReport report = BuildReport.read(Path.of("target/harp"), List.of(Path.of("src/test/resources")), Path.of(""));
 * BuildReport.Written written = report.write(Path.of("target/harp"));
 * report.summaryLines(written.html()).forEach(System.out::println);
 * }</pre>
 */
public final class BuildReport {
    /** The page's file name. */
    public static final String HTML = "report.html";
    /** The machine-readable summary's file name. */
    public static final String JSON = "summary.json";
    /** The version of {@code summary.json}'s format (its {@code harpReport} member). */
    public static final int VERSION = 1;

    private final BuildUsage usage;
    private final Path base;
    private final Instant generated;
    private final Map<Path, FixtureDetails> details;
    private final Totals totals;

    private BuildReport(BuildUsage usage, Path base, Instant generated) {
        this.usage = usage;
        this.base = real(base);
        this.generated = generated;
        Map<Path, FixtureDetails> d = new LinkedHashMap<>();
        for (FixtureState f : usage.fixtures()) {
            d.put(f.file(), FixtureDetails.of(f));
        }
        this.details = d;
        this.totals = Totals.of(usage);
    }

    /**
     * @param usage a build's usage joined with its fixtures
     * @param base  the folder paths are shown relative to (the project's folder, the working directory)
     * @return its report; reads each fixture's HAR for entry dates and unused entries
     */
    public static BuildReport of(BuildUsage usage, Path base) {
        return new BuildReport(Objects.requireNonNull(usage, "usage"), Objects.requireNonNull(base, "base"),
                Instant.now());
    }

    /**
     * @param usageDir the build's usage folder (e.g. {@code target/harp})
     * @param fixtures the fixture folders (e.g. {@code src/test/resources})
     * @param base     the folder paths are shown relative to
     * @return the report of what the folder holds
     * @throws IOException when the usage folder cannot be listed or a fixture folder cannot be walked
     */
    public static BuildReport read(Path usageDir, Collection<Path> fixtures, Path base) throws IOException {
        return read(usageDir, fixtures, java.util.List.of(), base);
    }

    /**
     * @param usageDir         the build's usage folder (e.g. {@code target/harp})
     * @param fixtures         the fixture folders (e.g. {@code src/test/resources/harp})
     * @param testClassFolders where the compiled test classes are ({@code target/test-classes}); empty when unknown
     * @param base             the folder paths are shown relative to
     * @return the report of what the folder holds
     * @throws IOException when the usage folder cannot be listed or a fixture folder cannot be walked
     */
    public static BuildReport read(Path usageDir, Collection<Path> fixtures, Collection<Path> testClassFolders,
                                   Path base) throws IOException {
        UsageLog.Contents contents = UsageLog.at(usageDir).read();
        return of(BuildUsage.of(contents, fixtures, testClassFolders), base);
    }

    /**
     * @param usageDir a build's usage folder
     * @return whether it holds at least one usage file (cheap: lists the folder, reads nothing)
     */
    public static boolean hasUsageFiles(Path usageDir) {
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(usageDir.resolve(UsageLog.USES),
                "*.json")) {
            return files.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return the usage this reports */
    public BuildUsage usage() {
        return usage;
    }

    /** @return whether the usage folder held any usage file (read or not) */
    public boolean hasData() {
        return !usage.contents().uses().isEmpty() || !usage.contents().problems().isEmpty();
    }

    /** @return the totals */
    public Totals totals() {
        return totals;
    }

    Instant generated() {
        return generated;
    }

    FixtureDetails details(FixtureState fixture) {
        return details.getOrDefault(fixture.file(), FixtureDetails.NONE);
    }

    /** The real path (links resolved) when the file exists, else the absolute normalised one. */
    static Path real(Path path) {
        return BuildUsage.real(path);
    }

    /** @return the file as people read it: relative to the base folder when under it, else absolute */
    String display(Path file) {
        Path f = real(file);
        return f.startsWith(base) && !f.equals(base) ? base.relativize(f).toString().replace('\\', '/') : f.toString();
    }

    /**
     * Writes {@link #HTML} and {@link #JSON} into a folder, each to a temporary file moved into place.
     *
     * @param outDir the folder, made when missing
     * @return the files written
     * @throws IOException when they cannot be written
     */
    public Written write(Path outDir) throws IOException {
        Path out = real(Files.createDirectories(outDir.toAbsolutePath().normalize()));
        Path html = out.resolve(HTML);
        Path json = out.resolve(JSON);
        atomically(html, ReportPage.render(this, out).getBytes(StandardCharsets.UTF_8));
        atomically(json, SummaryJson.render(this));
        return new Written(html, json);
    }

    private static void atomically(Path target, byte[] bytes) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), ".writing-", ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * @param html the page written, named in the last line
     * @return at most about 15 lines for a console: totals, the first tests with misses, unused entries, orphans,
     *         blocked fixtures, unreadable usage files and the page's path
     */
    public List<String> summaryLines(Path html) {
        return ConsoleSummary.lines(this, html);
    }

    /**
     * The files {@link #write(Path)} wrote.
     *
     * @param html the page
     * @param json the machine-readable summary
     */
    public record Written(Path html, Path json) {
    }

    /**
     * A build's totals.
     *
     * @param uses             uses read
     * @param tests            distinct users (tests, executions, sessions)
     * @param fixtures         fixture files (used, or under the fixture folders)
     * @param hits             requests answered from fixtures
     * @param misses           requests that missed
     * @param testsWithMisses  distinct users with at least one miss
     * @param unusedEntries    entries no use served, summed over fixtures whose uses saw their current content
     * @param fixturesWithUnused fixtures with at least one such entry
     * @param orphans          fixture files no use names
     * @param prunable         fixtures pruning may act on
     * @param blocked          fixtures pruning must leave alone
     * @param problems         usage files that could not be read
     */
    public record Totals(int uses, int tests, int fixtures, long hits, long misses, int testsWithMisses,
                         long unusedEntries, int fixturesWithUnused, int orphans, int prunable, int blocked,
                         int problems) {
        static Totals of(BuildUsage usage) {
            List<FixtureUse> uses = usage.contents().uses();
            long hits = uses.stream().mapToLong(FixtureUse::hits).sum();
            long misses = uses.stream().mapToLong(u -> u.misses().size()).sum();
            int tests = (int) uses.stream().map(FixtureUse::user).distinct().count();
            int withMisses = (int) usage.usesWithMisses().stream().map(FixtureUse::user).distinct().count();
            long unused = 0;
            int withUnused = 0;
            int prunable = 0;
            for (FixtureState f : usage.fixtures()) {
                if (f.unusedKnown() && !f.unused().isEmpty()) {
                    unused += f.unused().size();
                    withUnused++;
                }
                if (f.prunable()) {
                    prunable++;
                }
            }
            return new Totals(uses.size(), tests, usage.fixtures().size(), hits, misses, withMisses, unused,
                    withUnused, usage.orphans().size(), prunable, usage.fixtures().size() - prunable,
                    usage.contents().problems().size());
        }
    }
}
