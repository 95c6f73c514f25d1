package dev.harp.drift;

import java.util.ArrayList;
import java.util.List;

/** The changes found for one request, at most {@link DriftOptions#MAX_CHANGES_PER_REQUEST}; the rest only counted. */
final class Changes {
    private final List<Change> list = new ArrayList<>();
    private int more;

    void add(Change change) {
        if (full()) {
            more++;
        } else {
            list.add(change);
        }
    }

    boolean full() {
        return list.size() >= DriftOptions.MAX_CHANGES_PER_REQUEST;
    }

    /** Counts a change not looked at because the list is full. */
    void overflow() {
        more++;
    }

    List<Change> list() {
        return List.copyOf(list);
    }

    /** Changes found beyond the listed ones. */
    int more() {
        return more;
    }

    /** {@code text} cut to {@code max} characters, with {@code ...} when cut; control characters shown as spaces. */
    static String shorten(String text, int max) {
        String flat = text.replaceAll("\\p{Cntrl}", " ");
        return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
    }
}
