package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Where the time of an entry went ({@code entry.timings}), in milliseconds, fractions allowed.
 *
 * <p>{@code send}, {@code wait} and {@code receive} are required; the others are optional, and
 * "absent" ({@code null}) is kept apart from {@code -1} ("does not apply", e.g. {@code connect} on
 * a reused connection). Real files break the rules ({@code receive: -1} from Playwright), so no
 * arithmetic is enforced; {@code ssl} is included in {@code connect} per the spec.
 *
 * @param blocked optional queueing time, {@code null} when absent
 * @param dns optional DNS resolution time, {@code null} when absent
 * @param connect optional TCP (and TLS) connect time, {@code null} when absent
 * @param send time to send the request
 * @param waitTime time waiting for the first response byte (JSON member {@code wait}; a record
 *     component cannot be called {@code wait} because {@code Object.wait()} is final)
 * @param receive time to read the response
 * @param ssl optional TLS handshake time (also counted in {@code connect}), {@code null} when
 *     absent
 * @param comment optional comment, {@code null} when absent
 * @param extensions custom timings such as Chrome's {@code _blocked_queueing}, in order
 */
public record HarTimings(Double blocked, Double dns, Double connect, double send, double waitTime,
        double receive, Double ssl, String comment, Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("blocked", "dns", "connect", "send", "wait",
            "receive", "ssl", "comment");

    /** Checks that every number is finite and freezes the extensions. */
    public HarTimings {
        Extensions.finiteOrNull(blocked, "timings.blocked");
        Extensions.finiteOrNull(dns, "timings.dns");
        Extensions.finiteOrNull(connect, "timings.connect");
        Extensions.finite(send, "timings.send");
        Extensions.finite(waitTime, "timings.wait");
        Extensions.finite(receive, "timings.receive");
        Extensions.finiteOrNull(ssl, "timings.ssl");
        extensions = Extensions.freeze(extensions, MEMBERS, "timings");
    }

    /** Timings with only the required phases; the optional ones are absent. */
    public static HarTimings of(double send, double waitTime, double receive) {
        return new HarTimings(null, null, null, send, waitTime, receive, null, null, null);
    }

    /**
     * The entry time these timings describe: the sum of every phase that is not negative, with
     * {@code ssl} left out because it is already part of {@code connect}.
     */
    public double total() {
        return positive(blocked) + positive(dns) + positive(connect) + positive(send)
                + positive(waitTime) + positive(receive);
    }

    private static double positive(Double value) {
        return value == null || value < 0 ? 0 : value;
    }
}
