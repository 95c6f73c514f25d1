package dev.harp.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares live and recorded name/value pairs (query parameters, form fields, selected headers) as a multiset per
 * name: order does not matter, repetitions do, and a recorded {@value MatchRequest#REDACTED} matches any one live
 * value. Names compare exactly; callers lower-case header names first.
 */
final class PairComparison {

    /** A name whose live and recorded values differ; either list may be empty (absent on that side). */
    record NameDiff(String name, List<String> live, List<String> recorded) {
    }

    /** The differing names, recorded names first, and how many names were compared in all. */
    record Result(List<NameDiff> differences, int namesCompared) {

        boolean equal() {
            return differences.isEmpty();
        }

        /** 1 when equal, down to 0 when no name agrees. */
        double similarity() {
            return namesCompared == 0 ? 1.0 : 1.0 - (double) differences.size() / namesCompared;
        }
    }

    private static final int MAX_SHOWN = 60;

    private PairComparison() {
    }

    /**
     * @param stopAtFirst return as soon as one name differs (for matching, where only equality counts)
     */
    static Result compare(List<NameValue> live, List<NameValue> recorded, boolean stopAtFirst) {
        if (live.equals(recorded)) {
            return new Result(List.of(), 0);
        }
        Map<String, List<String>> recordedByName = group(recorded);
        Map<String, List<String>> liveByName = group(live);
        Map<String, Boolean> names = new LinkedHashMap<>();
        recordedByName.keySet().forEach(n -> names.put(n, true));
        liveByName.keySet().forEach(n -> names.put(n, true));

        List<NameDiff> differences = new ArrayList<>();
        for (String name : names.keySet()) {
            List<String> liveValues = liveByName.getOrDefault(name, List.of());
            List<String> recordedValues = recordedByName.getOrDefault(name, List.of());
            if (!valuesMatch(liveValues, recordedValues)) {
                differences.add(new NameDiff(name, liveValues, recordedValues));
                if (stopAtFirst) {
                    break;
                }
            }
        }
        return new Result(differences, names.size());
    }

    /** Every concrete recorded value must be taken by an equal live value; the rest is left for the wildcards. */
    static boolean valuesMatch(List<String> live, List<String> recorded) {
        if (live.size() != recorded.size()) {
            return false;
        }
        List<String> unclaimed = new ArrayList<>(live);
        for (String value : recorded) {
            if (!value.equals(MatchRequest.REDACTED) && !unclaimed.remove(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param kind what the pairs are, e.g. {@code query parameter}
     * @return e.g. {@code query parameter "page": live "2", recorded "1"}
     */
    static String describe(String kind, NameDiff diff) {
        String subject = kind + " \"" + diff.name() + "\"";
        if (diff.live().isEmpty()) {
            return subject + " missing: recorded " + values(diff.recorded());
        }
        if (diff.recorded().isEmpty()) {
            return subject + " not recorded: live " + values(diff.live());
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

    private static Map<String, List<String>> group(List<NameValue> pairs) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (NameValue pair : pairs) {
            byName.computeIfAbsent(pair.name(), n -> new ArrayList<>(1)).add(pair.value());
        }
        return byName;
    }
}
