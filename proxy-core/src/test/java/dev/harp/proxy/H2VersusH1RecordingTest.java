package dev.harp.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harp.HarpServer;
import dev.harp.testing.TestHttpsUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same requests recorded once by an HTTP/1.1 client and once by an HTTP/2 client (the JDK client both times,
 * through Harp's MITM to the same HTTP/1.1 TLS upstream) give the same HAR, field by field, except what the protocol
 * itself changes (issue 16: "only httpVersion and pseudo-header handling differ"). Headers are compared as multisets
 * of lower-case name and value: HTTP/2 lower-cases names on the wire, and Undertow's header map cannot keep the order
 * across different names.
 */
class H2VersusH1RecordingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Entry members that differ from one run to the next whatever the protocol: when, and how long. */
    private static final Set<String> RUN_DEPENDENT = Set.of("startedDateTime", "time", "timings",
            // the client's connection (HAR's "connection" is its id, e.g. the client port)
            "connection");

    /**
     * Header names that only one protocol may carry, left out on both sides; each for its reason, nothing else:
     * <ul>
     * <li>{@code :method}, {@code :path}, {@code :scheme}, {@code :authority}, {@code :status}: HTTP/2
     * pseudo-headers (any name starting with {@code :}), which HTTP/1.1 carries in its request and status lines;</li>
     * <li>{@code connection}, {@code keep-alive}, {@code proxy-connection}, {@code transfer-encoding},
     * {@code upgrade}: connection-specific headers that HTTP/2 forbids (RFC 9113 8.2.2) and an HTTP/1.1 client may
     * send;</li>
     * <li>{@code http2-settings}: only in an h2c upgrade request.</li>
     * </ul>
     * And, on a request without a body only, {@code Content-Length: 0}: the JDK 17 client sends it on every bodiless
     * HTTP/1.1 request (JDK-8283544, fixed in 19) and not over HTTP/2; the HAR records what the client sent, so this
     * difference is the client's ({@link #bodilessContentLength}).
     * {@code Host} is not in the list: an HTTP/2 request's {@code :authority} must be recorded as its {@code Host}, as
     * HTTP/1.1 sends it.
     */
    private static final Set<String> PROTOCOL_ONLY_HEADERS = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "http2-settings");

    /** Headers whose value is a time (the upstream's {@code Date}): present on both sides, value not compared. */
    private static final Set<String> TIME_VALUED_HEADERS = Set.of("date");

    @RegisterExtension
    static final TestHttpsUpstream upstream = TestHttpsUpstream.perTestClass();

    @TempDir
    Path dir;

    @Test
    void anH2RecordingEqualsAnH1RecordingExceptForTheProtocol() throws Exception {
        JsonNode h1 = record(HttpClient.Version.HTTP_1_1, dir.resolve("h1.har"));
        JsonNode h2 = record(HttpClient.Version.HTTP_2, dir.resolve("h2.har"));
        ArrayNode e1 = (ArrayNode) h1.path("log").path("entries");
        ArrayNode e2 = (ArrayNode) h2.path("log").path("entries");
        assertThat(e2.size()).as("entries").isEqualTo(e1.size()).isEqualTo(requests().size());
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < e1.size(); i++) {
            ObjectNode a = (ObjectNode) e1.get(i).deepCopy();
            ObjectNode b = (ObjectNode) e2.get(i).deepCopy();
            // the one field that must differ, and how
            assertThat(a.path("request").path("httpVersion").asText()).as("h1 request.httpVersion").isEqualTo("HTTP/1.1");
            assertThat(b.path("request").path("httpVersion").asText()).as("h2 request.httpVersion")
                    .isIn("HTTP/2", "HTTP/2.0", "h2", "http/2.0");
            diff("entries[" + i + "] (" + a.path("request").path("method").asText() + " "
                    + a.path("request").path("url").asText() + ")", normalise(a), normalise(b), differences);
        }
        assertThat(differences).as("differences between the h1 and the h2 recording, beyond the allowed ones").isEmpty();
        // and the h2 recording holds what was sent and received (so "equal" is not "both empty")
        assertThat(e2.get(0).path("request").path("queryString").toString()).contains("harp", "page");
        assertThat(e2.get(1).path("request").path("postData").path("text").asText()).isEqualTo("{\"name\":\"harp\",\"n\":1}");
        assertThat(e2.get(2).path("response").path("status").asInt()).isEqualTo(404);
        assertThat(e2.get(3).path("response").path("content").path("text").asText()).startsWith("compressed hello");
        assertThat(e2.get(4).path("request").path("method").asText()).isEqualTo("HEAD");
    }

    /** The requests: a GET with a query, a JSON POST, a 404, a gzip response, a HEAD. */
    private static List<HttpRequest.Builder> requests() {
        return List.of(
                HttpRequest.newBuilder(URI.create(upstream.url("/query?q=harp&page=2"))).header("Accept", "text/plain"),
                HttpRequest.newBuilder(URI.create(upstream.url("/echo"))).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"harp\",\"n\":1}")),
                HttpRequest.newBuilder(URI.create(upstream.url("/missing"))),
                HttpRequest.newBuilder(URI.create(upstream.url("/gzip"))).header("Accept-Encoding", "gzip"),
                HttpRequest.newBuilder(URI.create(upstream.url("/head-length"))).method("HEAD",
                        HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode record(HttpClient.Version version, Path har) throws Exception {
        HarpServer harp = HttpsSupport.startRecording(har);
        try {
            HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), version);
            List<Integer> statuses = new ArrayList<>();
            for (HttpRequest.Builder request : requests()) {
                HttpResponse<byte[]> r = client.send(request.timeout(WAIT).header("User-Agent", "h2-vs-h1/1").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.version()).isEqualTo(version);
                statuses.add(r.statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 404, 200, 200);
        } finally {
            harp.close();
        }
        return JSON.readTree(har.toFile());
    }

    /** The entry without its run-dependent members, and with headers as sorted "name: value" multisets. */
    private static ObjectNode normalise(ObjectNode entry) {
        RUN_DEPENDENT.forEach(entry::remove);
        for (String part : List.of("request", "response")) {
            ObjectNode m = (ObjectNode) entry.path(part);
            m.remove("httpVersion"); // asserted on its own
            // the size of the head as it went over the wire: HPACK-compressed in h2, text in h1
            m.remove("headersSize");
            ArrayNode headers = JSON.createArrayNode();
            List<String> lines = new ArrayList<>();
            for (JsonNode h : m.path("headers")) {
                String name = h.path("name").asText().toLowerCase(Locale.ROOT);
                if (name.startsWith(":") || PROTOCOL_ONLY_HEADERS.contains(name)
                        || "request".equals(part) && bodilessContentLength(m, name, h.path("value").asText())) {
                    continue;
                }
                lines.add(name + ": " + (TIME_VALUED_HEADERS.contains(name) ? "<time>" : h.path("value").asText()));
            }
            lines.sort(null);
            lines.forEach(headers::add);
            m.set("headers", headers);
        }
        return entry;
    }

    /** A {@code Content-Length: 0} on a request that has no body (no {@code postData}). */
    private static boolean bodilessContentLength(ObjectNode request, String name, String value) {
        return "content-length".equals(name) && "0".equals(value.trim())
                && (request.path("postData").isMissingNode() || request.path("postData").isNull());
    }

    /** Lists every path where the two trees differ (object members in any order, arrays by index). */
    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diff(path + "." + n, a.path(n), b.path(n), out);
            }
        } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
        } else if (!a.equals(b)) {
            out.add(path + ": h1 " + a + " vs h2 " + b);
        }
    }
}
