package dev.harp.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.replay.Latency;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A client that sends its whole request and then half-closes its connection ({@code shutdownOutput()}: FIN sent,
 * still reading), as busybox wget and netcat scripts do, gets its response even when the upstream takes its time:
 * Harp must not mistake the FIN for a client that left. The upstream holds each answer until the test releases it,
 * which the test does only after the client has stayed connected, half-closed, for many of Harp's client checks
 * ({@link ClientWatch#POLL}) — a Harp that took the FIN for an abort has closed the connection by then.
 */
class HalfCloseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long the half-closed client must stay connected while the upstream thinks: five client checks. */
    private static final Duration HELD = ClientWatch.POLL.multipliedBy(5);

    @TempDir
    Path dir;
    private HttpServer upstream;
    private ExecutorService upstreamThreads;
    private final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> release = new ConcurrentHashMap<>();

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstreamThreads = Executors.newFixedThreadPool(4);
        upstream.setExecutor(upstreamThreads);
        upstream.createContext("/slow", this::slow);
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        release.values().forEach(CountDownLatch::countDown);
        upstream.stop(0);
        upstreamThreads.shutdownNow();
    }

    /** Reads the request body, says it arrived, waits (bounded) for the test's release, answers 200. */
    private void slow(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getQuery().replaceFirst("^id=", "");
        byte[] body = exchange.getRequestBody().readAllBytes();
        latch(arrived, id).countDown();
        try {
            if (!latch(release, id).await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                exchange.sendResponseHeaders(504, -1);
                exchange.close();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        byte[] answer = answer(id, new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private static String answer(String id, String body) {
        return "answer " + id + " to [" + body + "]\n";
    }

    private static CountDownLatch latch(Map<String, CountDownLatch> latches, String id) {
        return latches.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void aHalfClosedGetGetsTheSlowResponse(Mode mode) throws Exception {
        Path har = dir.resolve(mode + ".har");
        try (HarpServer harp = start(HarpServer.builder().mode(mode).har(har))) {
            String response = halfClosedExchange(harp, "get-" + mode, "GET", absolute("get-" + mode), "");
            assertDelivered(response, "get-" + mode, "");
        }
        if (mode == Mode.RECORD) {
            assertRecorded(har, "GET", "get-" + mode, null);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RECORD", "PASSTHROUGH"})
    void aHalfClosedPostWithABodyGetsTheSlowResponse(Mode mode) throws Exception {
        Path har = dir.resolve(mode + ".har");
        String body = "{\"half\":\"closed\"}";
        try (HarpServer harp = start(HarpServer.builder().mode(mode).har(har))) {
            String response = halfClosedExchange(harp, "post-" + mode, "POST", absolute("post-" + mode), body);
            assertDelivered(response, "post-" + mode, body);
        }
        if (mode == Mode.RECORD) {
            assertRecorded(har, "POST", "post-" + mode, body);
        }
    }

    @Test
    void aHalfClosedClientOfTheReverseProxyGetsTheSlowResponse() throws Exception {
        Path har = dir.resolve("reverse.har");
        String body = "reverse body";
        try (HarpServer harp = start(HarpServer.builder().mode(Mode.RECORD).har(har)
                .upstream(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort())))) {
            String response = halfClosedExchange(harp, "reverse", "POST", "/slow?id=reverse", body);
            assertDelivered(response, "reverse", body);
        }
        assertRecorded(har, "POST", "reverse", body);
    }

    /** Replay answers from the HAR after a fixed latency; the client half-closes while it waits. */
    @Test
    void aHalfClosedClientGetsTheReplayedResponse() throws Exception {
        Path har = dir.resolve("replay.har");
        latch(release, "replay").countDown(); // recording needs no hold
        try (HarpServer recorder = start(HarpServer.builder().mode(Mode.RECORD).har(har))) {
            assertDelivered(plainExchange(recorder, "GET", absolute("replay")), "replay", "");
        }
        upstream.stop(0); // replay must not need it
        try (HarpServer harp = start(HarpServer.builder().mode(Mode.REPLAY).har(har).latency(Latency.fixed(HELD)));
             Socket s = halfClosed(harp, "GET", absolute("replay"), "")) {
            s.setSoTimeout((int) WAIT.toMillis());
            assertDelivered(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "replay", "");
        }
    }

    private HarpServer start(dev.harp.HarpConfig.Builder builder) throws IOException {
        return builder.port(0).environment(Map.of()).systemProperties(Map.of()).start();
    }

    private String absolute(String id) {
        return "http://127.0.0.1:" + upstream.getAddress().getPort() + "/slow?id=" + id;
    }

    /**
     * Sends the request, half-closes, waits until the upstream has it, checks that Harp keeps the half-closed
     * connection while the upstream thinks, releases the upstream, and returns everything the client then reads.
     */
    private String halfClosedExchange(HarpServer harp, String id, String method, String target, String body) throws Exception {
        try (Socket s = halfClosed(harp, method, target, body)) {
            assertThat(latch(arrived, id).await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the request reached the upstream").isTrue();
            InputStream in = s.getInputStream();
            s.setSoTimeout((int) HELD.toMillis());
            try {
                int first = in.read();
                fail("while the upstream thought, Harp "
                        + (first < 0 ? "closed the half-closed connection" : "sent: " + (char) first + readRest(s)));
            } catch (SocketTimeoutException stillWaiting) {
                // Harp keeps the half-closed client, as it should
            }
            latch(release, id).countDown();
            s.setSoTimeout((int) WAIT.toMillis());
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response.substring(0, Math.max(0, response.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT))
                    .as("the head tells the half-closed client the connection ends").contains("\r\nconnection: close");
            return response;
        }
    }

    private static String readRest(Socket s) throws IOException {
        s.setSoTimeout(1000);
        try {
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return "";
        }
    }

    private static Socket halfClosed(HarpServer harp, String method, String target, String body) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), harp.port());
        s.getOutputStream().write(request(method, target, body));
        s.getOutputStream().flush();
        s.shutdownOutput();
        return s;
    }

    private static String plainExchange(HarpServer harp, String method, String target) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), harp.port())) {
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write(request(method, target, "", "Connection: close\r\n"));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] request(String method, String target, String body, String... extraHeaders) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (!body.isEmpty()) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        for (String h : extraHeaders) {
            head.append(h);
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
        return all;
    }

    private static void assertDelivered(String response, String id, String body) {
        assertThat(response).as("the response to the half-closed client").startsWith("HTTP/1.1 200");
        assertThat(response).endsWith("\r\n\r\n" + answer(id, body));
    }

    private static void assertRecorded(Path har, String method, String id, String body) throws Exception {
        List<HarEntry> entries = HarReader.read(har).entries();
        assertThat(entries).hasSize(1);
        HarEntry entry = entries.get(0);
        assertThat(entry.request().method()).isEqualTo(method);
        assertThat(entry.request().url()).endsWith("/slow?id=" + id);
        if (body == null) {
            assertThat(entry.request().postData()).isNull();
        } else {
            assertThat(entry.request().postData().text()).isEqualTo(body);
        }
        assertThat(entry.response().status()).isEqualTo(200);
        assertThat(entry.response().content().text()).isEqualTo(answer(id, body == null ? "" : body));
        assertThat(entry.time()).isGreaterThanOrEqualTo(HELD.toMillis());
    }
}
