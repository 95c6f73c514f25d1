package dev.harp.report;

import dev.harp.replay.NameValue;
import dev.harp.usage.MissView;
import dev.harp.usage.RequestView;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.harp.report.Html.cut;
import static dev.harp.report.Html.esc;

/**
 * One miss as the page shows it: a side-by-side table of the live request and the closest recorded one (method,
 * origin, path, one row per query parameter, headers, a body excerpt) whose rows the matcher found different are
 * marked {@code class="diff"}, then the differences with the option that would make them match in every face's
 * spelling.
 */
final class MissTable {
    /** Header rows shown per request pair; the rest are counted. */
    static final int MAX_HEADERS = 30;
    /** Query parameter rows shown per request pair. */
    static final int MAX_PARAMS = 50;
    /** Characters of a body, a header value or a URL part shown. */
    static final int MAX_VALUE = 600;
    /** Other close entries listed besides the closest. */
    static final int MAX_OTHERS = 2;

    private static final Pattern NAMED =
            Pattern.compile("^(?:query parameter|header) \"(.*?)\"(?::| missing| not recorded)");

    private MissTable() {
    }

    static void render(StringBuilder out, MissView miss, int number) {
        out.append("<div class=\"miss\" id=\"miss-").append(number).append("\">\n");
        RequestView live = miss.live();
        out.append("<h4>Miss ").append(number).append(": ").append(esc(live.method())).append(' ')
                .append(esc(cut(live.url(), MAX_VALUE))).append(" <span class=\"muted\">(")
                .append(esc(miss.reason().toLowerCase(Locale.ROOT).replace('_', ' '))).append(")</span></h4>\n");
        if (miss.closest().isEmpty()) {
            out.append("<p>No recorded request to compare with.</p>\n");
            table(out, live, null, List.of());
        } else {
            MissView.Closest closest = miss.closest().get(0);
            table(out, live, closest, closest.differences());
            differences(out, closest.differences());
            List<MissView.Closest> others = miss.closest().subList(1, miss.closest().size());
            if (!others.isEmpty()) {
                out.append("<p class=\"muted\">Also close:</p><ul class=\"others\">\n");
                for (MissView.Closest other : others.subList(0, Math.min(MAX_OTHERS, others.size()))) {
                    out.append("<li>").append(entries(other.entries())).append(' ')
                            .append(esc(other.recorded().method())).append(' ')
                            .append(esc(cut(other.recorded().url(), MAX_VALUE))).append(" (score ")
                            .append(Math.round(other.score())).append("): ");
                    List<String> d = other.differences().stream().map(MissView.DifferenceView::description).toList();
                    out.append(esc(cut(String.join("; ", d), MAX_VALUE))).append("</li>\n");
                }
                out.append("</ul>\n");
            }
        }
        out.append("</div>\n");
    }

    private static String entries(List<Integer> entries) {
        if (entries.size() == 1) {
            return "entry #" + entries.get(0);
        }
        return "entries #" + entries.get(0) + "–#" + entries.get(entries.size() - 1);
    }

