package dev.harp.bench;

import dev.harp.tls.UpstreamTls;

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
 * The JDK HttpClient as the load generator, straight to the origin (HTTP/2 by ALPN for HTTPS), called with the
 * blocking {@link HttpClient#send} on the calling thread: a reference for what a common Java client reaches without
 * a proxy. (Harp forwarded HTTP/2 clients with this client until issue 16; its rows are kept for comparison.)
 */
final class UpstreamClientLoad implements AutoCloseable {
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
    JdkDriver.ClientFactory factory(URI uri, int expectedLength) {
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
                    response = syncClient.send(request, HttpResponse.BodyHandlers.ofInputStream());
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
        syncExecutor.shutdownNow();
    }
}
