package dev.harp.report;

import dev.harp.usage.BuildUsage;
import dev.harp.usage.FixtureState;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.MissView;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.harp.report.Html.esc;

/**
 * Renders {@code report.html}: one page with its style inline and no script, so it reads offline, without
 * JavaScript and under a Content-Security-Policy that forbids loading anything. Long lists are cut (the page says
 * how many more); every value from usage files and HARs is escaped.
 */
final class ReportPage {
    /** The ids of the page's sections, in page order. */
    static final List<String> SECTIONS = List.of("summary", "misses", "fixtures", "unused", "orphans", "blocked");
    /** Uses with misses shown in detail. */
    static final int MAX_MISS_USES = 50;
    /** Misses shown per use. */
    static final int MAX_MISSES_PER_USE = 5;
    /** Rows of the fixture, orphan and blocked tables. */
    static final int MAX_ROWS = 300;
    /** Fixtures whose unused entries are listed. */
    static final int MAX_UNUSED_FIXTURES = 100;
    /** Usage-file problems listed. */
    static final int MAX_PROBLEMS = 20;

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 40px;color:#222}
            h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:2px;margin-top:28px}
            h3{font-size:15px;margin:18px 0 4px}h4{font-size:14px;margin:12px 0 4px;font-weight:600;word-break:break-all}
            nav a{margin-right:12px}table{border-collapse:collapse;margin:6px 0}
            th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
            td{font-family:ui-monospace,monospace;font-size:12.5px;white-space:pre-wrap;word-break:break-all}
            td.n,th.n{text-align:right}thead th{background:#f3f3f3}
            table.sbs{table-layout:fixed;width:100%}table.sbs th:first-child{width:150px}
            tr.diff td,tr.diff th{background:#ffe0e0}.flag{color:#b00;font-weight:700}
            .muted{color:#777}.aspect{font-weight:600;text-transform:uppercase;font-size:11px;color:#555}
            code{background:#f4f4f4;padding:0 3px}.miss{border-left:3px solid #d88;padding-left:10px;margin:10px 0}
            .test{margin:14px 0 24px}.bad{color:#b00}.ok{color:#070}ul{margin:4px 0}
            dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px}dt{font-weight:600}dd{margin:0}
            """;

    private ReportPage() {
    }

    static String render(BuildReport report, Path outDir) {
        BuildUsage usage = report.usage();
        BuildReport.Totals t = report.totals();
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Harp fixture report</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n")
                .append("<body>\n<h1>Harp fixture report</h1>\n<nav>")
                .append("<a href=\"#summary\">Summary</a><a href=\"#misses\">Tests with misses (")
                .append(t.testsWithMisses()).append(")</a><a href=\"#fixtures\">Fixtures (").append(t.fixtures())
                .append(")</a><a href=\"#unused\">Unused entries (").append(t.unusedEntries())
                .append(")</a><a href=\"#orphans\">Files no test opened (").append(t.orphans())
                .append(")</a><a href=\"#blocked\">Left alone by pruning (").append(t.blocked()).append(")</a></nav>\n");
        summary(out, report, usage, t);
        misses(out, report, usage, outDir);
        fixtures(out, report, usage, outDir);
        unused(out, report, usage, outDir);
        orphans(out, report, usage, outDir);
        blocked(out, report, usage, outDir);
        out.append("<p class=\"muted\">Generated ").append(esc(stamp(report.generated())))
                .append(" from the usage files of ").append(esc(report.display(usage.contents().folder())))
                .append(". summary.json beside this page holds the same data for machines.</p>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void summary(StringBuilder out, BuildReport report, BuildUsage usage, BuildReport.Totals t) {
        out.append("<section id=\"summary\">\n<h2>Summary</h2>\n<dl>\n");
        dt(out, "Usage folder", esc(report.display(usage.contents().folder())));
        dt(out, "Mode", esc(modes(usage.contents().uses())));
        Instant from = usage.contents().firstStarted().orElse(null);
        Instant to = usage.contents().uses().stream().map(FixtureUse::finished).max(Comparator.naturalOrder())
                .orElse(null);
        dt(out, "Data window", from == null ? "no usage data" : esc(stamp(from) + " to " + stamp(to) + " ("
                + human(Duration.between(from, to)) + ")"));
        dt(out, "Test selection", usage.selection().isEmpty()
                ? "not narrowed (as far as the usage files tell)"
                : "narrowed: <code>" + esc(usage.selection()) + "</code>; fixtures of tests that did not run are "
                + "neither orphans nor pruned");
        dt(out, "Fixture folders", usage.roots().isEmpty() ? "none" : esc(String.join(", ",
                usage.roots().stream().map(report::display).toList())));
        dt(out, "Uses", t.uses() + " by " + t.tests() + (t.tests() == 1 ? " test" : " tests") + " (or executions)");
        dt(out, "Requests", t.hits() + " served from fixtures, <span class=\"" + (t.misses() > 0 ? "bad" : "ok")
                + "\">" + t.misses() + " missed</span>" + (t.misses() == 0 ? "" : " in " + t.testsWithMisses()
                + (t.testsWithMisses() == 1 ? " test" : " tests")));
        dt(out, "Fixtures", t.fixtures() + (t.fixtures() == 1 ? " file; " : " files; ") + t.unusedEntries()
                + " unused entries in "
                + t.fixturesWithUnused() + " of them; " + t.orphans() + " no test opened; " + t.prunable()
                + " pruning may act on, " + t.blocked() + " it leaves alone");
        dt(out, "Usage files unreadable", t.problems() == 0 ? "none" : "<span class=\"bad\">" + t.problems()
                + "</span> (pruning refuses to act on partial data)");
        out.append("</dl>\n");
        List<String> problems = usage.contents().problems();
        if (!problems.isEmpty()) {
            out.append("<ul>\n");
            for (String p : problems.subList(0, Math.min(MAX_PROBLEMS, problems.size()))) {
                out.append("<li><code>").append(esc(Html.cut(p, 400))).append("</code></li>\n");
            }
            more(out, problems.size() - MAX_PROBLEMS, "unreadable usage files");
            out.append("</ul>\n");
        }
        out.append("</section>\n");
    }

    private static void misses(StringBuilder out, BuildReport report, BuildUsage usage, Path outDir) {
        List<FixtureUse> uses = usage.usesWithMisses();
        out.append("<section id=\"misses\">\n<h2>Tests with misses</h2>\n");
        if (uses.isEmpty()) {
            out.append("<p class=\"ok\">No request missed.</p>\n");
        }
        int number = 0;
        for (FixtureUse use : uses.subList(0, Math.min(MAX_MISS_USES, uses.size()))) {
            out.append("<div class=\"test\">\n<h3>").append(esc(use.user())).append("</h3>\n<p>Fixture ")
                    .append(link(report, outDir, use.fixture(), java.nio.file.Files.isRegularFile(use.fixture())))
                    .append(" · outcome <span class=\"").append(use.outcome() == FixtureUse.Outcome.FAILED ? "bad" : "")
                    .append("\">").append(esc(use.outcome().name().toLowerCase(java.util.Locale.ROOT)))
                    .append("</span> · mode ").append(esc(use.mode().cliName()))
                    .append(use.modeSource().isEmpty() ? "" : " (" + esc(use.modeSource()) + ")")
                    .append(" · ").append(use.misses().size()).append(use.misses().size() == 1 ? " miss" : " misses")
                    .append(", ").append(use.hits()).append(use.hits() == 1 ? " hit" : " hits").append("</p>\n");
            List<MissView> misses = use.misses();
            for (MissView miss : misses.subList(0, Math.min(MAX_MISSES_PER_USE, misses.size()))) {
                MissTable.render(out, miss, ++number);
            }
            if (misses.size() > MAX_MISSES_PER_USE) {
                out.append("<p class=\"muted\">… and ").append(misses.size() - MAX_MISSES_PER_USE)
                        .append(" more misses of this test (summary.json counts them; the test's log lists them)</p>\n");
            }
            out.append("</div>\n");
        }
        if (uses.size() > MAX_MISS_USES) {
            out.append("<p class=\"muted\">… and ").append(uses.size() - MAX_MISS_USES)
                    .append(" more tests with misses (listed in summary.json)</p>\n");
        }
        out.append("</section>\n");
    }

    private static void fixtures(StringBuilder out, BuildReport report, BuildUsage usage, Path outDir) {
        List<FixtureState> bySize = new ArrayList<>(usage.fixtures());
        bySize.sort(Comparator.comparingLong(FixtureState::size).reversed().thenComparing(FixtureState::file));
        out.append("<section id=\"fixtures\">\n<h2>Fixtures by size and age</h2>\n");
        if (bySize.isEmpty()) {
            out.append("<p>No fixture files.</p>\n</section>\n");
            return;
        }
        out.append("<table>\n<thead><tr><th>file</th><th class=\"n\">size</th><th class=\"n\">entries</th>"
                + "<th>newest entry recorded</th><th>file last modified</th><th class=\"n\">uses</th>"
                + "<th class=\"n\">hits</th><th class=\"n\">unused</th></tr></thead>\n<tbody>\n");
        for (FixtureState f : bySize.subList(0, Math.min(MAX_ROWS, bySize.size()))) {
            FixtureDetails d = report.details(f);
            out.append("<tr><th>").append(link(report, outDir, f.file(), f.exists())).append("</th><td class=\"n\">")
                    .append(esc(size(f.size()))).append("</td><td class=\"n\">").append(f.entries())
                    .append("</td><td>").append(d.newestEntry().map(i -> esc(age(i, report.generated())))
                            .orElse("<span class=\"muted\">unknown</span>"))
                    .append("</td><td>").append(f.exists() ? esc(age(f.lastModified(), report.generated())) : "missing")
                    .append("</td><td class=\"n\">").append(f.uses().size()).append("</td><td class=\"n\">")
                    .append(f.hits()).append("</td><td class=\"n\">")
                    .append(f.orphan() ? "all (no test opened it)" : f.unusedKnown() ? f.unused().size() : "unknown")
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        more(out, bySize.size() - MAX_ROWS, "fixtures (smaller ones; all are in summary.json)");
        out.append("</section>\n");
    }

    private static void unused(StringBuilder out, BuildReport report, BuildUsage usage, Path outDir) {
        List<FixtureState> with = usage.fixtures().stream().filter(f -> f.unusedKnown() && !f.unused().isEmpty())
                .toList();
        out.append("<section id=\"unused\">\n<h2>Unused entries per fixture</h2>\n");
        if (with.isEmpty()) {
            out.append("<p>No fixture a test opened holds an entry it did not use.</p>\n");
        }
        for (FixtureState f : with.subList(0, Math.min(MAX_UNUSED_FIXTURES, with.size()))) {
            FixtureDetails d = report.details(f);
            out.append("<h3>").append(link(report, outDir, f.file(), f.exists())).append(": ")
                    .append(f.unused().size()).append(" of ").append(f.entries()).append(" entries unused</h3>\n");
            if (!d.problem().isEmpty()) {
                out.append("<p class=\"bad\">").append(esc(Html.cut(d.problem(), 400))).append("</p>\n");
                continue;
            }
            out.append("<table>\n<thead><tr><th class=\"n\">entry</th><th>method</th><th>URL</th>"
                    + "<th class=\"n\">status</th></tr></thead>\n<tbody>\n");
            for (FixtureDetails.EntryLine e : d.unused()) {
                out.append("<tr class=\"unused-entry\"><td class=\"n\">#").append(e.index()).append("</td><td>")
                        .append(esc(e.method())).append("</td><td>").append(esc(Html.cut(e.url(), 400)))
                        .append("</td><td class=\"n\">").append(e.status() == 0 ? "none" : e.status())
                        .append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n");
            more(out, f.unused().size() - d.unused().size(), "unused entries of this fixture");
        }
        more(out, with.size() - MAX_UNUSED_FIXTURES, "fixtures with unused entries (in summary.json)");
        out.append("</section>\n");
    }

    private static void orphans(StringBuilder out, BuildReport report, BuildUsage usage, Path outDir) {
        List<FixtureState> orphans = usage.orphans();
        out.append("<section id=\"orphans\">\n<h2>Fixture files no test opened in this build</h2>\n");
        if (orphans.isEmpty()) {
            out.append("<p>Every fixture file was opened by a test.</p>\n");
        } else {
            if (!usage.selection().isEmpty()) {
                out.append("<p class=\"muted\">The run was narrowed: their tests may simply not have run.</p>\n");
            }
            out.append("<ul>\n");
            for (FixtureState f : orphans.subList(0, Math.min(MAX_ROWS, orphans.size()))) {
                out.append("<li class=\"orphan\">").append(link(report, outDir, f.file(), f.exists())).append(" (")
                        .append(esc(size(f.size()))).append(", ").append(f.entries()).append(" entries)</li>\n");
            }
            out.append("</ul>\n");
            more(out, orphans.size() - MAX_ROWS, "files no test opened");
        }
        out.append("</section>\n");
    }

    private static void blocked(StringBuilder out, BuildReport report, BuildUsage usage, Path outDir) {
        List<FixtureState> blocked = usage.fixtures().stream().filter(f -> !f.prunable()).toList();
        out.append("<section id=\"blocked\">\n<h2>Fixtures pruning must leave alone</h2>\n");
        if (blocked.isEmpty()) {
            out.append("<p>None: pruning may act on every fixture.</p>\n");
        } else {
            out.append("<table>\n<thead><tr><th>file</th><th>why</th></tr></thead>\n<tbody>\n");
            for (FixtureState f : blocked.subList(0, Math.min(MAX_ROWS, blocked.size()))) {
                out.append("<tr><th>").append(link(report, outDir, f.file(), f.exists())).append("</th><td>")
                        .append(esc(Html.cut(f.blocker(), 600))).append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n");
            more(out, blocked.size() - MAX_ROWS, "fixtures pruning leaves alone");
        }
        out.append("</section>\n");
    }

    private static String link(BuildReport report, Path outDir, Path file, boolean exists) {
        String text = esc(report.display(file));
        if (!exists) {
            return text + " <span class=\"muted\">(missing)</span>";
        }
        return "<a class=\"fixture\" href=\"" + esc(Html.href(outDir, file)) + "\">" + text + "</a>";
    }

    private static void dt(StringBuilder out, String term, String html) {
        out.append("<dt>").append(esc(term)).append("</dt><dd>").append(html).append("</dd>\n");
    }

    private static void more(StringBuilder out, int count, String what) {
        if (count > 0) {
            out.append("<p class=\"muted\">… and ").append(count).append(" more ").append(esc(what)).append("</p>\n");
        }
    }

    /** @return e.g. {@code replay (from CI=true)}, or {@code replay in 12 uses (from CI=true), auto in 2 uses} */
    static String modes(List<FixtureUse> uses) {
        if (uses.isEmpty()) {
            return "none (no usage data)";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Set<String>> sources = new LinkedHashMap<>();
        for (FixtureUse u : uses) {
            String mode = u.mode().cliName();
            counts.merge(mode, 1, Integer::sum);
            if (!u.modeSource().isEmpty()) {
                sources.computeIfAbsent(mode, m -> new LinkedHashSet<>()).add(u.modeSource());
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((mode, n) -> {
            Set<String> from = sources.getOrDefault(mode, Set.of());
            parts.add(mode + (counts.size() == 1 ? "" : " in " + n + (n == 1 ? " use" : " uses"))
                    + (from.isEmpty() ? "" : " (from " + String.join(", ", from.stream().limit(5).toList())
                    + (from.size() > 5 ? ", ..." : "") + ")"));
        });
        return String.join(", ", parts);
    }

    static String stamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String age(Instant when, Instant now) {
        return when.truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10) + " (" + human(Duration.between(when, now))
                + " ago)";
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return s / 60 + " min";
        }
        if (s < 2 * 86_400) {
            return s / 3600 + " h";
        }
        if (s < 2 * 365 * 86_400L) {
            return s / 86_400 + " days";
        }
        return s / (365 * 86_400L) + " years";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
