package dev.harp.proxy;

import io.undertow.Undertow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.Xnio;

/**
 * Starts XNIO ahead of the listener, on a background thread, so that its start overlaps with the rest of Harp's
 * (reading options, the CA, the HAR). Starting XNIO is a large part of a fresh JVM's start: its provider registers a
 * management bean, which brings up the platform MBean server, and XNIO offers no switch to skip that. The listener
 * then finds it started, or waits for the start already under way (class initialization is done once, by one thread).
 */
public final class IoWarmUp {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private IoWarmUp() {
    }

    /** Starts the warm-up once per JVM; later calls do nothing. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                Xnio.getInstance(Undertow.class.getClassLoader());
            } catch (RuntimeException | LinkageError e) {
                // the listener starts XNIO itself and reports what fails
            }
        }, "harp-io-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
