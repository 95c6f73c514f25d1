package dev.harp.drift;

import java.util.Set;

/**
 * Response headers whose values change on every recording without the API changing: dates, lengths and validators
 * of a body compared anyway, request and trace ids, timings, rate-limit counters, cache and edge bookkeeping.
 * {@code Set-Cookie} is not among them: its cookie names are compared, its values are not.
 */
final class VolatileHeaders {
    private static final Set<String> NAMES = Set.of("date", "expires", "last-modified", "age", "etag",
            "content-length", "server-timing", "traceparent", "tracestate", "x-runtime", "x-response-time",
            "x-served-by", "x-timer", "x-cache", "x-cache-hits", "cf-ray", "cf-cache-status", "report-to", "nel",
            "x-amz-id-2", "x-amz-cf-pop", "x-envoy-upstream-service-time", "retry-after", "keep-alive", "via");

    private VolatileHeaders() {
    }

    /** @param lowerCaseName a header name in lower case */
    static boolean isVolatile(String lowerCaseName) {
        String n = lowerCaseName;
        return NAMES.contains(n) || n.endsWith("-id") || n.endsWith("-ids") || n.endsWith("requestid")
                || n.contains("request-id") || n.contains("correlation") || n.contains("trace") || n.startsWith("x-b3-")
                || n.contains("ratelimit") || n.contains("rate-limit") || n.endsWith("-timing") || n.endsWith("-time");
    }
}
