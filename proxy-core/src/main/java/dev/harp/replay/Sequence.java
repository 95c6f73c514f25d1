package dev.harp.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * Identical recorded requests, in recorded order, with a cursor on the next one not yet served. Taking the next
 * entry is atomic, so concurrent lookups each get a distinct entry, in order.
 */
final class Sequence<T> {

    private final List<RecordedEntry<T>> entries = new ArrayList<>(1);
    private final PreparedRequest representative;
    private int next;

    Sequence(RecordedEntry<T> first) {
        this.entries.add(first);
        this.representative = first.request();
    }

    /** The first entry's request; every entry of the sequence matches it. */
    PreparedRequest representative() {
        return representative;
    }

    synchronized void add(RecordedEntry<T> entry) {
        entries.add(entry);
    }

    /** @return the next entry never taken, advancing the cursor, or {@code null} when all were taken */
    synchronized RecordedEntry<T> takeNext() {
        return next < entries.size() ? entries.get(next++) : null;
    }

    synchronized RecordedEntry<T> first() {
        return entries.get(0);
    }

    synchronized RecordedEntry<T> last() {
        return entries.get(entries.size() - 1);
    }

    synchronized List<Integer> entryIndices() {
        List<Integer> indices = new ArrayList<>(entries.size());
        entries.forEach(e -> indices.add(e.index()));
        return indices;
    }
}
