package dev.harp.drift;

import java.util.List;
import java.util.Objects;

/**
 * What {@link HarDrift} found between an old and a new recording (two HAR files, or two folders of them): the requests
 * with something to report, the files found on one side only, and notes on entries that could not be compared.
 * {@link #hasDrift()} decides the exit status of {@code harp diff}; {@link #describe()} is the text it prints,
 * {@link #toJson()} its {@code --json} output. Immutable.
 *
 * @param files           the pairs of files compared
 * @param requests        the requests recorded on both sides
 * @param drift           the requests with something to report (added, removed, or with changes), in file order,
 *                        then in the old recording's order, the added ones after
 * @param onlyInOld       files only in the old folder, relative to it
 * @param onlyInNew       files only in the new folder, relative to it
 * @param notes           entries that were not compared (failed requests, unreadable bodies), one line each
 * @param values          whether value changes count as drift ({@link DriftOptions#values()})
 */
public record DriftReport(int files, int requests, List<RequestDrift> drift, List<String> onlyInOld,
                          List<String> onlyInNew, List<String> notes, boolean values) {

    /** Checks and copies the parts. */
    public DriftReport {
        drift = List.copyOf(Objects.requireNonNull(drift, "drift"));
        onlyInOld = List.copyOf(onlyInOld);
        onlyInNew = List.copyOf(onlyInNew);
        notes = List.copyOf(notes);
    }

    /** Whether anything counts as drift: a file or a request on one side only, a breaking change, or (when asked) a value change. */
    public boolean hasDrift() {
        return !onlyInOld.isEmpty() || !onlyInNew.isEmpty() || drift.stream().anyMatch(r -> r.isDrift(values));
    }

    /** Breaking changes found, over every request. */
    public int breakingChanges() {
        return (int) drift.stream().flatMap(r -> r.changes().stream())
                .filter(c -> c.severity() == Change.Severity.BREAKING).count();
    }

    /** Value changes found, over every request (drift only when {@link #values()}). */
    public int valueChanges() {
        return (int) drift.stream().flatMap(r -> r.changes().stream())
                .filter(c -> c.severity() == Change.Severity.CHANGED).count();
    }

    /**
     * The report as {@code harp diff} prints it: per request that drifted its title and one line per change counted
     * (value changes only when they count), files on one side only, notes, and a summary line last, e.g.
     * {@code Harp compared 2 files, 14 requests: drift in 3 requests (2 breaking changes, 1 request removed)}.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (RequestDrift r : drift) {
            if (!r.isDrift(values)) {
                continue;
            }
            sb.append(r.title()).append('\n');
            for (Change c : r.changes()) {
                if (values || c.severity() == Change.Severity.BREAKING) {
                    sb.append("  ").append(c).append('\n');
                }
            }
            if (r.moreChanges() > 0) {
                sb.append("  ... and ").append(r.moreChanges()).append(" more changes\n");
            }
        }
        onlyInOld.forEach(f -> sb.append(f).append(": only in OLD\n"));
        onlyInNew.forEach(f -> sb.append(f).append(": only in NEW\n"));
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        sb.append(summary());
        return sb.toString();
    }

    /** The last line of {@link #describe()}. */
    public String summary() {
        StringBuilder sb = new StringBuilder("Harp compared ").append(count(files, "file")).append(", ")
                .append(count(requests, "request")).append(": ");
        long drifted = drift.stream().filter(r -> r.isDrift(values)).count();
        if (!hasDrift()) {
            sb.append("no drift");
        } else {
            sb.append("drift in ").append(count((int) drifted, "request"));
            StringBuilder parts = new StringBuilder();
            part(parts, breakingChanges(), "breaking change", "breaking changes");
            if (values) {
                part(parts, valueChanges(), "value change", "value changes");
            }
            part(parts, (int) drift.stream().filter(RequestDrift::added).count(), "request added", "requests added");
            part(parts, (int) drift.stream().filter(RequestDrift::removed).count(), "request removed",
                    "requests removed");
            part(parts, onlyInOld.size() + onlyInNew.size(), "file on one side only", "files on one side only");
            if (parts.length() > 0) {
                sb.append(" (").append(parts).append(')');
            }
        }
        int uncounted = values ? 0 : valueChanges();
        if (uncounted > 0) {
            sb.append("; ").append(count(uncounted, "value change")).append(" not counted as drift (option values)");
        }
        return sb.toString();
    }

    /** The report as JSON, for machines: {@code harp diff --json}. */
    public String toJson() {
        return DriftJson.write(this);
    }

    private static void part(StringBuilder parts, int n, String one, String many) {
        if (n > 0) {
            parts.append(parts.length() == 0 ? "" : ", ").append(n).append(' ').append(n == 1 ? one : many);
        }
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    @Override
    public String toString() {
        return summary();
    }
}
