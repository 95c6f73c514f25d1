package dev.harp.replay;

import dev.harp.redaction.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares live and recorded name/value pairs (query parameters, form fields, selected headers) as a multiset per
 * name: order does not matter, repetitions do, and a recorded {@value Redaction#REDACTED} matches any one live
 * value. Names compare exactly; callers lower-case header names first.
 */
final class PairComparison {

    /** A name whose live and recorded values differ; either list may be empty (absent on that side). */
    record NameDiff(String name, List<String> live, List<String> recorded) {
    }

    /** The differing names, recorded names first. */
    record Result(List<NameDiff> differences) {

        boolean equal() {
            return differences.isEmpty();
        }
    }

    private static final int MAX_SHOWN = 60;

    private PairComparison() {
    }

    /** Compares pair lists; see {@link #compare(Map, Map, boolean)}. */
    static Result compare(List<NameValue> live, List<NameValue> recorded, boolean stopAtFirst) {
        return compare(group(live), group(recorded), stopAtFirst);
    }

    /**
     * @param live        live values by name, as {@link #group} gives them
     * @param recorded    recorded values by name
     * @param stopAtFirst return as soon as one name differs (for matching, where only equality counts)
     */
    static Result compare(Map<String, List<String>> live, Map<String, List<String>> recorded, boolean stopAtFirst) {
        if (live.equals(recorded)) {
            return new Result(List.of());
        }
        List<NameDiff> differences = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : recorded.entrySet()) {
            List<String> liveValues = live.getOrDefault(entry.getKey(), List.of());
            if (!valuesMatch(liveValues, entry.getValue())) {
                differences.add(new NameDiff(entry.getKey(), liveValues, entry.getValue()));
                if (stopAtFirst) {
                    return new Result(differences);
                }
            }
        }
        for (Map.Entry<String, List<String>> entry : live.entrySet()) {
            if (!recorded.containsKey(entry.getKey())) {
                differences.add(new NameDiff(entry.getKey(), entry.getValue(), List.of()));
                if (stopAtFirst) {
                    break;
                }
            }
        }
        return new Result(differences);
    }

    /** @return the share of names (on either side) whose values match: 1 when equal or both empty, else less */
    static double similarity(Map<String, List<String>> live, Map<String, List<String>> recorded) {
        if (live.equals(recorded)) {
            return 1.0;
        }
        int names = recorded.size();
        int matching = 0;
        for (Map.Entry<String, List<String>> entry : recorded.entrySet()) {
            List<String> liveValues = live.get(entry.getKey());
            if (liveValues != null && valuesMatch(liveValues, entry.getValue())) {
                matching++;
            }
        }
        for (String name : live.keySet()) {
            if (!recorded.containsKey(name)) {
                names++;
            }
        }
        return (double) matching / names;
    }

    /** Every concrete recorded value must be taken by an equal live value; the rest is left for the wildcards. */
    static boolean valuesMatch(List<String> live, List<String> recorded) {
        if (live.size() != recorded.size()) {
            return false;
        }
        if (live.size() == 1) {
            return Redacted.matches(recorded.get(0), live.get(0));
        }
        List<String> unclaimed = new ArrayList<>(live);
        List<String> patterns = new ArrayList<>();
        for (String value : recorded) {
            if (Redacted.isPattern(value)) {
                patterns.add(value);
            } else if (!unclaimed.remove(value)) {
                return false;
            }
        }
        for (String pattern : patterns) { // partly redacted values (a URL with a redacted parameter) claim a match
            if (pattern.equals(Redaction.REDACTED)) {
                continue;
            }
            int claimed = -1;
            for (int i = 0; i < unclaimed.size() && claimed < 0; i++) {
                if (Redacted.matches(pattern, unclaimed.get(i))) {
                    claimed = i;
                }
            }
            if (claimed < 0) {
                return false;
            }
            unclaimed.remove(claimed);
        }
        return true;
    }

    /**
     * @param kind what the pairs are, e.g. {@code query parameter}
     * @return e.g. {@code query parameter "page": live "2", recorded "1"}
     */
    static String describe(String kind, NameDiff diff) {
        String subject = kind + " \"" + diff.name() + "\"";
        // a miss report reaches CI logs: of a value under a secret name say that it differs, never what it is
        boolean secret = Redaction.defaults().isSecretName(diff.name());
        if (diff.live().isEmpty()) {
            return subject + " missing: recorded " + (secret ? "a value (not shown: secret)" : values(diff.recorded()));
        }
        if (diff.recorded().isEmpty()) {
            return subject + " not recorded: live " + (secret ? "a value (not shown: secret)" : values(diff.live()));
        }
        if (secret) {
            return subject + ": live and recorded values differ (not shown: the name holds a secret)";
        }
        return subject + ": live " + values(diff.live()) + ", recorded " + values(diff.recorded());
    }

    private static String values(List<String> values) {
        if (values.size() == 1) {
            return quote(values.get(0));
        }
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(quote(v)));
        return quoted.toString();
    }

    /** A value in double quotes, shortened to keep miss reports readable. */
    static String quote(String value) {
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "..." : value;
        return "\"" + shown + "\"";
    }

    /**
     * @return values by name, names in first-seen order, values in order; read-only (no pair or one pair take no
     *     table, which adds up over the hundreds of thousands of entries a loaded HAR may hold)
     */
    static Map<String, List<String>> group(List<NameValue> pairs) {
        if (pairs.isEmpty()) {
            return Map.of();
        }
        if (pairs.size() == 1) {
            return Map.of(pairs.get(0).name(), List.of(pairs.get(0).value()));
        }
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (NameValue pair : pairs) {
            byName.computeIfAbsent(pair.name(), n -> new ArrayList<>(1)).add(pair.value());
        }
        return byName;
    }
}
