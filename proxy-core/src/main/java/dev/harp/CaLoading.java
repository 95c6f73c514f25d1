package dev.harp;

import dev.harp.tls.CertificateAuthority;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CA of a starting proxy: the one the configuration holds, or read (or created) from its folder on a thread of its
 * own while the listener is set up. Reading the key pair and checking that it signs for the certificate
 * is a large part of a start; the proxy still refuses to start (before it says it listens) when the CA is unusable.
 */
final class CaLoading {
    private static final long SETTLE_SECONDS = 10;
    private final Future<CertificateAuthority> task;
    private final boolean loadsHere;

    private CaLoading(Future<CertificateAuthority> task, boolean loadsHere) {
        this.task = task;
        this.loadsHere = loadsHere;
    }

    /** Starts loading the configured CA, unless the configuration holds one already (or one being made). */
    static CaLoading start(HarpConfig config) {
        if (config.pendingCertificateAuthority() != null) { // being made elsewhere
            return new CaLoading(config.pendingCertificateAuthority(), false);
        }
        FutureTask<CertificateAuthority> task = new FutureTask<>(config::certificateAuthority);
        if (config.hasCertificateAuthority()) {
            task.run();
        } else {
            Thread thread = new Thread(task, "harp-ca-load");
            thread.setDaemon(true);
            thread.start();
        }
        return new CaLoading(task, true);
    }

    /**
     * Waits (boundedly) for the loading to end, whatever its outcome: a start that fails for another reason (a port
     * in use) must not let the process exit while a first start is still writing a new CA's two files, which would
     * leave a key without its certificate.
     */
    void settle() {
        if (!loadsHere) {
            return; // made elsewhere, maybe only when first asked: nothing of this start writes it
        }
        try {
            task.get(SETTLE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the start failed already for another reason, which is the one reported
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The CA of a future, as {@link #get()} reports it: its failure's cause as an {@link IOException} (or the unchecked
     * exception it is).
     */
    static CertificateAuthority await(Future<CertificateAuthority> future) throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading Harp's CA", e);
        }
    }

    /**
     * The CA, waiting for it if it is still loading.
     *
     * @throws IOException as {@link HarpConfig#certificateAuthority()} throws it (an unreadable or mismatched CA)
     */
    CertificateAuthority get() throws IOException {
        return await(task);
    }
}
