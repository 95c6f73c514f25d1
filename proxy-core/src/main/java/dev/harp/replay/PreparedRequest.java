package dev.harp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request made ready for comparison under given options: the origin aliased (live side), the query decoded with
 * ignored parameters removed, the matched headers picked, and the body parsed as JSON, form fields or multipart
 * parts on first use.
 *
 * <p>Not thread-safe while parsing lazily; recorded requests are {@linkplain #warm() warmed} before they are
 * shared, live requests stay on the thread that looks them up.
 */
final class PreparedRequest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String UPGRADE = "upgrade";
    private static final String SUBPROTOCOL = "sec-websocket-protocol";

    private final MatchRequest sent;
    private final MatchRequest request;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final List<JsonPath> ignoredJsonPaths;

    private boolean jsonParsed;
    private JsonNode json;
    private boolean formParsed;
    private List<NameValue> form;
    private boolean partsParsed;
    private List<Multipart.Part> parts;

    PreparedRequest(MatchRequest sent, MatchRequest request, MatchOptions options) {
        this.sent = sent;
        this.request = request;
        this.ignoredJsonPaths = options.parsedJsonPaths();
        Set<String> ignoredParams = options.ignoreQueryParams();
        List<NameValue> kept = request.decodedQuery();
        if (!ignoredParams.isEmpty()) {
            kept = kept.stream().filter(p -> !ignoredParams.contains(p.name())).toList();
        }
        this.query = PairComparison.group(kept);
        List<NameValue> picked = new ArrayList<>();
        if (!options.matchHeaders().isEmpty()) {
            for (NameValue h : request.headers()) {
                String name = h.name().toLowerCase(Locale.ROOT);
                if (options.matchHeaders().contains(name)) {
                    picked.add(new NameValue(name, h.value().trim()));
                }
            }
        }
        addWebSocketHeaders(request, options, picked);
        this.headers = PairComparison.group(picked);
    }

    /**
     * A WebSocket upgrade matches only a recorded WebSocket upgrade, with the same offered subprotocols: both are
     * compared as if named in matchHeaders ({@code upgrade: websocket}, and {@code sec-websocket-protocol} with its
     * list normalised), so a plain GET never gets a recorded 101, nor an upgrade a recorded 200.
     */
    private static void addWebSocketHeaders(MatchRequest request, MatchOptions options, List<NameValue> picked) {
        boolean upgrade = request.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Upgrade")
                && h.value().toLowerCase(Locale.ROOT).contains("websocket"));
        if (!upgrade) {
            return;
        }
        if (!options.matchHeaders().contains(UPGRADE)) {
            picked.add(new NameValue(UPGRADE, "websocket"));
        }
        if (!options.matchHeaders().contains(SUBPROTOCOL)) {
            List<String> offered = new ArrayList<>();
            for (NameValue h : request.headers()) {
                if (h.name().equalsIgnoreCase(SUBPROTOCOL)) {
                    for (String p : h.value().split(",")) {
                        if (!p.isBlank()) {
                            offered.add(p.trim());
                        }
                    }
                }
            }
            if (!offered.isEmpty()) {
                picked.add(new NameValue(SUBPROTOCOL, String.join(", ", offered)));
            }
        }
    }

    /** Whether a header name is compared for WebSocket upgrades whatever matchHeaders says. */
    static boolean isWebSocketHeader(String lowerCaseName) {
        return lowerCaseName.equals(UPGRADE) || lowerCaseName.equals(SUBPROTOCOL);
    }

    /** Parses everything now, so the instance can be shared read-only between threads. */
    PreparedRequest warm() {
        json();
        form();
        parts();
        return this;
    }

    /** @return the request as sent, before any host alias */
    MatchRequest sent() {
        return sent;
    }

    /** @return the request as compared (after host aliases, for live requests) */
    MatchRequest request() {
        return request;
    }

    /** @return decoded query parameter values by name, without ignored ones */
    Map<String, List<String>> query() {
        return query;
    }

    /** @return values of the headers named in matchHeaders by lower-case name, trimmed */
    Map<String, List<String>> matchedHeaders() {
        return headers;
    }

    /** @return the body as a JSON object or array with ignored paths removed, or {@code null} */
    JsonNode json() {
        if (!jsonParsed) {
            json = JsonDiff.parseObjectOrArray(request.bodyBytes());
            if (json != null) {
                JsonDiff.removeAll(json, ignoredJsonPaths);
            }
            jsonParsed = true;
        }
        return json;
    }

    /** @return decoded form fields when the content type is form-urlencoded, else {@code null} */
    List<NameValue> form() {
        if (!formParsed) {
            String type = contentType();
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
                String text = new String(request.bodyBytes(), StandardCharsets.UTF_8);
                form = List.copyOf(UrlCodec.formDecode(UrlCodec.parsePairs(text)));
            }
            formParsed = true;
        }
        return form;
    }

    /** @return the multipart parts when the content type is multipart and the body parses, else {@code null} */
    List<Multipart.Part> parts() {
        if (!partsParsed) {
            parts = Multipart.parse(contentType(), request.bodyBytes());
            partsParsed = true;
        }
        return parts;
    }

    private String contentType() {
        return request.header("Content-Type").map(String::trim).orElse(null);
    }
}
