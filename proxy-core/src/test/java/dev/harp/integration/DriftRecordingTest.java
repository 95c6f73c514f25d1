package dev.harp.integration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.drift.Change;
import dev.harp.drift.Change.Kind;
import dev.harp.drift.Change.Severity;
import dev.harp.drift.DriftOptions;
import dev.harp.drift.DriftReport;
import dev.harp.drift.HarDrift;
import dev.harp.drift.RequestDrift;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The drift issue's scenario end to end: a local server whose responses change in planted ways between two versions
 * (a raw HTTP/1.1 server on 127.0.0.1) is recorded twice through a real Harp in record mode with a real JDK client; comparing the recordings reports
 * exactly the planted changes (a member removed, a type changed, a status changed) and nothing for the request whose
 * timestamp, Date header and request id alone changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftRecordingTest {
    @TempDir
    static Path dir;

    private final AtomicInteger version = new AtomicInteger(1);
    private final AtomicInteger served = new AtomicInteger();
    private ServerSocket server;
    private Path before;
    private Path after;

    @BeforeAll
    void recordTwoVersionsOfTheApi() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::serve, "drift-upstream");
        accepting.setDaemon(true);
        accepting.start();
        before = record("before.har");
        version.set(2);
        after = record("after.har");
        assertThat(served.get()).as("every request reached the server").isEqualTo(8);
    }

    @AfterAll
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /**
     * The API in two versions. A raw socket server, not the JDK's {@code HttpServer}: that one writes its own
     * {@code Date} header, and the planted change is a Date that differs between the recordings.
     */
    private Reply reply(String path) {
        boolean v1 = version.get() == 1;
        return switch (path) {
            case "/profile" -> new Reply(200, v1 ? "{\"id\":7,\"name\":\"Ada\",\"nickname\":\"ada\"}"
                    : "{\"id\":7,\"name\":\"Ada\"}", "Mon, 07 Dec 2026 10:00:00 GMT");
            case "/items" -> new Reply(200, v1 ? "{\"items\":[{\"sku\":\"a-1\",\"price\":12.5}],\"count\":1}"
                    : "{\"items\":[{\"sku\":\"a-1\",\"price\":\"12.50\"}],\"count\":1}", "Mon, 07 Dec 2026 10:00:00 GMT");
            case "/health" -> new Reply(v1 ? 200 : 503, "{\"status\":\"checked\"}", "Mon, 07 Dec 2026 10:00:00 GMT");
            case "/clock" -> v1
                    ? new Reply(200, "{\"now\":\"2026-12-07T10:00:00Z\",\"servedAt\":1796637600000,\"zone\":\"UTC\"}",
                            "Mon, 07 Dec 2026 10:00:00 GMT")
                    : new Reply(200, "{\"now\":\"2026-12-08T02:30:07.412Z\",\"servedAt\":1796697007412,\"zone\":\"UTC\"}",
                            "Tue, 08 Dec 2026 02:30:07 GMT");
            default -> new Reply(404, "{}", "Mon, 07 Dec 2026 10:00:00 GMT");
        };
    }

    private record Reply(int status, String body, String date) {
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String requestLine = in.readLine();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // headers: GET requests without a body
                }
                if (requestLine == null) {
                    continue;
                }
                Reply r = reply(requestLine.split(" ")[1]);
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 " + r.status() + (r.status() == 200 ? " OK" : " Oops") + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                        + "Date: " + r.date() + "\r\nX-Request-Id: req-" + served.incrementAndGet() + "\r\n"
                        + "Connection: close\r\n\r\n";
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private Path record(String name) throws IOException {
        Path har = dir.resolve(name);
        String base = "http://127.0.0.1:" + server.getLocalPort();
        try (HarpServer harp = Proxied.harp(Mode.RECORD, har).start()) {
            HttpClient client = Proxied.client(harp);
            for (String path : List.of("/profile", "/items", "/health", "/clock")) {
                assertThat(Proxied.get(client, base + path).statusCode()).isPositive();
            }
        }
        return har;
    }

    @Test
    void exactlyThePlantedChangesAreReported() throws Exception {
        DriftReport report = HarDrift.compare(before, after);

        List<Object> found = new ArrayList<>();
        for (RequestDrift r : report.drift()) {
            for (Change c : r.changes()) {
                found.add(tuple(r.url().replaceFirst("^http://127\\.0\\.0\\.1:\\d+", ""), c.severity(), c.kind(), c.where()));
            }
        }
        assertThat(found).containsExactly(
                tuple("/profile", Severity.BREAKING, Kind.MEMBER_REMOVED, "$.nickname"),
                tuple("/items", Severity.BREAKING, Kind.TYPE_CHANGED, "$.items[0].price"),
                tuple("/health", Severity.BREAKING, Kind.STATUS, "status"));
        assertThat(report.drift()).allSatisfy(r -> assertThat(r.added() || r.removed()).isFalse());
        assertThat(report.requests()).isEqualTo(4);
        assertThat(report.hasDrift()).isTrue();
        assertThat(report.notes()).isEmpty();
    }

    @Test
    void theTimestampOnlyRequestReallyChangedAndStillReportsNothingEvenWhenValuesCount() throws Exception {
        JsonNode clockBefore = clock(before);
        JsonNode clockAfter = clock(after);
        assertThat(header(clockBefore, "Date")).isNotEqualTo(header(clockAfter, "Date"));
        assertThat(header(clockBefore, "X-Request-Id")).isNotEqualTo(header(clockAfter, "X-Request-Id"));
        assertThat(clockBefore.at("/response/content/text").asText()).isNotEqualTo(clockAfter.at("/response/content/text").asText());

        DriftReport report = HarDrift.compare(before, after, DriftOptions.builder().values(true).build());

        assertThat(report.drift()).extracting(RequestDrift::url).noneMatch(url -> url.endsWith("/clock"));
        assertThat(report.valueChanges()).isZero();
    }

    @Test
    void aRecordingComparedWithItselfHasNoDrift() throws Exception {
        DriftReport report = HarDrift.compare(before, before, DriftOptions.builder().values(true).build());

        assertThat(report.hasDrift()).isFalse();
        assertThat(report.describe()).isEqualTo("Harp compared 1 file, 4 requests: no drift");
    }

    private static JsonNode clock(Path har) throws IOException {
        for (JsonNode e : HandMadeHar.JSON.readTree(Files.readString(har)).at("/log/entries")) {
            if (e.at("/request/url").asText().endsWith("/clock")) {
                return e;
            }
        }
        throw new AssertionError("no /clock entry in " + har);
    }

    private static String header(JsonNode entry, String name) {
        for (JsonNode h : entry.at("/response/headers")) {
            if (h.get("name").asText().equalsIgnoreCase(name)) {
                return h.get("value").asText();
            }
        }
        return null;
    }
}
