package dev.harp.report;

import dev.harp.usage.BuildUsage;
import dev.harp.usage.FixtureUse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one-screen text summary of a report, for a console or a build log: at most {@link #MAX_LINES} lines. */
final class ConsoleSummary {
    /** Lines at most. */
    static final int MAX_LINES = 15;
    /** Tests with misses named. */
    static final int MAX_TESTS = 5;

    private ConsoleSummary() {
    }

    static List<String> lines(BuildReport report, Path html) {
        BuildUsage usage = report.usage();
        BuildReport.Totals t = report.totals();
        List<String> out = new ArrayList<>();
        if (!report.hasData()) {
            out.add("Harp report: no usage data in " + report.display(usage.contents().folder())
                    + " (did tests run with Harp?); " + t.fixtures() + " fixture files");
        } else {
            out.add("Harp report: " + t.uses() + plural(t.uses(), " use") + " by " + t.tests()
                    + plural(t.tests(), " test") + " of " + t.fixtures() + plural(t.fixtures(), " fixture")
                    + ", mode " + ReportPage.modes(usage.contents().uses()) + ": " + t.hits()
                    + plural(t.hits(), " hit") + ", "
                    + t.misses() + plural(t.misses(), " miss", " misses"));
        }
        if (!usage.selection().isEmpty()) {
            out.add("  run narrowed (" + usage.selection() + "): files of tests that did not run are left alone");
        }
        List<FixtureUse> withMisses = usage.usesWithMisses();
        if (!withMisses.isEmpty()) {
            out.add("  tests with misses: " + t.testsWithMisses());
            for (FixtureUse u : withMisses.subList(0, Math.min(MAX_TESTS, withMisses.size()))) {
                out.add("    " + Html.cut(u.user(), 100) + ": " + u.misses().size()
                        + plural(u.misses().size(), " miss", " misses") + " in " + report.display(u.fixture())
                        + " (" + u.outcome().name().toLowerCase(Locale.ROOT) + ")");
            }
            if (withMisses.size() > MAX_TESTS) {
                out.add("    ... and " + (withMisses.size() - MAX_TESTS) + " more");
            }
        }
        out.add("  unused entries: " + t.unusedEntries() + " in " + t.fixturesWithUnused()
                + plural(t.fixturesWithUnused(), " fixture") + "; fixture files no test opened: " + t.orphans()
                + "; left alone by pruning: " + t.blocked());
        if (t.problems() > 0) {
            out.add("  usage files that could not be read: " + t.problems() + " (listed in the report)");
        }
        out.add("  report: " + html.toAbsolutePath().normalize());
        return List.copyOf(out.subList(0, Math.min(MAX_LINES, out.size())));
    }

    private static String plural(long n, String one) {
        return plural(n, one, one + "s");
    }

    private static String plural(long n, String one, String many) {
        return n == 1 ? one : many;
    }
}
