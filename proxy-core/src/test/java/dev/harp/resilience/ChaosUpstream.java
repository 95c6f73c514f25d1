package dev.harp.resilience;

import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.framed.AbstractFramedStreamSinkChannel;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xnio.IoUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream of the resilience tests: Undertow on 127.0.0.1 with a plain HTTP/1.1 listener and an HTTPS
 * listener (h2 by ALPN), serving without holding threads where it can. Idle connections are closed after a second
 * (between requests) or four (any connection without traffic, h2 included), so that Harp's pooled upstream
 * connections do not linger in descriptor counts.
 *
 * <p>Routes: {@code /n/ID} answers {@link #answer(String)}; {@code /hello}; {@code /large?size=N} streams
 * {@link #patternByte(long) a pattern} of N bytes; {@code /think?ms=N&id=ID} answers after N ms without holding a
 * thread and counts requests whose client (Harp) went away first; {@code /sink} reads and discards the request body
 * and answers its length.
 */
final class ChaosUpstream implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final Undertow server;
    private final AtomicInteger thinkingArrived = new AtomicInteger();
    private final AtomicInteger thinkingCancelled = new AtomicInteger();
    private final AtomicInteger thinkingAnswered = new AtomicInteger();
    private final Map<String, CountDownLatch> arrivals = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> cancellations = new ConcurrentHashMap<>();
    private final AtomicLong sunk = new AtomicLong();
    private final Semaphore largeBodiesSent = new Semaphore(0);
    private final Semaphore largeBodiesAbandoned = new Semaphore(0);

    private ChaosUpstream(CertificateAuthority ca) {
        this.server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .addHttpsListener(0, "127.0.0.1", MitmTls.serverContext(new LeafCertificates(ca), "127.0.0.1"))
                .setIoThreads(2)
                .setWorkerThreads(16)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 1000)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, 4000)
                // Harp passes every cancelled download on as an RST_STREAM; Undertow's flood guard (200 in 30 s)
                // would close the shared h2 connection under H2CancelledDownloadsTest's 300 cancellations. This
                // upstream is the test's instrument, not a public server.
                .setServerOption(UndertowOptions.MAX_RST_FRAMES_PER_WINDOW, 100_000)
                .setHandler(this::handle)
                .build();
    }

    /** Starts on ephemeral ports; the HTTPS listener presents a leaf of {@code ca} (Harp must not need to trust it). */
    static ChaosUpstream start(CertificateAuthority ca) {
        ChaosUpstream upstream = new ChaosUpstream(ca);
        upstream.server.start();
        return upstream;
    }

    /**
     * One upstream for a whole test class, with its own in-memory CA: register it with
     * {@code @RegisterExtension static final ChaosUpstream upstream = ChaosUpstream.perTestClass();}, and it runs
     * from before the class's first test to after its last.
     */
    static ChaosUpstream perTestClass() {
        return perTestClass(CertificateAuthority.inMemory());
    }

    /** As {@link #perTestClass()}, with the HTTPS listener's leaf issued by {@code ca}. */
    static ChaosUpstream perTestClass(CertificateAuthority ca) {
        return new ChaosUpstream(ca);
    }

    /**
     * Waits for a {@code /large} body to have been written whole (handed to the connection: on HTTP/2, within the
     * peer's flow-control windows) since the last such wait returned.
     */
    boolean awaitLargeBodySent(Duration bound) throws InterruptedException {
        return largeBodiesSent.tryAcquire(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for a {@code /large} body whose writing failed because its client went away (reset the stream). */
    boolean awaitLargeBodyAbandoned(Duration bound) throws InterruptedException {
        return largeBodiesAbandoned.tryAcquire(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    int httpPort() {
        return port(0);
    }

    int httpsPort() {
        return port(1);
    }

    private int port(int listener) {
        return ((InetSocketAddress) server.getListenerInfo().get(listener).getAddress()).getPort();
    }

    String http(String path) {
        return "http://127.0.0.1:" + httpPort() + path;
    }

    String https(String path) {
        return "https://127.0.0.1:" + httpsPort() + path;
    }

    /** The body {@code /n/ID} answers. */
    static String answer(String id) {
        return "answer " + id + "\n";
    }

    /** Byte {@code i} of every {@code /large} body. */
    static byte patternByte(long i) {
        return (byte) (i % 251);
    }

    /** Waits (bounded) until {@code /think?id=ID} reached this server. */
    boolean awaitThinking(String id, Duration max) throws InterruptedException {
        return arrivals.computeIfAbsent(id, k -> new CountDownLatch(1)).await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether {@code /think?id=ID} reached this server. */
    boolean thinkingArrived(String id) {
        return arrivals.computeIfAbsent(id, k -> new CountDownLatch(1)).getCount() == 0;
    }

    /** Waits (bounded) until the client of {@code /think?id=ID} went away before its answer. */
    boolean awaitCancelled(String id, Duration max) throws InterruptedException {
        return cancellations.computeIfAbsent(id, k -> new CountDownLatch(1)).await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    int thinkingArrived() {
        return thinkingArrived.get();
    }

    /** {@code /think} requests whose client went away (connection closed or h2 stream reset) before the answer. */
    int thinkingCancelled() {
        return thinkingCancelled.get();
    }

    int thinkingAnswered() {
        return thinkingAnswered.get();
    }

    long bytesSunk() {
        return sunk.get();
    }

    private void handle(HttpServerExchange ex) {
        String path = ex.getRelativePath();
        if (path.startsWith("/n/")) {
            text(ex, answer(path.substring(3)));
        } else if (path.equals("/hello")) {
            text(ex, "hello harp\n");
        } else if (path.equals("/large")) {
            long size = Long.parseLong(param(ex, "size", "1048576"));
            ex.dispatch(() -> large(ex, size));
        } else if (path.equals("/think")) {
            long ms = Long.parseLong(param(ex, "ms", "1000"));
            String id = param(ex, "id", "-");
            ex.getRequestReceiver().receiveFullBytes((e, body) -> think(e, ms, id)); // bodies are read first
        } else if (path.equals("/pause")) {
            long ms = Long.parseLong(param(ex, "ms", "1000"));
            String id = param(ex, "id", "-");
            ex.dispatch(SameThreadExecutor.INSTANCE, () -> pause(ex, ms, id));
        } else if (path.equals("/sink")) {
            ex.dispatch(() -> sink(ex));
        } else {
            ex.setStatusCode(404);
            text(ex, "no route " + path + "\n");
        }
    }

    private static String param(HttpServerExchange ex, String name, String otherwise) {
        Deque<String> values = ex.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? otherwise : values.getFirst();
    }

    private static void text(HttpServerExchange ex, String body) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseSender().send(body);
    }

    private void think(HttpServerExchange ex, long millis, String id) {
        thinkingArrived.incrementAndGet();
        boolean[] answered = {false};
        ex.addExchangeCompleteListener((e, next) -> {
            if (!answered[0]) {
                thinkingCancelled.incrementAndGet();
                cancellations.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
            }
            next.proceed();
        });
        arrivals.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
        // the exchange and its timers live on the same I/O thread, so the flag needs no locking
        Runnable start = () -> {
            watchForClose(ex);
            ex.getIoThread().executeAfter(() -> {
                if (!ex.isComplete()) {
                    answered[0] = true;
                    thinkingAnswered.incrementAndGet();
                    text(ex, "thought " + id + "\n");
                }
            }, millis, TimeUnit.MILLISECONDS);
        };
        if (ex.isInIoThread()) {
            ex.dispatch(SameThreadExecutor.INSTANCE, start);
        } else {
            ex.getIoThread().execute(start);
        }
    }

    /**
     * Sends the first half of a 2,000-byte body, then pauses {@code millis} before the second half: a client that
     * leaves during the pause shows up as a cancellation of {@code id} once this upstream sees its connection close.
     */
    private void pause(HttpServerExchange ex, long millis, String id) {
        boolean[] finished = {false};
        ex.addExchangeCompleteListener((e, next) -> {
            if (!finished[0]) {
                cancellations.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
            }
            next.proceed();
        });
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 2000);
        byte[] half = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        ex.getResponseSender().send(ByteBuffer.wrap(half), new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange exchange, Sender sender) {
                arrivals.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
                watchForClose(exchange);
                exchange.getIoThread().executeAfter(() -> {
                    if (!exchange.isComplete()) {
                        finished[0] = true;
                        sender.send(ByteBuffer.wrap(half));
                    }
                }, millis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
                IoUtils.safeClose(exchange.getConnection());
            }
        });
    }

    /**
     * Undertow notices neither a closed HTTP/1.1 connection (it does not read while a request runs) nor an HTTP/2
     * stream reset (it only marks the stream broken) while a handler waits: look every 50 ms.
     */
    private static void watchForClose(HttpServerExchange ex) {
        if (ex.isComplete()) {
            return;
        }
        if (ex.getConnection() instanceof Http2ServerConnection h2) {
            if (streamReset(h2) || !h2.isOpen()) {
                ex.endExchange();
            } else {
                ex.getIoThread().executeAfter(() -> watchForClose(ex), 50, TimeUnit.MILLISECONDS);
            }
            return;
        }
        if (!(ex.getConnection() instanceof HttpServerConnection http1)) {
            return;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        int n;
        try {
            n = http1.getOriginalSourceConduit().read(one);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            IoUtils.safeClose(http1);
        } else {
            ex.getIoThread().executeAfter(() -> watchForClose(ex), 50, TimeUnit.MILLISECONDS);
        }
    }

    private static boolean streamReset(Http2ServerConnection h2) {
        try {
            Field f = Http2ServerConnection.class.getDeclaredField("responseChannel");
            f.setAccessible(true);
            return f.get(h2) instanceof AbstractFramedStreamSinkChannel<?, ?, ?> stream && (stream.isBroken() || !stream.isOpen());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void large(HttpServerExchange ex, long size) {
        ex.startBlocking();
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, size);
        byte[] chunk = new byte[251 * 64];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = patternByte(i);
        }
        try {
            OutputStream out = ex.getOutputStream();
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n); // chunk length is a multiple of 251, so the pattern continues
                left -= n;
            }
            out.close();
            largeBodiesSent.release();
        } catch (IOException | RuntimeException clientWentAway) {
            // RuntimeException: Undertow's h2 sink can fail so when the stream is reset during a write (UNDERTOW-1640)
            largeBodiesAbandoned.release();
            ex.endExchange();
        }
    }

    private void sink(HttpServerExchange ex) {
        ex.startBlocking();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = ex.getInputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
        } catch (IOException clientWentAway) {
            ex.endExchange();
            return;
        }
        sunk.addAndGet(total);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseSender().send(ByteBuffer.wrap(("received " + total + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        server.stop();
    }
}
