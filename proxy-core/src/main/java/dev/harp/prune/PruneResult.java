package dev.harp.prune;

import java.util.List;

/**
 * What {@link PrunePlan#apply()} did: one line per change made and per change refused, and a summary.
 *
 * @param done    the changes made, one line each ({@code removed 2 of 5 entries from ...}, {@code deleted ...})
 * @param refused the changes refused, one line each, with why (a file changed since the plan, a write failed)
 * @param summary one line: how many entries, fixture files and side files were removed
 */
public record PruneResult(List<String> done, List<String> refused, String summary) {
    /** Copies the lists. */
    public PruneResult {
        done = List.copyOf(done);
        refused = List.copyOf(refused);
        java.util.Objects.requireNonNull(summary, "summary");
    }

    /** @return whether every planned change was made */
    public boolean complete() {
        return refused.isEmpty();
    }

    /** @return the lines done, then refused, then the summary, each ending with a newline */
    public String describe() {
        StringBuilder out = new StringBuilder();
        done.forEach(line -> out.append(line).append('\n'));
        refused.forEach(line -> out.append("refused: ").append(line).append('\n'));
        out.append(summary).append('\n');
        return out.toString();
    }
}
