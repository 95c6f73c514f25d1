package dev.harp.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares a live request with a recorded one under the {@link MatchOptions}: {@link #matches} decides, cheapest
 * checks first; {@link #score} ranks near misses; {@link #compare} lists every difference for the report.
 *
 * <p>The score runs from 0 to 100 and weighs what identifies an endpoint most: method 25, host 20, path up to 25
 * (segments equal at the same position count), port 5, scheme 5, then query up to 10, matched headers up to 5, body 5.
 */
final class RequestComparator {

    /** The differences in request order (origin, path, query, headers, body) and the closeness score. */
    record Comparison(List<Difference> differences, double score) {
    }

    private final MatchOptions options;

    RequestComparator(MatchOptions options) {
        this.options = options;
    }

    MatchOptions options() {
        return options;
    }

    /** Prepares a live request: host aliases applied, body parsed on demand. */
    PreparedRequest prepareLive(MatchRequest live) {
        return new PreparedRequest(live, options.parsedHostAliases().apply(live), options);
    }

    /** Prepares a recorded request fully, so it can be shared between threads. */
    PreparedRequest prepareRecorded(MatchRequest recorded) {
        return new PreparedRequest(recorded, recorded, options).warm();
    }

    /** @return whether the live request matches the recorded one; cheapest checks first, nothing described */
    boolean matches(PreparedRequest live, PreparedRequest recorded) {
        MatchRequest l = live.request();
        MatchRequest r = recorded.request();
        return l.method().equals(r.method()) && l.host().equals(r.host()) && l.port() == r.port()
                && l.scheme().equals(r.scheme()) && l.normalisedPath().equals(r.normalisedPath())
                && PairComparison.compare(live.query(), recorded.query(), true).equal()
                && PairComparison.compare(live.matchedHeaders(), recorded.matchedHeaders(), true).equal()
                && (options.ignoreBody() || BodyComparator.compare(live, recorded) == null);
    }

    /** @return every difference, in request order, and the closeness score */
    Comparison compare(PreparedRequest livePrepared, PreparedRequest recordedPrepared) {
        MatchRequest live = livePrepared.request();
        MatchRequest recorded = recordedPrepared.request();
        List<Difference> differences = new ArrayList<>();

        boolean sameMethod = live.method().equals(recorded.method());
        boolean sameHost = live.host().equals(recorded.host());
        boolean samePort = live.port() == recorded.port();
        boolean sameScheme = live.scheme().equals(recorded.scheme());
        boolean samePath = live.normalisedPath().equals(recorded.normalisedPath());
        if (!sameMethod) {
            differences.add(new Difference(Difference.Aspect.METHOD,
                    "method: live " + live.method() + ", recorded " + recorded.method(), null));
        }
        // One host alias fixes host, port and scheme together; each of those differences carries it.
        Suggestion alias = sameHost && samePort ? null : aliasFor(livePrepared.sent(), recorded);
        if (!sameHost) {
            differences.add(new Difference(Difference.Aspect.HOST, "host: live " + live.host() + ":" + live.port()
                    + ", recorded " + recorded.host() + ":" + recorded.port(), alias));
        } else if (!samePort) {
            differences.add(new Difference(Difference.Aspect.PORT,
                    "port: live " + live.port() + ", recorded " + recorded.port(), alias));
        }
        if (!sameScheme) {
            differences.add(new Difference(Difference.Aspect.SCHEME,
                    "scheme: live " + live.scheme() + ", recorded " + recorded.scheme(), alias));
        }
        if (!samePath) {
            differences.add(new Difference(Difference.Aspect.PATH, "path: live " + PairComparison.quote(live.path())
                    + ", recorded " + PairComparison.quote(recorded.path()), null));
        }

        PairComparison.Result query = PairComparison.compare(livePrepared.query(), recordedPrepared.query(), false);
        for (PairComparison.NameDiff diff : query.differences()) {
            differences.add(new Difference(Difference.Aspect.QUERY,
                    PairComparison.describe("query parameter", diff), Suggestion.ignoreQueryParam(diff.name())));
        }

        PairComparison.Result headers = PairComparison.compare(
                livePrepared.matchedHeaders(), recordedPrepared.matchedHeaders(), false);
        for (PairComparison.NameDiff diff : headers.differences()) {
            // the WebSocket headers are compared whatever the options say: no option removes their difference
            boolean optional = options.matchHeaders().contains(diff.name()) || !PreparedRequest.isWebSocketHeader(diff.name());
            differences.add(new Difference(Difference.Aspect.HEADER,
                    PairComparison.describe("header", diff), optional ? Suggestion.stopMatchingHeader(diff.name()) : null));
        }

        Difference body = options.ignoreBody() ? null : BodyComparator.compare(livePrepared, recordedPrepared);
        if (body != null) {
            differences.add(body);
        }
        return new Comparison(List.copyOf(differences), score(livePrepared, recordedPrepared));
    }

    /**
     * @return how close the live request is to the recorded one, 0 to 100, without listing differences: cheap
     *         enough to rank every recorded request on a miss
     */
    double score(PreparedRequest live, PreparedRequest recorded) {
        MatchRequest l = live.request();
        MatchRequest r = recorded.request();
        return (l.method().equals(r.method()) ? 25 : 0)
                + (l.host().equals(r.host()) ? 20 : 0)
                + (l.port() == r.port() ? 5 : 0)
                + (l.scheme().equals(r.scheme()) ? 5 : 0)
                + 25 * pathSimilarity(l.normalisedPath(), r.normalisedPath())
                + 10 * PairComparison.similarity(live.query(), recorded.query())
                + 5 * PairComparison.similarity(live.matchedHeaders(), recorded.matchedHeaders())
                + (options.ignoreBody() || BodyComparator.compare(live, recorded) == null ? 5 : 0);
    }

    /** The host alias that maps the live origin (as sent, before aliases) onto the recorded one. */
    private static Suggestion aliasFor(MatchRequest sent, MatchRequest recorded) {
        int port = recorded.port();
        String inferredScheme = port == 443 ? "https" : port == 80 ? "http" : sent.scheme();
        String target = (inferredScheme.equals(recorded.scheme()) ? "" : recorded.scheme() + "://")
                + recorded.host() + ":" + port;
        return Suggestion.hostAlias(sent.host() + ":" + sent.port(), target);
    }

    /** Segments equal at the same position, over the longer path's segment count: /v1/orders ~ /v2/orders. */
    private static double pathSimilarity(String live, String recorded) {
        if (live.equals(recorded)) {
            return 1.0;
        }
        String[] a = live.split("/", -1);
        String[] b = recorded.split("/", -1);
        int equal = 0;
        // Both start with the empty segment before the first '/': that alone says nothing.
        for (int i = 1; i < a.length && i < b.length; i++) {
            if (a[i].equals(b[i])) {
                equal++;
            }
        }
        int max = Math.max(a.length, b.length) - 1;
        return max <= 0 ? 0 : equal / (double) max;
    }
}
