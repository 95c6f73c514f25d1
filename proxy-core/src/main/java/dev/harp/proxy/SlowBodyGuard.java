package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a client may take to send a request body that Harp reads itself (replay and auto): the body must
 * be complete within the request timeout plus one second per {@value #MIN_BYTES_PER_SECOND} bytes received, the rule
 * of Apache's {@code mod_reqtimeout}. A client trickling a byte a second (slowloris on the body) is closed after
 * about the request timeout; an honest upload of any size never comes near the bound. Runs on the exchange's I/O
 * thread; the check costs one timer per body still arriving after the request timeout.
 */
final class SlowBodyGuard {
    /** The slowest average rate accepted once the grace period is over. */
    static final long MIN_BYTES_PER_SECOND = 500;

    private final HttpServerExchange ex;
    private final String url;
    private final long graceNanos;
    private final long start = System.nanoTime();
    private long received;
    private boolean done;
    private XnioExecutor.Key timer;

    private SlowBodyGuard(HttpServerExchange ex, String url, Duration grace) {
        this.ex = ex;
        this.url = url;
        this.graceNanos = grace.toNanos();
    }

    /** Starts guarding the body of {@code ex}; call on its I/O thread. */
    static SlowBodyGuard start(HttpServerExchange ex, String url, Duration grace) {
        SlowBodyGuard guard = new SlowBodyGuard(ex, url, grace);
        guard.schedule(guard.graceNanos);
        return guard;
    }

    /** Counts body bytes as they arrive. */
    void received(int bytes) {
        received += bytes;
    }

    /** The body is complete (or the exchange is over): stop guarding. */
    void done() {
        done = true;
        if (timer != null) {
            timer.remove();
            timer = null;
        }
    }

    private void schedule(long nanos) {
        timer = ex.getIoThread().executeAfter(this::check, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)),
                TimeUnit.MILLISECONDS);
    }

    private void check() {
        timer = null;
        if (done) {
            return;
        }
        long allowed = graceNanos + TimeUnit.SECONDS.toNanos(1) * received / MIN_BYTES_PER_SECOND;
        long elapsed = System.nanoTime() - start;
        if (elapsed < allowed) {
            schedule(allowed - elapsed);
            return;
        }
        done = true;
        ClientAborts.log(url, "sent its request body too slowly (" + received + " bytes in "
                + TimeUnit.NANOSECONDS.toSeconds(elapsed) + " s, under " + MIN_BYTES_PER_SECOND + " bytes/s)");
        IoUtils.safeClose(ex.getConnection());
    }
}