    private static void table(StringBuilder out, RequestView live, MissView.Closest closest,
                              List<MissView.DifferenceView> differences) {
        RequestView recorded = closest == null ? null : closest.recorded();
        Set<String> aspects = new TreeSet<>();
        Set<String> queryNames = new TreeSet<>();
        Set<String> headerNames = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (MissView.DifferenceView d : differences) {
            aspects.add(d.aspect());
            String name = named(d);
            if (name != null && d.aspect().equals("QUERY")) {
                queryNames.add(name);
            } else if (name != null && d.aspect().equals("HEADER")) {
                headerNames.add(name);
            }
        }
        out.append("<table class=\"sbs\">\n<thead><tr><th></th><th>live request</th>");
        if (recorded != null) {
            out.append("<th>closest recorded: ").append(entries(closest.entries())).append(" (score ")
                    .append(Math.round(closest.score())).append(")</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        row(out, "method", "method", live.method(), recorded == null ? null : recorded.method(),
                aspects.contains("METHOD"), recorded != null);
        Url l = Url.of(live.url());
        Url r = recorded == null ? null : Url.of(recorded.url());
        row(out, "origin", "origin", l.origin, r == null ? null : r.origin,
                aspects.contains("SCHEME") || aspects.contains("HOST") || aspects.contains("PORT"), recorded != null);
        row(out, "path", "path", l.path, r == null ? null : r.path, aspects.contains("PATH"), recorded != null);
        Map<String, List<String>> lq = l.query;
        Map<String, List<String>> rq = r == null ? Map.of() : r.query;
        List<String> names = union(lq.keySet(), rq.keySet());
        int shown = 0;
        for (String name : names) {
            if (shown++ == MAX_PARAMS) {
                more(out, names.size() - MAX_PARAMS, "query parameters");
                break;
            }
            row(out, "query", "?" + name, values(lq.get(name)), recorded == null ? null : values(rq.get(name)),
                    queryNames.contains(name), recorded != null);
        }
        Map<String, List<String>> lh = headers(live.headers());
        Map<String, List<String>> rh = recorded == null ? Map.of() : headers(recorded.headers());
        List<String> headerRows = new ArrayList<>(union(lh.keySet(), rh.keySet()));
        headerRows.sort(java.util.Comparator.comparing(n -> !headerNames.contains(n))); // differing ones first
        shown = 0;
        for (String name : headerRows) {
            if (shown++ == MAX_HEADERS) {
                more(out, headerRows.size() - MAX_HEADERS, "headers");
                break;
            }
            row(out, "header", name, values(lh.get(name)), recorded == null ? null : values(rh.get(name)),
                    headerNames.contains(name), recorded != null);
        }
        row(out, "body", "body", body(live), recorded == null ? null : body(recorded), aspects.contains("BODY"),
                recorded != null);
        out.append("</tbody>\n</table>\n");
    }

    private static void more(StringBuilder out, int count, String what) {
        out.append("<tr><td colspan=\"3\" class=\"muted\">… and ").append(count).append(" more ").append(what)
                .append("</td></tr>\n");
    }

    /** @return the parameter or header name a difference is about, or null */
    static String named(MissView.DifferenceView d) {
        if (d.suggestion() != null && (d.aspect().equals("QUERY") || d.aspect().equals("HEADER"))
                && !d.suggestion().value().isEmpty()) {
            return d.suggestion().value();
        }
        Matcher m = NAMED.matcher(d.description());
        return m.find() ? m.group(1) : null;
    }

    private static void row(StringBuilder out, String kind, String label, String live, String recorded, boolean diff,
                            boolean twoSides) {
        out.append("<tr class=\"").append(kind).append(diff ? " diff" : "").append("\"><th>").append(esc(label))
                .append(diff ? " <span class=\"flag\">≠</span>" : "").append("</th>");
        cell(out, live);
        if (twoSides) {
            cell(out, recorded);
        }
        out.append("</tr>\n");
    }

    private static void cell(StringBuilder out, String value) {
        out.append("<td>").append(value == null ? "<span class=\"muted\">absent</span>" : esc(cut(value, MAX_VALUE)))
                .append("</td>");
    }

    private static String body(RequestView r) {
        if (r.bodyLength() == 0) {
            return "(empty)";
        }
        if (r.body().isEmpty()) {
            return "(" + r.bodyLength() + " bytes, not text)";
        }
        String text = cut(r.body(), MAX_VALUE);
        return r.bodyTruncated() && text.length() == r.body().length()
                ? text + "… (" + r.bodyLength() + " bytes in all)" : text;
    }

    private static String values(List<String> values) {
        return values == null ? null : String.join(", ", values);
    }

    private static List<String> union(Set<String> a, Set<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String name : b) {
            if (!a.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static Map<String, List<String>> headers(List<NameValue> headers) {
        Map<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (NameValue h : headers) {
            out.computeIfAbsent(h.name(), n -> new ArrayList<>()).add(h.value());
        }
        return out;
    }

    private static void differences(StringBuilder out, List<MissView.DifferenceView> differences) {
        if (differences.isEmpty()) {
            return;
        }
        out.append("<ul class=\"differences\">\n");
        for (MissView.DifferenceView d : differences) {
            out.append("<li><span class=\"aspect\">").append(esc(d.aspect().toLowerCase(Locale.ROOT)))
                    .append("</span> ").append(esc(cut(d.description(), MAX_VALUE)));
            MissView.SuggestionView s = d.suggestion();
            if (s != null) {
                out.append("<br><span class=\"muted\">").append(s.drop() ? "take out of " : "would match with ")
                        .append("</span>CLI <code>").append(esc(s.cli())).append("</code> · JUnit <code>")
                        .append(esc(s.junit())).append("</code> · Maven <code>").append(esc(s.maven()))
                        .append("</code>");
            } else {
                out.append(" <span class=\"muted\">(no option removes this difference: re-record, or fix the "
                        + "request)</span>");
            }
            out.append("</li>\n");
        }
        out.append("</ul>\n");
    }

    /** A URL cut into what the table shows in rows. */
    private record Url(String origin, String path, Map<String, List<String>> query) {
        static Url of(String url) {
            String rest = url;
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                rest = rest.substring(0, hash);
            }
            String query = "";
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            String origin = "";
            String path = rest;
            int scheme = rest.indexOf("://");
            if (scheme >= 0) {
                int slash = rest.indexOf('/', scheme + 3);
                origin = slash < 0 ? rest : rest.substring(0, slash);
                path = slash < 0 ? "/" : rest.substring(slash);
            }
            Map<String, List<String>> params = new LinkedHashMap<>();
            if (!query.isEmpty()) {
                for (String pair : query.split("&", -1)) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
            }
            return new Url(origin, path, params);
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return s;
            }
        }
    }
}
