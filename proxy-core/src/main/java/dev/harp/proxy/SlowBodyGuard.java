package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a client may take to send a request body that Harp reads itself (replay and auto): the body must
 * be complete within the request timeout plus one second per {@value #MIN_BYTES_PER_SECOND} bytes received, the rule
 * of Apache's {@code mod_reqtimeout}. A client trickling a byte a second (slowloris on the body) is cut off after
 * about the request timeout; an honest upload of any size never comes near the bound. Runs on the exchange's I/O
 * thread; the check costs one timer per body still arriving after the request timeout.
 *
 * <p>Replay and auto read bodies themselves and close a connection that is too slow; the relay, which forwards a body
 * as it comes, decides itself what a body that stopped moving means ({@link #start(HttpServerExchange, String,
 * Duration, Runnable)}).
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
    private final Runnable tooSlow;

    private SlowBodyGuard(HttpServerExchange ex, String url, Duration grace, Runnable tooSlow) {
        this.ex = ex;
        this.url = url;
        this.graceNanos = grace.toNanos();
        this.tooSlow = tooSlow;
    }

    /** Starts guarding the body of {@code ex}, closing its connection when it is too slow; call on its I/O thread. */
    static SlowBodyGuard start(HttpServerExchange ex, String url, Duration grace) {
        return start(ex, url, grace, null);
    }

    /** Starts guarding the body of {@code ex}; when it is too slow, runs {@code tooSlow} instead of closing. */
    static SlowBodyGuard start(HttpServerExchange ex, String url, Duration grace, Runnable tooSlow) {
        SlowBodyGuard guard = new SlowBodyGuard(ex, url, grace, tooSlow);
        guard.schedule(guard.graceNanos);
        return guard;
    }

    /** What the body has moved so far, for messages. */
    String progress() {
        return received + " bytes in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s";
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
        timer = IoTasks.later(ex.getIoThread(), this::check, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    private void check() {
        timer = null;
        if (done) {
            return;
        }
        // a second per MIN_BYTES_PER_SECOND bytes, in an order that cannot overflow for any real body
        long allowed = graceNanos + received / MIN_BYTES_PER_SECOND * TimeUnit.SECONDS.toNanos(1);
        long elapsed = System.nanoTime() - start;
        if (elapsed < allowed) {
            schedule(allowed - elapsed);
            return;
        }
        done = true;
        if (tooSlow != null) {
            tooSlow.run();
            return;
        }
        ClientAborts.log(url, "sent its request body too slowly (" + progress() + ", under " + MIN_BYTES_PER_SECOND
                + " bytes/s)");
        IoUtils.safeClose(ex.getConnection());
    }
}
