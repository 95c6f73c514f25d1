package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OkHttp's WebSocket client through Harp: unlike the JDK's, it sends a {@code ws://} upgrade to the proxy in absolute
 * form (CONNECT only for {@code wss://}), and it offers permessage-deflate, which Harp removes. Recorded with the
 * server up, replayed with it stopped.
 */
class OkHttpWebSocketTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ws", "wss"})
    void okHttpRecordsAndReplaysAConversation(String scheme) throws Exception {
        Path har = dir.resolve("okhttp-" + scheme + ".har");
        String url;
        List<String> live;
        try (WsEchoServer server = scheme.equals("wss") ? WsEchoServer.startTls() : WsEchoServer.start()) {
            url = scheme + "://127.0.0.1:" + server.port() + "/feed";
            try (HarpServer harp = start(Mode.RECORD, har)) {
                live = converse(harp, url);
            }
            assertThat(server.extensionsAsked()).as("what reached the server").allMatch(String::isEmpty);
        }
        assertThat(live).containsExactly("open chat.v1", "hello", "echo:ping", "binary 010203", "closing 4000 asked");
        assertThat(Files.readString(har)).contains("\"url\": \"" + url + "\"").contains("_webSocketMessages");

        try (HarpServer harp = start(Mode.REPLAY, har)) {
            assertThat(converse(harp, url)).isEqualTo(live);
            assertThat(harp.misses()).isEmpty();
        }
    }

    private static HarpServer start(Mode mode, Path har) throws Exception {
        return HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                .certificateAuthority(CA).insecureUpstream(true).start();
    }

    private static List<String> converse(HarpServer harp, String url) throws Exception {
        X509TrustManager trust = trustingHarp();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
        OkHttpClient client = new OkHttpClient.Builder()
                .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", harp.port())))
                .sslSocketFactory(tls.getSocketFactory(), trust)
                .connectTimeout(10, TimeUnit.SECONDS)
                .build();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        WebSocket socket = client.newWebSocket(new Request.Builder().url(url).header("Sec-WebSocket-Protocol", "chat.v1").build(),
                new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, Response response) {
                        events.add("open " + response.header("Sec-WebSocket-Protocol"));
                    }

                    @Override
                    public void onMessage(WebSocket webSocket, String text) {
                        events.add(text);
                    }

                    @Override
                    public void onMessage(WebSocket webSocket, ByteString bytes) {
                        events.add("binary " + bytes.hex());
                    }

                    @Override
                    public void onClosing(WebSocket webSocket, int code, String reason) {
                        events.add("closing " + code + " " + reason);
                        webSocket.close(code, null);
                    }

                    @Override
                    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                        events.add("failure " + t);
                    }
                });
        try {
            List<String> seen = new ArrayList<>();
            seen.add(next(events));
            seen.add(next(events));
            socket.send("ping");
            seen.add(next(events));
            socket.send(ByteString.of((byte) 1, (byte) 2, (byte) 3));
            seen.add(next(events));
            socket.send("close-me");
            seen.add(next(events));
            return seen;
        } finally {
            socket.cancel();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    private static X509TrustManager trustingHarp() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("harp", CA.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
