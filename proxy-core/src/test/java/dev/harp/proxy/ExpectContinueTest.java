package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarEntry;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Expect: 100-continue} uploads through Harp in every mode, over plain HTTP and through the MITM, with curl and
 * the JDK client over HTTP/1.1 and (through the MITM) HTTP/2. In each, the client gets its {@code 100 Continue} (so
 * it is not stalled until its own expect timeout, curl's 1 s) and then the final 200; when Harp forwards, the
 * upstream gets the whole body; and the HAR records the final response, never the 100. Replay answers from the HAR
 * just recorded by the same client.
 *
 * <p>How "got its 100" is seen: curl waits for it longer than its whole transfer may last ({@code --expect100-timeout}
 * 30 s, {@code --max-time} 10 s) and its {@code -v} prints each response head ({@code < HTTP/1.1 100 Continue},
 * {@code < HTTP/2 100}); the JDK client with {@code expectContinue(true)} sends no body before a 100, so an upload
 * that ends with a 200 whose body counts every byte (and an upstream that got them all) proves it got one.
 */
class ExpectContinueTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern SAW_100 = Pattern.compile("(?m)^< HTTP/[0-9.]+ 100\\b");
    private static final byte[] DATA = data(300 * 1024);

    enum Client {
        CURL_H1("--http1.1", null, false), CURL_H2("--http2", null, true),
        JDK_H1(null, HttpClient.Version.HTTP_1_1, false), JDK_H2(null, HttpClient.Version.HTTP_2, true);

        final String curlFlag;
        final HttpClient.Version jdkVersion;
        final boolean h2;

        Client(String curlFlag, HttpClient.Version jdkVersion, boolean h2) {
            this.curlFlag = curlFlag;
            this.jdkVersion = jdkVersion;
            this.h2 = h2;
        }
    }

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Mode mode : List.of(Mode.RECORD, Mode.PASSTHROUGH, Mode.REPLAY, Mode.AUTO)) {
            for (boolean tls : new boolean[] {false, true}) {
                for (Client client : Client.values()) {
                    // HTTP/2 needs the MITM: neither client speaks h2 to a plain HTTP proxy
                    if (tls || !client.h2) {
                        out.add(Arguments.of(mode, tls ? "https" : "http", client));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void anExpectContinueUploadGetsItsContinueAndTheFinalResponse(Mode mode, String scheme, Client client) throws Exception {
        if (client.curlFlag != null) {
            Prerequisites.require(Prerequisite.CURL);
        }
        boolean tls = "https".equals(scheme);
        try (RawHttpUpstream upstream = tls ? RawHttpUpstream.tls(CONTINUE_THEN_COUNT)
                : RawHttpUpstream.plain(CONTINUE_THEN_COUNT)) {
            Path har = dir.resolve(mode + ".har");
            if (mode == Mode.REPLAY) {
                // the fixture: the same upload recorded by the same client
                HarpServer recorder = HttpsSupport.startRecording(har);
                try {
                    Outcome recorded = upload(recorder, client, upstream);
                    assertThat(recorded.status()).as("recording the fixture: %s", recorded).isEqualTo(200);
                } finally {
                    recorder.close();
                }
                upstream.next(WAIT);
            }
            HarpServer harp = HttpsSupport.startRecording(har, b -> b.mode(mode).insecureUpstream(true));
            Outcome outcome;
            try {
                outcome = upload(harp, client, upstream);
            } finally {
                harp.close();
            }
            String expectedBody = answer(DATA.length, crc(DATA));
            assertThat(outcome.status()).as("final status; %s", outcome).isEqualTo(200);
            assertThat(outcome.body()).as("final body; %s", outcome).isEqualTo(expectedBody);
            if (client.curlFlag != null) {
                assertThat(SAW_100.matcher(outcome.trace()).find())
                        .as("curl got a 100 Continue; %s", outcome).isTrue();
            }
            if (mode == Mode.REPLAY) {
                assertThat(upstream.pending()).as("requests that reached the upstream in replay").isZero();
            } else {
                RawHttpUpstream.Request seen = upstream.next(WAIT);
                assertThat(seen.body()).as("the body the upstream got").hasSize(DATA.length).isEqualTo(DATA);
            }
            if (mode != Mode.PASSTHROUGH) {
                List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
                assertThat(entries).as("HAR entries").extracting(e -> e.response().status()).containsExactly(200);
                assertThat(entries.get(0).request().bodySize()).isEqualTo(DATA.length);
                assertThat(entries.get(0).response().content().text()).isEqualTo(expectedBody);
            }
        }
    }

    /** What the client got: status, body, and (curl) its verbose trace or (JDK) the failure, for the messages. */
    record Outcome(int status, String body, String trace) {
        @Override
        public String toString() {
            String t = trace.length() > 4000 ? "..." + trace.substring(trace.length() - 4000) : trace;
            return "status " + status + ", body " + body + "\n--- trace\n" + t;
        }
    }

    private Outcome upload(HarpServer harp, Client client, RawHttpUpstream upstream) throws Exception {
        String url = upstream.url("/upload");
        if (client.curlFlag != null) {
            Path file = Files.write(dir.resolve("upload.bin"), DATA);
            Path received = dir.resolve("received-" + System.nanoTime() + ".txt");
            // --expect100-timeout beyond --max-time: a 100 that never comes fails the transfer instead of
            // costing curl's default 1 s wait, so "not stalled" needs no timing assertion
            List<String> command = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "10",
                    "--expect100-timeout", "30", client.curlFlag,
                    "--proxy", "http://127.0.0.1:" + harp.port(),
                    "-H", "Expect: 100-continue", "-H", "Content-Type: application/octet-stream",
                    "--data-binary", "@" + file, "-o", received.toString(), "-w", "%{http_code}", url));
            if (url.startsWith("https")) {
                command.addAll(2, List.of("--cacert", HttpsSupport.exportCa(harp, dir).toString()));
            }
            HttpsSupport.Run run = HttpsSupport.run(command, LIMIT, dir);
            String body = Files.exists(received) ? Files.readString(received) : "";
            return new Outcome(run.exit() == 0 ? Integer.parseInt(run.stdout().trim()) : -run.exit(), body,
                    run.stderr());
        }
        HttpClient http = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), client.jdkVersion);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).expectContinue(true)
                    .timeout(WAIT).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(DATA)).build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(r.statusCode(), r.body(), "JDK client, " + r.version());
        } catch (IOException e) {
            // an HttpTimeoutException here: the 100 (or the final answer) never came
            return new Outcome(-1, "", "JDK client failed: " + e);
        }
    }

    /** The upstream: a 100 Continue when asked for one, then a 200 counting the body it read. */
    private static final RawHttpUpstream.Responder CONTINUE_THEN_COUNT = new RawHttpUpstream.Responder() {
        @Override
        public void beforeBody(RawHttpUpstream.Request head, OutputStream out) throws IOException {
            if (head.values("Expect").stream().anyMatch(v -> v.equalsIgnoreCase("100-continue"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }

        @Override
        public byte[] respond(RawHttpUpstream.Request request) {
            return RawHttpUpstream.response("HTTP/1.1 200 OK", answer(request.body().length, crc(request.body())),
                    "Content-Type: text/plain");
        }
    };

    private static String answer(int length, long crc) {
        return "got " + length + " bytes, crc " + Long.toHexString(crc) + "\n";
    }

    private static long crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}
