package dev.harp.bench;

import dev.harp.flow.HttpHeader;
import dev.harp.tls.UpstreamTls;
import dev.harp.upstream.UpstreamClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Harp's own upstream client ({@link UpstreamClient}: the JDK HttpClient, configured and called exactly as Harp's
 * forwarder does, {@code send} then {@code await}) as the load generator, straight to the origin: the ceiling that
 * passthrough, record and MITM cannot exceed, measured without the proxy around it.
 *
 * <p>With {@code synchronous}, a JDK HttpClient built the same way is called with the blocking
 * {@link HttpClient#send} on the calling thread: the difference between the two shows what Harp's hand-off of each
 * call to a pooled thread (so that it can be cancelled) costs.
 */
final class UpstreamClientLoad implements AutoCloseable {
    private static final List<HttpHeader> HEADERS = List.of(new HttpHeader("User-Agent", "harp-bench"),
            new HttpHeader("Accept", "*/*"));

    private final UpstreamClient client = new UpstreamClient(UpstreamTls.insecure(), Duration.ofSeconds(10),
            Duration.ofSeconds(60));
    private final ExecutorService syncExecutor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-httpclient");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient syncClient = HttpClient.newBuilder()
            .sslContext(UpstreamTls.insecure())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(syncExecutor)
            .version(HttpClient.Version.HTTP_2)
            .build();

    /** A client factory for {@link JdkDriver#run(JdkDriver.ClientFactory, int, Duration, Duration, long)}. */
    JdkDriver.ClientFactory factory(URI uri, int expectedLength, boolean synchronous) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(60))
                .version("https".equals(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .header("User-Agent", "harp-bench").header("Accept", "*/*").build();
        byte[] buffer = new byte[16 * 1024];
        return () -> new JdkDriver.Client() {
            private final byte[] buf = new byte[buffer.length];

            @Override
            public boolean call() throws IOException {
                HttpResponse<InputStream> response;
                try {
                    response = synchronous ? syncClient.send(request, HttpResponse.BodyHandlers.ofInputStream())
                            : UpstreamClient.await(client.send("GET", uri, HEADERS, null, 0));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                long n = 0;
                try (InputStream in = response.body()) {
                    for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                        n += r;
                    }
                }
                return response.statusCode() == 200 && n == expectedLength;
            }

            @Override
            public boolean reusable() {
                return true;
            }

            @Override
            public void close() {
                // the JDK client pools its connections itself
            }
        };
    }

    @Override
    public void close() {
        client.close();
        syncExecutor.shutdownNow();
    }
}
