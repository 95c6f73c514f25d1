package dev.harp.bench;

/**
 * One measured load: completed requests per second and latency percentiles in milliseconds.
 *
 * @param client  which load generator measured it ({@code wrk} or {@code jdk})
 * @param requests successful requests counted in the measured window
 * @param errors   failed requests (I/O errors, wrong status, short bodies) in the measured window
 */
record LoadResult(String client, double requestsPerSecond, double p50Millis, double p99Millis, long requests, long errors) {
}
