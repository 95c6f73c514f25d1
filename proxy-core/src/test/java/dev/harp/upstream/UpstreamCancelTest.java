package dev.harp.upstream;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the forwarder relies on to cancel an upstream call whose client went away: cancelling the future of
 * {@link UpstreamClient#send} aborts the exchange, and a raw upstream sees its connection closed at once.
 */
class UpstreamCancelTest {

    @Test
    void cancellingThePendingCallClosesTheUpstreamConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             UpstreamClient client = new UpstreamClient(SSLContext.getDefault(), Duration.ofSeconds(5), Duration.ofSeconds(60))) {
            CompletableFuture<HttpResponse<InputStream>> pending = client.send("GET",
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/think"), List.of(), null, 0);
            try (Socket upstream = server.accept()) {
                upstream.setSoTimeout(5000);
                byte[] buf = new byte[4096];
                assertThat(upstream.getInputStream().read(buf)).as("the request arrived").isPositive();
                long start = System.nanoTime();
                pending.cancel(true);
                assertThat(upstream.getInputStream().read(buf)).as("the upstream sees end of stream").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            }
            assertThatThrownBy(() -> UpstreamClient.await(pending, Duration.ofSeconds(1)))
                    .hasMessageContaining("cancelled");
        }
    }

    @Test
    void aBoundedWaitTimesOutWithoutCancelling() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             UpstreamClient client = new UpstreamClient(SSLContext.getDefault(), Duration.ofSeconds(5), Duration.ofSeconds(60))) {
            CompletableFuture<HttpResponse<InputStream>> pending = client.send("GET",
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/slow"), List.of(), null, 0);
            try (Socket upstream = server.accept()) {
                upstream.getInputStream().read(new byte[4096]);
                assertThatThrownBy(() -> UpstreamClient.await(pending, Duration.ofMillis(100)))
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
                assertThat(pending.isDone()).isFalse();
                upstream.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                assertThat(pending.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
    }
}
