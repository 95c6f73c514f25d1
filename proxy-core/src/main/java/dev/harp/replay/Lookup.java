package dev.harp.replay;

import java.util.Objects;

/**
 * The outcome of {@link ReplayIndex#find}: a hit carrying the recorded payload and its entry index, or a miss
 * carrying the diagnostics.
 *
 * @param <T> the payload type
 */
public final class Lookup<T> {

    private final T payload;
    private final int entryIndex;
    private final Miss miss;

    private Lookup(T payload, int entryIndex, Miss miss) {
        this.payload = payload;
        this.entryIndex = entryIndex;
        this.miss = miss;
    }

    static <T> Lookup<T> hit(T payload, int entryIndex) {
        return new Lookup<>(Objects.requireNonNull(payload, "payload"), entryIndex, null);
    }

    static <T> Lookup<T> miss(Miss miss) {
        return new Lookup<>(null, -1, Objects.requireNonNull(miss, "miss"));
    }

    /** @return whether a recorded entry answers the request */
    public boolean isHit() {
        return miss == null;
    }

    /**
     * @return the recorded payload to serve
     * @throws IllegalStateException on a miss
     */
    public T payload() {
        if (miss != null) {
            throw new IllegalStateException("no payload: the lookup was a miss\n" + miss.describe());
        }
        return payload;
    }

    /**
     * @return the index of the entry served, in the order the entries were given (appended ones after)
     * @throws IllegalStateException on a miss
     */
    public int entryIndex() {
        if (miss != null) {
            throw new IllegalStateException("no entry: the lookup was a miss");
        }
        return entryIndex;
    }

    /**
     * @return why nothing matched and what came closest
     * @throws IllegalStateException on a hit
     */
    public Miss miss() {
        if (miss == null) {
            throw new IllegalStateException("no miss: the lookup was a hit on entry #" + entryIndex);
        }
        return miss;
    }

    @Override
    public String toString() {
        return miss == null ? "hit #" + entryIndex + ": " + payload : "miss: " + miss.request();
    }
}
