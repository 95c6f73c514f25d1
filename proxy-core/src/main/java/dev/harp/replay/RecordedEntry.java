package dev.harp.replay;

import java.util.concurrent.atomic.AtomicInteger;

/** A recorded entry inside the index: its position, its prepared request, its payload and how often it was served. */
final class RecordedEntry<T> {

    private final int index;
    private final PreparedRequest request;
    private final T payload;
    private final AtomicInteger served = new AtomicInteger();

    RecordedEntry(int index, PreparedRequest request, T payload) {
        this.index = index;
        this.request = request;
        this.payload = payload;
    }

    int index() {
        return index;
    }

    PreparedRequest request() {
        return request;
    }

    T payload() {
        return payload;
    }

    int servedCount() {
        return served.get();
    }

    /** Counts one more serving and returns the hit. */
    Lookup<T> serve() {
        served.incrementAndGet();
        return Lookup.hit(payload, index);
    }
}
