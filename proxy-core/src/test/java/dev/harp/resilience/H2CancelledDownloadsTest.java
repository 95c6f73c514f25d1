package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One JDK client connection (h2 inside an intercepted CONNECT tunnel) cancels {@value #CANCELLED} downloads after
 * their first 64 KiB, four at a time, well within 30 s, then downloads a whole body: every download must get its
 * bytes within {@link #BOUND}. Harp answers each cancelled exchange with an RST_STREAM of its own, and Undertow by
 * default answers more than 200 resets in 30 s on one connection with GOAWAY(ENHANCE_YOUR_CALM) and closes it: the
 * client's calls then failed with "GOAWAY received" (which ChaosTest, waiting only on the body, had reported as
 * "h2 body stalled after 0 bytes"). Once that was fixed, a warm JVM showed the next limit: each cancelled stream
 * lost the flow-control credit of what Harp's upstream client had queued for it, and after about 150 cancellations
 * the upstream connection stalled ("upstream broke off the response body" when the upstream's idle timeout closed
 * it); {@link H2UnreadBodiesTest} proves that one deterministically.
 */
class H2CancelledDownloadsTest {
    private static final long LARGE = 4L << 20;
    /**
     * Comfortably past Undertow's default limit of 200 resets in 30 s (300 take 8 to 20 s on a loaded 2-core machine);
     * a machine so slow that 200 take longer than 30 s would not trip the limit, and this test could not tell.
     */
    private static final int CANCELLED = 300;
    private static final int PARALLEL = 4;
    /** A download on a working connection takes milliseconds; a stalled connection never delivers. */
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private static final SSLContext TRUST_HARP = Wire.trusting(CA);
    @RegisterExtension
    static final ChaosUpstream upstream = ChaosUpstream.perTestClass();

    @TempDir
    Path dir;

    @Test
    void manyDownloadsCancelledMidBodyLeaveTheConnectionServing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (HarpServer harp = HarpServer.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("h2.har")).port(0)
                .environment(Map.of()).systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).proxy(ProxySelector.of(harp.address()))
                    .sslContext(TRUST_HARP).connectTimeout(BOUND).executor(pool).build();
            URI large = URI.create(upstream.https("/large?size=" + LARGE));
            long start = System.nanoTime();
            for (int i = 0; i < CANCELLED; i += PARALLEL) {
                List<PartialBody> partials = new ArrayList<>();
                List<CompletableFuture<HttpResponse<Void>>> heads = new ArrayList<>();
                for (int j = 0; j < PARALLEL; j++) {
                    PartialBody partial = new PartialBody(64 * 1024);
                    partials.add(partial);
                    CompletableFuture<HttpResponse<Void>> head = client.sendAsync(HttpRequest.newBuilder(large).timeout(BOUND).build(),
                            info -> partial);
                    // a call failing before its head never meets its body subscriber (without the fix: "GOAWAY received")
                    head.whenComplete((r, failed) -> {
                        if (failed != null) {
                            partial.onError(failed instanceof CompletionException ? failed.getCause() : failed);
                        }
                    });
                    heads.add(head);
                }
                for (int j = 0; j < PARALLEL; j++) {
                    PartialBody partial = partials.get(j);
                    try {
                        assertThat(partial.enough.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(64 * 1024);
                    } catch (ExecutionException e) {
                        throw new AssertionError("download " + (i + j) + " failed after " + partial.received + " bytes: "
                                + e.getCause(), e.getCause());
                    } catch (TimeoutException e) {
                        String threads = Stalls.report();
                        partial.cancel();
                        throw new AssertionError("download " + (i + j) + " stalled after " + partial.received
                                + " bytes; response head " + Stalls.state(heads.get(j)) + threads);
                    }
                }
            }
            System.out.printf("%d downloads cancelled in %d ms%n", CANCELLED,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

            HttpResponse<InputStream> whole = client.sendAsync(HttpRequest.newBuilder(large).timeout(BOUND).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.version()).isEqualTo(HttpClient.Version.HTTP_2);
            CompletableFuture<Long> bytes = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = whole.body()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, pool);
            assertThat(bytes.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("bytes of the whole download").isEqualTo(LARGE);
        } finally {
            pool.shutdownNow();
        }
    }
}
