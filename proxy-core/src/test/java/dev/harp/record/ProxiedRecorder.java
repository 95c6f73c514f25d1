package dev.harp.record;

import dev.harp.har.Har;
import dev.harp.proxy.ProxyServer;
import dev.harp.tls.UpstreamTls;
import dev.harp.upstream.UpstreamClient;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real proxy in record mode on 127.0.0.1 (ephemeral port) whose {@link Recorder} has the bounds a test gives, a
 * {@link ReplyUpstream}, and a JDK client through the proxy: for tests that need the recorder's package-private knobs,
 * which {@code HarpServer} does not expose. Every request posts {@link #BODY}, which the upstream echoes.
 */
final class ProxiedRecorder implements AutoCloseable {
    /** The body of every request and response: 4 KiB of text, so an entry holds about 9 KiB. */
    static final String BODY = "x".repeat(4096);

    final Path har;
    final ReplyUpstream upstream;
    final ProxyServer proxy;
    final Recorder recorder;
    final HttpClient client;
    private boolean closed;
    private boolean proxyClosed;

    ProxiedRecorder(Path har, PendingEntries.Limits limits) throws Exception {
        this.har = har;
        upstream = ReplyUpstream.start();
        proxy = ProxyServer.start(new ProxyServer.Settings("127.0.0.1", 0, null, 1 << 20, 16L << 20,
                        Duration.ofSeconds(60), Duration.ofSeconds(30), 64, 64 * 1024, null),
                new ProxyServer.Interception(SSLContext.getDefault(), List.of(), Duration.ofSeconds(10)),
                new UpstreamClient(UpstreamTls.verified(), Duration.ofSeconds(10), Duration.ofSeconds(30)));
        recorder = new Recorder(har, Har.newRecording("test"), Redactor.defaults(), Duration.ofMillis(100), null,
                limits);
        proxy.forward(recorder);
        client = client(proxy.address());
    }

    /** Stops the proxy (every exchange has reached the recorder), leaving the recorder open. */
    void closeProxy() {
        if (!proxyClosed) {
            proxyClosed = true;
            proxy.close();
        }
    }

    void send(String path) throws Exception {
        send(client, upstream, path);
    }

    void sendAll(String prefix, int count) throws Exception {
        sendAll(client, upstream, prefix, count);
    }

    /** Stops the proxy, the recorder (a failure to write is the test's to check) and the upstream. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeProxy();
        try {
            recorder.close();
        } catch (IOException e) {
            // the tests that expect it check it themselves
        }
        upstream.close();
    }

    static HttpClient client(InetSocketAddress proxy) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(proxy)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Posts {@link #BODY} to {@code path} through the proxy and checks that it is answered in full. */
    static void send(HttpClient client, ReplyUpstream upstream, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(upstream.url(path)))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.body()).as(path).isEqualTo(BODY);
    }

    static void sendAll(HttpClient client, ReplyUpstream upstream, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            send(client, upstream, prefix + i);
        }
    }
}
