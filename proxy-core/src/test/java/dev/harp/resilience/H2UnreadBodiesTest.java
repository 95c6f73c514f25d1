package dev.harp.resilience;

import dev.harp.tls.CertificateAuthority;
import dev.harp.upstream.UpstreamClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Harp's HTTP/2 upstream connection keeps serving after many response bodies were abandoned unread (their clients
 * went away). JDK 17's own {@code BodyHandlers.ofInputStream()} loses the flow-control credit of whatever it had
 * received and not handed over when such a body is closed: {@value #ABANDONED} bodies of 3 MiB, each wholly received
 * and then closed, use up the 32 MiB the JDK client gives a connection, and the next download on it stalled for
 * good (seen in CI as H2CancelledDownloadsTest failing once the JVM was warm enough to queue more per stream).
 */
class H2UnreadBodiesTest {
    private static final int BODY = 3 << 20;
    private static final int ABANDONED = 16;
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass(CA);

    @Test
    void bodiesClosedUnreadLeaveTheConnectionServing() throws Exception {
        try (UpstreamClient client = new UpstreamClient(Wire.trusting(CA), BOUND, BOUND)) {
            URI large = URI.create(upstream.https("/large?size=" + BODY));
            for (int i = 0; i < ABANDONED; i++) {
                HttpResponse<InputStream> response = UpstreamClient.await(client.send("GET", large, List.of(), null, 0), BOUND);
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(upstream.awaitLargeBodySent(BOUND)).as("body %d written whole by the upstream", i).isTrue();
                response.body().close(); // unread: everything the JDK client holds for the stream is dropped
            }
            HttpResponse<InputStream> whole = UpstreamClient.await(client.send("GET", large, List.of(), null, 0), BOUND);
            CompletableFuture<Long> bytes = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = whole.body()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(bytes.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("bytes of the download after them").isEqualTo(BODY);
        }
    }

    @Test
    void aLongBodyClosedEarlyIsCancelledAfterABoundedDrain() throws Exception {
        try (UpstreamClient client = new UpstreamClient(Wire.trusting(CA), BOUND, BOUND)) {
            URI huge = URI.create(upstream.https("/large?size=" + (1L << 30)));
            HttpResponse<InputStream> response = UpstreamClient.await(client.send("GET", huge, List.of(), null, 0), BOUND);
            assertThat(response.body().read(new byte[1024])).isPositive();
            response.body().close();
            assertThat(upstream.awaitLargeBodyAbandoned(BOUND)).as("the upstream sees its 1 GiB body cancelled").isTrue();
        }
    }
}
