package dev.harp.usage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One fixture file as a build left it: what it holds now, every use of it in the usage data, the entries no use
 * served, and whether pruning may touch it (and if not, why). Immutable; made by {@link BuildUsage}.
 *
 * @param file         the HAR file, absolute and normalised
 * @param exists       whether the file exists now
 * @param size         its size in bytes now (0 when it does not exist)
 * @param lastModified when it was last written (the epoch when it does not exist)
 * @param entries      its recorded entries now (0 when it does not exist or cannot be read)
 * @param sha256       its SHA-256 now, lower-case hex (empty when it does not exist)
 * @param readProblem  why it could not be read as a HAR, or empty
 * @param uses         the uses in the usage data, oldest first (empty for a file no test opened)
 * @param unused       indices of the current entries that no use of the current content served; meaningful only
 *                     when {@link #unusedKnown()}
 * @param unusedKnown  whether at least one use saw the current content (so entry indices can be compared)
 * @param blocker      why pruning must leave this fixture alone, or empty when it may prune it
 */
public record FixtureState(Path file, boolean exists, long size, Instant lastModified, int entries, String sha256,
                           String readProblem, List<FixtureUse> uses, SortedSet<Integer> unused, boolean unusedKnown,
                           String blocker) {

    /** Checks and copies the parts. */
    public FixtureState {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(readProblem, "readProblem");
        uses = List.copyOf(uses);
        unused = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(unused));
        Objects.requireNonNull(blocker, "blocker");
    }

    /**
     * @param why why pruning must leave this fixture alone; empty keeps it as it is
     * @return this state with that blocker
     */
    FixtureState blocked(String why) {
        return why.isEmpty() ? this : new FixtureState(file, exists, size, lastModified, entries, sha256, readProblem,
                uses, unused, unusedKnown, why);
    }

    /** @return whether no use in the usage data names this file: a fixture no test opened */
    public boolean orphan() {
        return uses.isEmpty();
    }

    /** @return whether pruning may remove this file's unused entries (or the file, when it is an orphan) */
    public boolean prunable() {
        return blocker.isEmpty();
    }

    /** @return the misses of every use, in use order */
    public List<MissView> misses() {
        return uses.stream().flatMap(u -> u.misses().stream()).toList();
    }

    /** @return the hits of every use */
    public long hits() {
        return uses.stream().mapToLong(FixtureUse::hits).sum();
    }

    /** @return the latest use, if any */
    public Optional<FixtureUse> lastUse() {
        return uses.isEmpty() ? Optional.empty() : Optional.of(uses.get(uses.size() - 1));
    }
}
