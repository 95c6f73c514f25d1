package dev.harp.replay;

import java.util.List;
import java.util.Objects;

/**
 * A recorded request that came close to a live one that missed, with what differs.
 *
 * <p>Identical recorded requests are one sequence and appear once, with all their entry indices.
 *
 * @param entryIndices the indices of the recorded entries of this sequence, in recorded order (at least one)
 * @param recorded     the recorded request
 * @param score        closeness from 0 to 100; method, host and path weigh most, then query, headers and body
 * @param differences  what differs, in request order; empty when the request matched but its sequence was used up
 */
public record NearMiss(List<Integer> entryIndices, MatchRequest recorded, double score, List<Difference> differences) {

    /**
     * Copies the lists and checks the parts.
     *
     * @param entryIndices the entry indices
     * @param recorded the recorded request
     * @param score the closeness score
     * @param differences what differs
     */
    public NearMiss {
        entryIndices = List.copyOf(entryIndices);
        if (entryIndices.isEmpty()) {
            throw new IllegalArgumentException("a near miss names at least one entry");
        }
        Objects.requireNonNull(recorded, "recorded");
        differences = List.copyOf(differences);
    }

    /** @return the index of the first recorded entry of this sequence */
    public int entryIndex() {
        return entryIndices.get(0);
    }
}
