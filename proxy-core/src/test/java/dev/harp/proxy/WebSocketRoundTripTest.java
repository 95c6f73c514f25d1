package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.harp.proxy.HttpsSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conversation recorded through Harp is replayed with its server stopped, by the JDK's own WebSocket client, and
 * the client gets the same messages and the same close: over {@code ws://} (plain HTTP inside a CONNECT tunnel) and
 * {@code wss://} (MITM), recorded in record mode or as an auto-mode miss, replayed in replay mode.
 */
class WebSocketRoundTripTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} recorded in {1}")
    @CsvSource({"ws, RECORD", "wss, RECORD", "ws, AUTO", "wss, AUTO"})
    void aRecordedConversationReplaysWithTheServerStopped(String scheme, Mode recordIn) throws Exception {
        Path har = dir.resolve(scheme + "-" + recordIn + ".har");
        List<String> live;
        String url;
        try (WsEchoServer server = scheme.equals("wss") ? WsEchoServer.startTls() : WsEchoServer.start()) {
            url = scheme + "://127.0.0.1:" + server.port() + "/feed?room=7";
            try (HarpServer harp = start(recordIn, har)) {
                live = converse(harp, URI.create(url));
            }
        }
        assertThat(live).containsExactly("hello", "echo:{\"token\":\"abc\",\"n\":2}", "binary 3", "close 4000 asked");
        assertThat(Files.readString(har)).contains("_webSocketMessages").doesNotContain("\"abc\",\"n\"");

        // the server is gone: everything below comes from the HAR
        try (HarpServer harp = start(Mode.REPLAY, har)) {
            assertThat(converse(harp, URI.create(url))).isEqualTo(live);
            assertThat(harp.misses()).isEmpty();
        }
    }

    private static HarpServer start(Mode mode, Path har) throws Exception {
        return HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                .certificateAuthority(CA).insecureUpstream(true).start();
    }

    /** Greeting, a JSON message carrying a secret, a binary message, then "close-me" (the server closes). */
    private static List<String> converse(HarpServer harp, URI uri) throws Exception {
        HttpClient client = HttpsSupport.client(harp, HttpsSupport.trustingHarp(harp), HttpClient.Version.HTTP_1_1);
        WebSocketTunnelTest.Collector collector = new WebSocketTunnelTest.Collector();
        WebSocket socket = client.newWebSocketBuilder().subprotocols("chat.v1").connectTimeout(TIMEOUT)
                .buildAsync(uri, collector).get(10, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("chat.v1");
        List<String> received = new ArrayList<>();
        received.add(collector.next());
        socket.sendText("{\"token\":\"abc\",\"n\":2}", true).get(10, TimeUnit.SECONDS);
        received.add(collector.next());
        socket.sendBinary(ByteBuffer.wrap(new byte[] {9, 8, 7}), true).get(10, TimeUnit.SECONDS);
        received.add(collector.next());
        socket.sendText("close-me", true).get(10, TimeUnit.SECONDS);
        received.add(collector.next());
        return received;
    }
}
