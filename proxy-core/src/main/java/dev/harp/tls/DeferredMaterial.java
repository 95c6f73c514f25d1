package dev.harp.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context of the man in the middle, made once: by {@link #prepareInBackground()} on a thread of its own, or
 * by the first handshake that needs it before then (which then waits for it, but never makes it twice). Warm-ups
 * (a first leaf, an engine, the acceptor's listeners) follow on the background thread, so that a first CONNECT coming
 * after them finds every class it needs loaded.
 */
final class DeferredMaterial implements Supplier<SSLContext> {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredMaterial.class);

    private final FutureTask<SSLContext> task;
    private final Consumer<SSLContext> warmUp;
    private final List<Runnable> afterPrepared = new ArrayList<>();
    private boolean started;
    private boolean prepared;

    /**
     * @param make   makes the initialized context
     * @param warmUp run on the background thread once the context is made (a first leaf, say); failures are logged
     */
    DeferredMaterial(Callable<SSLContext> make, Consumer<SSLContext> warmUp) {
        this.task = new FutureTask<>(make);
        this.warmUp = warmUp;
    }

    /** The context, made now in this thread unless another thread is making it or made it already. */
    @Override
    public SSLContext get() {
        task.run(); // returns at once when the task is done or running elsewhere
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("Harp cannot make its HTTPS interception context: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Harp made its HTTPS interception context", e);
        }
    }

    /** Starts making the context, then the warm-ups, on a daemon thread; once only. */
    void prepareInBackground() {
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
        }
        Thread thread = new Thread(this::prepare, "harp-tls-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the task on the preparing thread after the warm-ups, or at once when they are done. */
    void whenPrepared(Runnable after) {
        synchronized (this) {
            if (!prepared) {
                afterPrepared.add(after);
                return;
            }
        }
        after.run();
    }

    private void prepare() {
        SSLContext context;
        try {
            context = get();
        } catch (RuntimeException e) {
            LOG.error("{}; HTTPS interception will fail", e.getMessage());
            return;
        }
        run(() -> warmUp.accept(context));
        List<Runnable> after;
        synchronized (this) {
            prepared = true;
            after = List.copyOf(afterPrepared);
            afterPrepared.clear();
        }
        after.forEach(DeferredMaterial::run);
    }

    private static void run(Runnable warmUp) {
        try {
            warmUp.run();
        } catch (RuntimeException e) { // a warm-up only saves time: the first handshake does the same work and reports
            LOG.debug("Harp's TLS warm-up failed: {}", e.toString());
        }
    }
}
