package dev.harp.drift;

import java.util.List;
import java.util.Objects;

/**
 * What changed for one request between two recordings: the request was recorded only in the old one (removed), only
 * in the new one (added), or in both with these {@link Change}s in the response.
 *
 * @param file        the HAR file, relative to the folders compared (its name when two files were compared)
 * @param method      the request method
 * @param url         the request URL, secrets in it redacted
 * @param oldEntry    the entry's number in the old HAR, from 1 (as lint numbers entries); 0 when absent
 * @param newEntry    the entry's number in the new HAR, from 1; 0 when absent
 * @param changes     the changes listed, in response order (status, headers, body); at most
 *                    {@value DriftOptions#MAX_CHANGES_PER_REQUEST}
 * @param moreChanges changes found beyond those listed
 */
public record RequestDrift(String file, String method, String url, int oldEntry, int newEntry, List<Change> changes,
                           int moreChanges) {

    /** Checks and copies the parts. */
    public RequestDrift {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        changes = List.copyOf(changes);
        if (oldEntry <= 0 && newEntry <= 0) {
            throw new IllegalArgumentException("a request is in the old recording, the new one or both");
        }
    }

    /** Whether the request was recorded only in the new recording. */
    public boolean added() {
        return oldEntry <= 0;
    }

    /** Whether the request was recorded only in the old recording. */
    public boolean removed() {
        return newEntry <= 0;
    }

    /** Whether a change of this severity was found. */
    public boolean has(Change.Severity severity) {
        return changes.stream().anyMatch(c -> c.severity() == severity);
    }

    /** Whether this is drift: added, removed, a breaking change, or (when {@code values}) any change. */
    public boolean isDrift(boolean values) {
        return added() || removed() || has(Change.Severity.BREAKING) || values && !changes.isEmpty();
    }

    /**
     * {@code api.har: GET https://api.example/items (entry #2)}, {@code ... (entry #2, now #3)} when it moved,
     * {@code ...: only in OLD (entry #4)} or {@code ...: only in NEW (entry #5)}.
     */
    public String title() {
        String request = file + ": " + method + " " + url;
        if (added()) {
            return request + ": only in NEW (entry #" + newEntry + ")";
        }
        if (removed()) {
            return request + ": only in OLD (entry #" + oldEntry + ")";
        }
        return request + (oldEntry == newEntry ? " (entry #" + oldEntry + ")" : " (entry #" + oldEntry + ", now #" + newEntry + ")");
    }

    @Override
    public String toString() {
        return title() + (changes.isEmpty() ? "" : ": " + changes.size() + " changes");
    }
}
