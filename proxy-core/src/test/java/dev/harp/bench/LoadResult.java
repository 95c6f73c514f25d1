package dev.harp.bench;

/**
 * One measured load: completed requests per second and latency percentiles in milliseconds.
 *
 * @param client  which load generator measured it ({@code wrk} or {@code jdk})
 * @param requests successful requests counted in the measured window
 * @param errors   failed requests (I/O errors, wrong status, short bodies) in the measured window
 */
record LoadResult(String client, double requestsPerSecond, double p50Millis, double p99Millis, long requests, long errors) {
    /** The rounds' medians of req/s, p50 and p99 (each taken separately), and their summed counts. */
    static LoadResult median(java.util.List<LoadResult> rounds) {
        double[] rps = rounds.stream().mapToDouble(LoadResult::requestsPerSecond).sorted().toArray();
        double[] p50 = rounds.stream().mapToDouble(LoadResult::p50Millis).sorted().toArray();
        double[] p99 = rounds.stream().mapToDouble(LoadResult::p99Millis).sorted().toArray();
        return new LoadResult(rounds.get(0).client(), middle(rps), middle(p50), middle(p99),
                rounds.stream().mapToLong(LoadResult::requests).sum(), rounds.stream().mapToLong(LoadResult::errors).sum());
    }

    /** The median of sorted values. */
    static double middle(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
