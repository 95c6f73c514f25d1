package dev.harp.replay;


import java.time.Duration;
import java.util.Locale;

/**
 * How long a replayed response waits before it is sent: {@code none} (the default, as fast as possible),
 * {@code recorded} (the entry's recorded wait and receive times), or a fixed delay such as {@code 250ms}.
 */
public final class Latency {
    private static final Latency NONE = new Latency(false, Duration.ZERO);
    private static final Latency RECORDED = new Latency(true, Duration.ZERO);

    private final boolean recorded;
    private final Duration fixed;

    private Latency(boolean recorded, Duration fixed) {
        this.recorded = recorded;
        this.fixed = fixed;
    }

    /** No added delay. */
    public static Latency none() {
        return NONE;
    }

    /** The recorded wait and receive times. */
    public static Latency recorded() {
        return RECORDED;
    }

    /** The same delay for every response. */
    public static Latency fixed(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + delay);
        }
        return delay.isZero() ? NONE : new Latency(false, delay);
    }

    /**
     * Parses {@code none}, {@code recorded}, or a fixed delay: {@code 250ms}, {@code 2s}, or a plain number of
     * milliseconds.
     */
    public static Latency parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.isEmpty()) {
            return NONE;
        }
        if (t.equals("recorded")) {
            return RECORDED;
        }
        try {
            if (t.endsWith("ms")) {
                return fixed(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim())));
            }
            if (t.endsWith("s")) {
                return fixed(Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000)));
            }
            return fixed(Duration.ofMillis(Long.parseLong(t)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("latency must be none, recorded, or a delay such as 250ms or 2s, not '" + text + "'");
        }
    }

    /** Milliseconds to wait before sending this response. */
    public long delayMillis(ReplayResponse response) {
        if (recorded) {
            return Math.round(response.waitMillis() + response.receiveMillis());
        }
        return fixed.toMillis();
    }

    /**
     * Milliseconds to wait before a replayed WebSocket message that was recorded {@code recordedMillis} after what
     * preceded it (the client's message, the previous server message, or the handshake).
     */
    public long delayMillis(double recordedMillis) {
        if (recorded) {
            return Double.isNaN(recordedMillis) ? 0 : Math.max(0, Math.round(recordedMillis));
        }
        return fixed.toMillis();
    }

    @Override
    public String toString() {
        return recorded ? "recorded" : fixed.isZero() ? "none" : fixed.toMillis() + "ms";
    }
}
