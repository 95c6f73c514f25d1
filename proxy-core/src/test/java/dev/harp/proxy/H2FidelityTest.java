package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.har.HarEntry;
import dev.harp.har.HarHeader;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's fidelity rules, asserted for HTTP/2 clients as for HTTP/1.1 ones (each case runs with both, so a failure
 * on one protocol alone points at its forwarding engine): what the client sent is what the upstream gets and what the
 * HAR holds (no added {@code User-Agent}), the upstream's reason phrase is relayed to HTTP/1.1 clients and recorded,
 * and the response timeout counts from the end of the upload.
 */
class H2FidelityTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** curl with {@code -H 'User-Agent:'} sends no User-Agent at all; nobody on the way may add one. */
    @ParameterizedTest(name = "curl {0}")
    @ValueSource(strings = {"--http1.1", "--http2"})
    void aRequestWithoutUserAgentReachesTheUpstreamAndTheHarWithoutOne(String protocol) throws Exception {
        Prerequisites.require(Prerequisite.CURL);
        try (RawHttpUpstream upstream = RawHttpUpstream.tls(r -> RawHttpUpstream.response("HTTP/1.1 200 OK", "no agent\n",
                "Content-Type: text/plain"))) {
            HarpServer harp = HttpsSupport.startRecording(dir.resolve("ua.har"));
            HttpsSupport.Run run;
            try {
                Path ca = HttpsSupport.exportCa(harp, dir);
                run = HttpsSupport.run(List.of("curl", "-sS", "--max-time", "10", protocol, "-H", "User-Agent:",
                        "--cacert", ca.toString(), "--proxy", "http://127.0.0.1:" + harp.port(),
                        "-w", "\\n%{http_code} %{http_version}", upstream.url("/agent")), LIMIT, dir);
            } finally {
                harp.close();
            }
            assertThat(run.exit()).as("%s", run).isZero();
            assertThat(run.stdout()).isEqualTo("no agent\n\n200 " + ("--http2".equals(protocol) ? "2" : "1.1"));
            RawHttpUpstream.Request seen = upstream.next(WAIT);
            List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
            assertThat(entries).hasSize(1);
            SoftAssertions.assertSoftly(soft -> {
                soft.assertThat(seen.values("User-Agent")).as("User-Agent the upstream saw; head: %s", seen.headerLines())
                        .isEmpty();
                // nor a body framing header for a GET that has none (curl sends neither, over either protocol)
                soft.assertThat(seen.values("Content-Length")).as("Content-Length the upstream saw on a bodiless GET; head: %s",
                        seen.headerLines()).isEmpty();
                soft.assertThat(entries.get(0).request().headers()).extracting(HarHeader::name)
                        .as("request headers recorded").noneMatch(n -> n.equalsIgnoreCase("user-agent"));
            });
        }
    }

    /** The JDK client's own User-Agent, or one the caller set, arrives once and unchanged (not replaced, not doubled). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = HttpClient.Version.class)
    void theClientsOwnUserAgentArrivesOnceUnchanged(HttpClient.Version version) throws Exception {
        try (RawHttpUpstream upstream = RawHttpUpstream.tls(r -> RawHttpUpstream.response("HTTP/1.1 200 OK", "ok\n",
                "Content-Type: text/plain"))) {
            HarpServer harp = HttpsSupport.startRecording(dir.resolve("ua-set.har"));
            try {
                HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), version);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/agent")))
                        .header("User-Agent", "fidelity-test/1").timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(version);
            } finally {
                harp.close();
            }
            RawHttpUpstream.Request seen = upstream.next(WAIT);
            assertThat(seen.values("User-Agent")).as("User-Agent the upstream saw").containsExactly("fidelity-test/1");
            List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
            assertThat(entries.get(0).request().headers()).filteredOn(h -> h.name().equalsIgnoreCase("user-agent"))
                    .extracting(HarHeader::value).containsExactly("fidelity-test/1");
        }
    }

    /**
     * An HTTP/1.1 client (a strict TLS socket through the tunnel, no ALPN) gets the upstream's own reason phrase, and
     * the HAR records it.
     */
    @Test
    void anHttp11ClientGetsTheUpstreamsReasonPhraseAndTheHarRecordsIt() throws Exception {
        try (RawHttpUpstream upstream = RawHttpUpstream.tls(r -> RawHttpUpstream.response("HTTP/1.1 200 Fine Thanks", "fine\n",
                "Content-Type: text/plain"))) {
            HarpServer harp = HttpsSupport.startRecording(dir.resolve("phrase-h1.har"));
            String raw;
            try {
                raw = HttpsSupport.getThroughTunnel(harp, HttpsSupport.trustingHarp(harp), "localhost", upstream.port(), "/phrase");
            } finally {
                harp.close();
            }
            assertThat(raw).as("the raw response").startsWith("HTTP/1.1 200 Fine Thanks\r\n").endsWith("\r\n\r\nfine\n");
            List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).response().statusText()).isEqualTo("Fine Thanks");
        }
    }

    /** HTTP/2 has no reason phrase on the client side, but the HAR still records the upstream's. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = HttpClient.Version.class)
    void theHarRecordsTheUpstreamsReasonPhraseWhateverTheClientsProtocol(HttpClient.Version version) throws Exception {
        try (RawHttpUpstream upstream = RawHttpUpstream.tls(r -> RawHttpUpstream.response("HTTP/1.1 200 Fine Thanks", "fine\n",
                "Content-Type: text/plain"))) {
            HarpServer harp = HttpsSupport.startRecording(dir.resolve("phrase.har"));
            try {
                HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), version);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/phrase")))
                        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(version);
                assertThat(r.body()).isEqualTo("fine\n");
            } finally {
                harp.close();
            }
            List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).response().statusText()).isEqualTo("Fine Thanks");
        }
    }

    /**
     * An upload that takes ~1.5 s, with Harp's response timeout at 1 s and an upstream that answers as soon as it has
     * read the body: the timeout bounds the wait for the response head after the request ended, not the upload, so
     * the client gets the 200 (not a 504).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = HttpClient.Version.class)
    void theResponseTimeoutCountsFromTheEndOfTheUpload(HttpClient.Version version) throws Exception {
        try (RawHttpUpstream upstream = RawHttpUpstream.tls(r -> RawHttpUpstream.response("HTTP/1.1 200 OK",
                "got " + r.body().length + "\n", "Content-Type: text/plain"));
             HarpServer harp = HttpsSupport.startRecording(dir.resolve("slow-upload.har"),
                     b -> b.insecureUpstream(true).upstreamResponseTimeout(Duration.ofSeconds(1)));
             Trickle body = new Trickle(10, 1000, Duration.ofMillis(150))) {
            HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), version);
            HttpResponse<String> r;
            try {
                r = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/upload")))
                        .timeout(LIMIT).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.fromPublisher(body, body.length())).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // what an HTTP/2 client got when Harp answered 504 mid-upload and then ended the connection
                throw new AssertionError("the upload through Harp failed instead of getting the upstream's 200: " + e, e);
            }
            assertThat(r.version()).isEqualTo(version);
            assertThat(r.statusCode()).as("status after a 1.5 s upload with a 1 s response timeout; body: %s", r.body())
                    .isEqualTo(200);
            assertThat(r.body()).isEqualTo("got " + body.length() + "\n");
            assertThat(upstream.next(WAIT).body()).hasSize((int) body.length());
        }
    }

    /** A request body published in chunks at a fixed pace (a scheduler, never a sleeping thread). */
    static final class Trickle implements Flow.Publisher<ByteBuffer>, AutoCloseable {
        private final int chunks;
        private final int chunkSize;
        private final Duration pace;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Trickle(int chunks, int chunkSize, Duration pace) {
            this.chunks = chunks;
            this.chunkSize = chunkSize;
            this.pace = pace;
        }

        long length() {
            return (long) chunks * chunkSize;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            AtomicInteger sent = new AtomicInteger();
            AtomicBoolean cancelled = new AtomicBoolean();
            AtomicLong demand = new AtomicLong();
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    demand.addAndGet(n);
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            });
            // one chunk per tick when there is demand; a tick without demand waits for the next one
            timer.scheduleAtFixedRate(() -> {
                if (cancelled.get()) {
                    throw new IllegalStateException("cancelled"); // ends this schedule
                }
                if (demand.get() <= 0) {
                    return;
                }
                demand.decrementAndGet();
                int i = sent.getAndIncrement();
                if (i < chunks) {
                    byte[] chunk = new byte[chunkSize];
                    java.util.Arrays.fill(chunk, (byte) ('a' + i % 26));
                    subscriber.onNext(ByteBuffer.wrap(chunk));
                } else {
                    subscriber.onComplete();
                    throw new IllegalStateException("done"); // ends this schedule
                }
            }, pace.toMillis(), pace.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
