package dev.harp.replay;

import dev.harp.redaction.Redaction;

/**
 * How a recorded value that went through redaction matches a live one: {@value Redaction#REDACTED} as the whole
 * value matches anything, and {@value Redaction#REDACTED} inside a value (a redacted URL parameter, a JWT cut out
 * of a longer text) matches any text in its place, so {@code https://app/cb?code=REDACTED&state=1} matches
 * {@code https://app/cb?code=x9&state=1} and not {@code ...&state=2}. Linear in the value's length.
 */
final class Redacted {
    private Redacted() {
    }

    /** @return whether the recorded value, its redactions as wildcards, matches the live one */
    static boolean matches(String recorded, String live) {
        if (recorded.equals(live) || recorded.equals(Redaction.REDACTED)) {
            return true;
        }
        int first = recorded.indexOf(Redaction.REDACTED);
        if (first < 0) {
            return false;
        }
        String[] pieces = recorded.split(Redaction.REDACTED, -1);
        String head = pieces[0];
        String tail = pieces[pieces.length - 1];
        if (!live.startsWith(head) || live.length() < head.length() + tail.length() || !live.endsWith(tail)) {
            return false;
        }
        int at = head.length();
        int end = live.length() - tail.length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int found = live.indexOf(pieces[i], at);
            if (found < 0 || found + pieces[i].length() > end) {
                return false;
            }
            at = found + pieces[i].length();
        }
        return true;
    }

    /** @return whether the value holds a redaction, so it is a pattern rather than a literal */
    static boolean isPattern(String recorded) {
        return recorded.contains(Redaction.REDACTED);
    }
}
