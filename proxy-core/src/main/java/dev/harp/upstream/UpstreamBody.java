package dev.harp.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream response body read as an {@link InputStream}, in place of the JDK's
 * {@code BodyHandlers.ofInputStream()}, for what happens when Harp stops reading before the end (its client went
 * away).
 *
 * <p>The JDK's stream cancels the exchange at once. On HTTP/2 that drops the DATA frames the JDK client had
 * received for the stream but not yet handed over, and JDK 17 does not return their bytes to the connection's
 * flow-control window (fixed in later JDKs by JDK-8342075). Each cancelled download leaks what was queued, and after
 * a few hundred (or one large one) the connection window is gone: every stream on that upstream connection stalls.
 * This stream instead, when closed early, asks for everything (so the JDK hands over, and credits, what it holds),
 * discards it, and cancels once {@value #DISCARD_LIMIT} more bytes have arrived or {@link #DISCARD_TIME} has passed,
 * whichever comes first; a body that ends within those bounds also leaves its HTTP/1.1 connection reusable.
 *
 * <p>A body that fails reports the real reason (a reset stream, a closed connection), not the JDK's bare "closed".
 */
final class UpstreamBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    /** How much more of a body Harp accepts, and discards, after its reader stopped before the end. */
    static final long DISCARD_LIMIT = 1 << 20;
    /** How long Harp keeps discarding a body its reader abandoned before it cancels the exchange. */
    static final Duration DISCARD_TIME = Duration.ofSeconds(2);
    private static final List<ByteBuffer> END = List.of();
    private static final List<ByteBuffer> FAILED = List.of();

    private final BlockingQueue<List<ByteBuffer>> received = new LinkedBlockingQueue<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private volatile Throwable failure;
    private volatile boolean discarding;
    /** Bytes discarded since the drain that {@link #close()} started returned; -1 before it returned. */
    private volatile long discardedSinceDrain = -1;
    private Iterator<ByteBuffer> buffers;
    private ByteBuffer current;
    private boolean ended;
    private boolean closed;

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (subscription != null) {
            s.cancel();
            return;
        }
        subscription = s;
        if (discarding) {
            cancel(); // closed before the body began: nothing is queued yet
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        if (!discarding) {
            received.add(item);
            return;
        }
        long n = 0;
        for (ByteBuffer b : item) {
            n += b.remaining();
        }
        synchronized (this) {
            if (discardedSinceDrain >= 0) {
                discardedSinceDrain += n;
                if (discardedSinceDrain > DISCARD_LIMIT) {
                    cancel();
                }
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        finished.set(true);
        failure = t;
        received.add(FAILED);
    }

    @Override
    public void onComplete() {
        finished.set(true);
        received.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!next()) {
            return -1;
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.remaining();
    }

    /** Makes {@link #current} a buffer with bytes in it; false at the end of the body. */
    private boolean next() throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (closed) {
                throw new IOException("the upstream body is closed");
            }
            if (buffers != null && buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended) {
                return false;
            }
            if (buffers != null) {
                buffers = null;
                subscription.request(1); // the last list is used up: ask for the next one
            }
            List<ByteBuffer> item;
            try {
                item = received.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the upstream body");
            }
            if (item == END) {
                ended = true;
                return false;
            }
            if (item == FAILED) {
                Throwable t = failure;
                String why = t.getMessage() == null ? t.toString() : t.getMessage();
                throw t instanceof IOException io && t.getMessage() != null ? new IOException(why, io) : new IOException(why, t);
            }
            buffers = item.iterator();
        }
        return true;
    }

    /**
     * Closes the stream. Before the end of the body, the rest is drained and discarded within bounds, then the
     * exchange is cancelled (see the class comment); at the end, or after a failure, there is nothing left to do.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        current = null;
        buffers = null;
        if (ended || finished.get()) {
            return;
        }
        discarding = true;
        received.clear();
        Flow.Subscription s = subscription;
        if (s == null) {
            return; // onSubscribe sees the flag
        }
        s.request(Long.MAX_VALUE); // what the JDK holds for this stream is handed over (and credited) now
        synchronized (this) {
            discardedSinceDrain = 0;
        }
        CompletableFuture.delayedExecutor(DISCARD_TIME.toMillis(), TimeUnit.MILLISECONDS, Runnable::run).execute(this::cancel);
    }

    private void cancel() {
        if (finished.compareAndSet(false, true)) {
            subscription.cancel();
        }
    }
}
