package dev.harp.prune;

import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.redaction.Redaction;
import dev.harp.usage.BuildUsage;
import dev.harp.usage.FixtureState;
import dev.harp.usage.UsageLog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What pruning would do after a build, decided from its usage data ({@link BuildUsage}): per fixture the entries no
 * use of its current content served, removed by rewriting the file; fixture files no test opened (orphans), and
 * files whose every entry went unused, deleted; the side files ({@code _file} bodies) only those removed entries named
 * and nothing that remains names, deleted; and every fixture left alone, with why ({@link FixtureState#blocker()}).
 * Immutable. {@link #describe(Path)} prints it (the dry run); {@link #apply()} does it.
 *
 * <p>A fixture whose every entry went unused is deleted only when the run was not narrowed; after a narrowed run
 * ({@code -Dtest=...}) it is left for a complete build to decide. A fixture whose entries are not in start order is
 * left alone: Harp's writer, which keeps its stable format, would reorder them. Nothing outside the fixture folders
 * ({@link BuildUsage#roots()}) is touched, and no link is followed out of them.
 */
public final class PrunePlan {
    /**
     * A fixture rewritten without some entries.
     *
     * @param file    the HAR file, real path
     * @param sha256  its SHA-256 when planned: {@link #apply()} refuses to rewrite it if it changed since
     * @param entries its entries when planned
     * @param remove  the indices of the entries to remove
     * @param removed one line per removed entry ({@code entry 3: GET https://h/p -> 200}, the URL redacted for logs)
     */
    public record Rewrite(Path file, String sha256, int entries, SortedSet<Integer> remove, List<String> removed) {
        /** Copies the parts. */
        public Rewrite {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sha256, "sha256");
            remove = Collections.unmodifiableSortedSet(new TreeSet<>(remove));
            removed = List.copyOf(removed);
        }
    }

    /**
     * A fixture file deleted.
     *
     * @param file   the HAR file, real path
     * @param sha256 its SHA-256 when planned: {@link #apply()} refuses to delete it if it changed since
     * @param why    why it goes ({@code no test opened it})
     */
    public record Removal(Path file, String sha256, String why) {
        /** Checks the parts. */
        public Removal {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(why, "why");
        }
    }

    /**
     * A fixture pruning leaves alone.
     *
     * @param file   the HAR file
     * @param reason why
     */
    public record Kept(Path file, String reason) {
        /** Checks the parts. */
        public Kept {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final BuildUsage usage;
    private final List<Rewrite> rewrites;
    private final List<Removal> removals;
    /** Side file to delete, with the fixtures whose change frees it: it goes only if all of them were changed. */
    private final Map<Path, Set<Path>> sideFiles;
    private final List<Kept> kept;
    private final int fullyUsed;
    private final String sideFilesKept;

    private PrunePlan(BuildUsage usage, List<Rewrite> rewrites, List<Removal> removals, Map<Path, Set<Path>> sideFiles,
                      List<Kept> kept, int fullyUsed, String sideFilesKept) {
        this.usage = usage;
        this.rewrites = List.copyOf(rewrites);
        this.removals = List.copyOf(removals);
        this.sideFiles = Collections.unmodifiableMap(sideFiles);
        this.kept = List.copyOf(kept);
        this.fullyUsed = fullyUsed;
        this.sideFilesKept = sideFilesKept;
    }

    /**
     * Plans pruning; reads every fixture, changes nothing.
     *
     * @param usage the build's usage joined with its fixture files
     * @return the plan
     * @throws IOException when a fixture cannot be hashed
     */
    public static PrunePlan of(BuildUsage usage) throws IOException {
        Objects.requireNonNull(usage, "usage");
        boolean narrowed = !usage.selection().isEmpty();
        List<Rewrite> rewrites = new ArrayList<>();
        List<Removal> removals = new ArrayList<>();
        List<Kept> kept = new ArrayList<>();
        Set<Path> referenced = new LinkedHashSet<>();
        Map<Path, Set<Path>> candidates = new TreeMap<>();
        String sideFilesKept = "";
        int fullyUsed = 0;
        for (FixtureState state : usage.fixtures()) {
            if (!state.exists()) {
                continue; // nothing to prune; the report names it
            }
            Har har = null;
            String problem = state.readProblem();
            if (problem.isEmpty()) {
                try {
                    har = HarReader.read(state.file());
                    if (har.entries().size() != state.entries()
                            || !UsageLog.sha256(state.file()).equals(state.sha256())) {
                        problem = "it changed while pruning was planned";
                    }
                } catch (IOException | RuntimeException e) {
                    problem = "it cannot be read as a HAR: " + e.getMessage();
                }
            }
            if (har == null) {
                // its side files are unknown: removing any side file could take a body it needs
                sideFilesKept = "no side file is deleted, since " + state.file() + " cannot be read: " + problem;
                kept.add(new Kept(state.file(), state.blocker().isEmpty() ? problem : state.blocker()));
                continue;
            }
            Path folder = state.file().getParent();
            List<HarEntry> entries = har.entries();
            SortedSet<Integer> remove = new TreeSet<>();
            Removal removal = null;
            String reason = !problem.isEmpty() ? problem : state.blocker();
            if (reason.isEmpty() && !isHar(state.file())) {
                reason = "it is not a *.har file (a link under the fixture folder leads to it)";
            }
            if (reason.isEmpty()) {
                if (state.orphan()) {
                    removal = new Removal(state.file(), state.sha256(), "no test opened it");
                } else if (state.unused().isEmpty()) {
                    fullyUsed++;
                } else if (state.unused().size() == entries.size()) {
                    if (narrowed) {
                        reason = "every entry went unused, but the run was narrowed (" + usage.selection()
                                + "): deleting the whole file waits for a complete build";
                    } else {
                        removal = new Removal(state.file(), state.sha256(), "every test that opened it left all "
                                + entries.size() + " entries unused");
                    }
                } else if (!inStartOrder(entries, state.unused())) {
                    reason = "its entries are not in start order: Harp's writer would reorder them (re-record it)";
                } else {
                    remove.addAll(state.unused());
                }
            }
            if (!reason.isEmpty()) {
                kept.add(new Kept(state.file(), reason));
            }
            List<String> removedLines = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                HarEntry entry = entries.get(i);
                boolean goes = removal != null || remove.contains(i);
                if (goes) {
                    for (Path ref : SideFileRefs.of(folder, entry, false)) {
                        candidates.computeIfAbsent(ref, r -> new TreeSet<>()).add(state.file());
                    }
                    if (removal == null) {
                        removedLines.add(line(i, entry));
                    }
                } else {
                    referenced.addAll(SideFileRefs.of(folder, entry, true));
                }
            }
            if (removal != null) {
                removals.add(removal);
            } else if (!remove.isEmpty()) {
                rewrites.add(new Rewrite(state.file(), state.sha256(), entries.size(), remove, removedLines));
            }
        }
        Map<Path, Set<Path>> sideFiles = new TreeMap<>();
        if (sideFilesKept.isEmpty()) {
            for (Map.Entry<Path, Set<Path>> c : candidates.entrySet()) {
                if (!referenced.contains(c.getKey()) && SideFileRefs.deletable(c.getKey(), usage.roots())) {
                    sideFiles.put(c.getKey(), Collections.unmodifiableSet(c.getValue()));
                }
            }
        }
        return new PrunePlan(usage, rewrites, removals, sideFiles, kept, fullyUsed, sideFilesKept);
    }

    private static boolean isHar(Path file) {
        return file.getFileName() != null
                && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".har");
    }

    /** Whether the entries that stay are in start order, so Harp's writer (which sorts by start) keeps their order. */
    private static boolean inStartOrder(List<HarEntry> entries, Set<Integer> removed) {
        Instant last = null;
        for (int i = 0; i < entries.size(); i++) {
            if (removed.contains(i)) {
                continue;
            }
            Optional<Instant> at = entries.get(i).startedInstant();
            if (at.isPresent()) {
                if (last != null && at.get().isBefore(last)) {
                    return false;
                }
                last = at.get();
            }
        }
        return true;
    }

    static String line(int index, HarEntry entry) {
        return "entry " + index + ": " + entry.request().method() + " " + Redaction.forLog(entry.request().url())
                + " -> " + (entry.response() == null ? 0 : entry.response().status());
    }

    /** @return the usage this plan was made from */
    public BuildUsage usage() {
        return usage;
    }

    /** @return the fixtures to rewrite without some entries, by path */
    public List<Rewrite> rewrites() {
        return rewrites;
    }

    /** @return the fixture files to delete (orphans, files whose every entry went unused), by path */
    public List<Removal> removals() {
        return removals;
    }

    /** @return the side files to delete: named only by removed entries, inside the fixture folders, sorted */
    public List<Path> sideFiles() {
        return List.copyOf(sideFiles.keySet());
    }

    /** Side file to the fixtures whose change frees it. */
    Map<Path, Set<Path>> sideFileOwners() {
        return sideFiles;
    }

    /** @return the fixtures left alone, with why, by path */
    public List<Kept> kept() {
        return kept;
    }

    /** @return how many prunable fixtures had nothing unused */
    public int fullyUsed() {
        return fullyUsed;
    }

    /** @return why no side file is deleted at all (a fixture could not be read), or empty */
    public String sideFilesKept() {
        return sideFilesKept;
    }

    /** @return whether applying would change nothing */
    public boolean isEmpty() {
        return rewrites.isEmpty() && removals.isEmpty() && sideFiles.isEmpty();
    }

    /** @return how many entries the rewrites remove */
    public int entriesRemoved() {
        return rewrites.stream().mapToInt(r -> r.remove().size()).sum();
    }

    /**
     * What applying would do, one line per change and per fixture left alone, then a summary.
     *
     * @param base paths are shown relative to it when under it (the project's or the working folder); null: absolute
     * @return the text, ending with a newline
     */
    public String describe(Path base) {
        StringBuilder out = new StringBuilder();
        for (Rewrite r : rewrites) {
            out.append("remove ").append(r.remove().size()).append(" of ").append(r.entries()).append(" entries from ")
                    .append(show(base, r.file())).append(":\n");
            r.removed().forEach(line -> out.append("  ").append(line).append('\n'));
        }
        for (Removal r : removals) {
            out.append("delete ").append(show(base, r.file())).append(" (").append(r.why()).append(")\n");
        }
        for (Path side : sideFiles.keySet()) {
            out.append("delete side file ").append(show(base, side)).append(" (only removed entries name it)\n");
        }
        out.append(describeKept(base));
        out.append(summary("would remove")).append('\n');
        return out.toString();
    }

    /**
     * The fixtures left alone, one line each with why ({@code leave harp/api.har: ApiTest.one() failed: ...}), and
     * why no side file goes when that is so.
     *
     * @param base as for {@link #describe(Path)}
     * @return the lines, each ending with a newline; empty when nothing is left alone
     */
    public String describeKept(Path base) {
        StringBuilder out = new StringBuilder();
        for (Kept k : kept) {
            out.append("leave ").append(show(base, k.file())).append(": ").append(k.reason()).append('\n');
        }
        if (!sideFilesKept.isEmpty()) {
            out.append("note: ").append(sideFilesKept).append('\n');
        }
        return out.toString();
    }

    /** @return {@code would remove 3 entries from 2 fixtures, ...; 1 fixture left alone, 4 fully used} */
    String summary(String verb) {
        return verb + " " + plural(entriesRemoved(), "entry", "entries") + " from " + plural(rewrites.size(), "fixture",
                "fixtures") + ", " + plural(removals.size(), "fixture file", "fixture files") + " and "
                + plural(sideFiles.size(), "side file", "side files") + "; " + plural(kept.size(), "fixture", "fixtures")
                + " left alone, " + fullyUsed + " fully used";
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    static String show(Path base, Path file) {
        if (base != null) {
            Path b = base.toAbsolutePath().normalize();
            Path real = realOrSelf(b);
            if (file.startsWith(real)) {
                return real.relativize(file).toString();
            }
            if (file.startsWith(b)) {
                return b.relativize(file).toString();
            }
        }
        return file.toString();
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p;
        }
    }

    /**
     * Does what the plan says: rewrites each fixture without its removed entries (atomically, in Harp's stable
     * format, everything else kept), deletes the fixture files and side files. A fixture whose SHA-256 changed since
     * the plan is refused, and so are the side files its change would have freed.
     *
     * @return what was done and what was refused
     */
    public PruneResult apply() {
        return apply(null);
    }

    /**
     * As {@link #apply()}, naming files in the result relative to {@code base}.
     *
     * @param base paths are shown relative to it when under it; null: absolute
     * @return what was done and what was refused
     */
    public PruneResult apply(Path base) {
        return Pruner.apply(this, base);
    }
}
