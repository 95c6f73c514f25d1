package dev.harp.replay;

/**
 * Counts for an exit summary.
 *
 * @param entries recorded entries in the index
 * @param hits    lookups answered from a recorded entry
 * @param misses  lookups that found nothing
 * @param unused  recorded entries never served
 */
public record ReplaySummary(int entries, long hits, long misses, int unused) {

    /** @return e.g. {@code 12 hits, 1 miss, 3 of 40 recorded entries unused} */
    public String describe() {
        return hits + (hits == 1 ? " hit, " : " hits, ") + misses + (misses == 1 ? " miss, " : " misses, ")
                + unused + " of " + entries + " recorded " + (entries == 1 ? "entry" : "entries") + " unused";
    }

    @Override
    public String toString() {
        return describe();
    }
}
