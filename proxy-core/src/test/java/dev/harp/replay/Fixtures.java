package dev.harp.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Short ways to write requests and indexes in tests. */
final class Fixtures {

    private Fixtures() {
    }

    static MatchRequest get(String url) {
        return MatchRequest.of("GET", url);
    }

    static MatchRequest post(String url, String contentType, String body) {
        return withUrl("POST", url).header("Content-Type", contentType).body(body).build();
    }

    static MatchRequest.Builder withUrl(String method, String url) {
        return MatchRequest.of(method, url).toBuilder();
    }

    static MatchRequest json(String url, String body) {
        return post(url, "application/json", body);
    }

    static MatchRequest form(String url, String body) {
        return post(url, "application/x-www-form-urlencoded", body);
    }

    static MatchRequest multipart(String url, String boundary, String... parts) {
        StringBuilder body = new StringBuilder();
        for (String part : parts) {
            body.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");
        return post(url, "multipart/form-data; boundary=" + boundary, body.toString());
    }

    /** An index whose payloads are the given labels, recorded for the requests in the same order. */
    static ReplayIndex<String> index(MatchOptions options, Object... requestsThenLabels) {
        List<Recorded<String>> recorded = new ArrayList<>();
        for (int i = 0; i < requestsThenLabels.length; i += 2) {
            recorded.add(Recorded.of((MatchRequest) requestsThenLabels[i], (String) requestsThenLabels[i + 1]));
        }
        return ReplayIndex.of(recorded, options);
    }

    static ReplayIndex<String> index(Object... requestsThenLabels) {
        return index(MatchOptions.defaults(), requestsThenLabels);
    }

    /** The payloads served for the requests, with {@code miss} for each miss. */
    static List<String> served(ReplayIndex<String> index, MatchRequest... requests) {
        List<String> served = new ArrayList<>();
        Arrays.stream(requests).forEach(r -> {
            Lookup<String> lookup = index.find(r);
            served.add(lookup.isHit() ? lookup.payload() : "miss");
        });
        return served;
    }
}
