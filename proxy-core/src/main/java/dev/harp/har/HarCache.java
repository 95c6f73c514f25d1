package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Cache state around an entry ({@code entry.cache}); usually {@code {}}.
 *
 * <p>The two cache descriptions are kept as raw JSON because tools disagree on their content
 * (Firefox writes {@code lastFetched} and {@code fetchCount} instead of the spec's members) and the
 * proxy never interprets them. Absent ({@code null} here) means unknown; a JSON {@code null}
 * ({@code NullNode}) means there was no cache entry, as the spec says.
 *
 * @param beforeRequest optional cache entry before the request, {@code null} when absent
 * @param afterRequest optional cache entry after the request, {@code null} when absent
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define, in order
 */
public record HarCache(JsonNode beforeRequest, JsonNode afterRequest, String comment,
        Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("beforeRequest", "afterRequest", "comment");

    private static final HarCache EMPTY = new HarCache(null, null, null, null);

    /** Copies the JSON values and freezes the extensions. */
    public HarCache {
        beforeRequest = beforeRequest == null ? null : beforeRequest.deepCopy();
        afterRequest = afterRequest == null ? null : afterRequest.deepCopy();
        extensions = Extensions.freeze(extensions, MEMBERS, "cache");
    }

    /** The empty cache object {@code {}}, which is what most tools write. */
    public static HarCache empty() {
        return EMPTY;
    }
}
