package dev.harp.replay;

import java.util.Objects;

/**
 * One recorded exchange as the replay index sees it: the request to match and the payload to serve on a hit.
 *
 * @param request the recorded request
 * @param payload what a hit returns, typically the recorded response; never {@code null}
 * @param <T>     the payload type, unknown to the index
 */
public record Recorded<T>(MatchRequest request, T payload) {

    /**
     * Checks that neither part is {@code null}.
     *
     * @param request the recorded request
     * @param payload the payload
     */
    public Recorded {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Shorthand for {@code new Recorded<>(request, payload)}.
     *
     * @param request the recorded request
     * @param payload the payload
     * @param <T>     the payload type
     * @return the pair
     */
    public static <T> Recorded<T> of(MatchRequest request, T payload) {
        return new Recorded<>(request, payload);
    }
}
