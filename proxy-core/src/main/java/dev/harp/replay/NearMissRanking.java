package dev.harp.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the recorded requests closest to a live one that missed: every candidate is scored (cheap, no difference
 * texts), then only the closest few are compared in full to say what differs.
 */
final class NearMissRanking {

    /** A candidate: the first entry's index (for stable ties), all its indices and its prepared request. */
    record Candidate(int firstIndex, List<Integer> entryIndices, PreparedRequest request) {
    }

    private record Scored(Candidate candidate, double score) {
    }

    private static final Comparator<Scored> CLOSEST_FIRST = Comparator.comparingDouble((Scored s) -> -s.score())
            .thenComparingInt(s -> s.candidate().firstIndex());

    private NearMissRanking() {
    }

    /** @return up to {@code limit} closest candidates, closest first, ties in entry order */
    static List<NearMiss> closest(RequestComparator comparator, PreparedRequest live, List<Candidate> candidates,
            int limit) {
        List<Scored> best = new ArrayList<>(limit + 1);
        for (Candidate candidate : candidates) {
            Scored scored = new Scored(candidate, comparator.score(live, candidate.request()));
            if (best.size() < limit || CLOSEST_FIRST.compare(scored, best.get(best.size() - 1)) < 0) {
                best.add(scored);
                best.sort(CLOSEST_FIRST);
                if (best.size() > limit) {
                    best.remove(limit);
                }
            }
        }
        List<NearMiss> closest = new ArrayList<>(best.size());
        for (Scored s : best) {
            RequestComparator.Comparison comparison = comparator.compare(live, s.candidate().request());
            closest.add(new NearMiss(s.candidate().entryIndices(), s.candidate().request().sent(),
                    comparison.score(), comparison.differences()));
        }
        return closest;
    }
}
