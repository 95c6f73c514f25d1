package dev.harp.lint;

import dev.harp.lint.LintFinding.Kind;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What one run of {@link FixtureLint} found: the findings in file order (files sorted by path, findings by entry),
 * the number of HAR files read, and a summary line every face prints the same way.
 *
 * @param findings     the findings
 * @param filesChecked the number of HAR files checked (a malformed file counts; a link out of the folder does not)
 */
public record LintReport(List<LintFinding> findings, int filesChecked) {
    /** Copies the findings. */
    public LintReport {
        findings = List.copyOf(findings);
        if (filesChecked < 0) {
            throw new IllegalArgumentException("filesChecked must be 0 or more");
        }
    }

    /** Whether nothing was found. */
    public boolean isClean() {
        return findings.isEmpty();
    }

    /** The findings counted by kind, in the order of {@link Kind}; kinds without findings are left out. */
    public Map<Kind, Integer> counts() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (LintFinding f : findings) {
            counts.merge(f.kind(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * One line, e.g. {@code Harp checked 3 files: 4 findings (1 malformed file, 3 secrets)} or
     * {@code Harp checked 3 files: 0 findings}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder("Harp checked ").append(filesChecked)
                .append(filesChecked == 1 ? " file: " : " files: ")
                .append(findings.size()).append(findings.size() == 1 ? " finding" : " findings");
        if (!findings.isEmpty()) {
            StringJoiner kinds = new StringJoiner(", ", " (", ")");
            counts().forEach((kind, n) -> kinds.add(kind.count(n)));
            sb.append(kinds);
        }
        return sb.toString();
    }
}
