package dev.harp.bench;

import dev.harp.flow.HttpHeader;
import dev.harp.tls.UpstreamTls;
import dev.harp.upstream.UpstreamClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Harp's own upstream client ({@link UpstreamClient}: the JDK HttpClient, configured and called exactly as Harp's
 * forwarder does, {@code send} then {@code await}) as the load generator, straight to the origin: the ceiling that
 * passthrough, record and MITM cannot exceed, measured without the proxy around it.
 */
final class UpstreamClientLoad implements AutoCloseable {
    private static final List<HttpHeader> HEADERS = List.of(new HttpHeader("User-Agent", "harp-bench"),
            new HttpHeader("Accept", "*/*"));

    private final UpstreamClient client = new UpstreamClient(UpstreamTls.insecure(), Duration.ofSeconds(10),
            Duration.ofSeconds(60));

    /** A client factory for {@link JdkDriver#run(JdkDriver.ClientFactory, int, Duration, Duration, long)}. */
    JdkDriver.ClientFactory factory(URI uri, int expectedLength) {
        byte[] buffer = new byte[16 * 1024];
        return () -> new JdkDriver.Client() {
            private final byte[] buf = new byte[buffer.length];

            @Override
            public boolean call() throws IOException {
                HttpResponse<InputStream> response;
                try {
                    response = UpstreamClient.await(client.send("GET", uri, HEADERS, null, 0));
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
    }
}
