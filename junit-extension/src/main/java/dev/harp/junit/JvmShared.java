package dev.harp.junit;

import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.ClientTls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * JVM-wide resources shared by every proxy the extension starts: one in-memory CA (so a JVM-wide default
 * {@code SSLContext} trusts every proxy, and no key ever touches the disk) and the client trust built for it. (The
 * JDK's own default {@code SSLContext}, which the wiring saves, is left to be built where it always was: a class
 * that does not wire the JVM may still change {@code javax.net.ssl.*} before using it.)
 *
 * <p>Making the CA (a key pair and a certificate, with BouncyCastle's signed jars to load and verify) and reading the
 * JDK's CAs are the largest one-off costs of the first {@code @Harp} class in a JVM (issue 17), and a test that only
 * sends plain HTTP needs neither. So nothing is made ahead: the CA is made when first waited for, by the proxy's TLS
 * preparation (in the background, once the proxy listens, when its session may intercept HTTPS: a mode that forwards,
 * or a replayed HAR with an {@code https:} entry) or by a first TLS connection; the client trust is
 * {@linkplain ClientTls#deferred deferred} (installed at once, built when the CA is made or a connection needs it).
 * Thread-safe.
 */
final class JvmShared {
    /** The system properties that choose the JDK's CAs: a trust made under other values is made again. */
    private static final List<String> TRUST_PROPERTIES = List.of("javax.net.ssl.trustStore",
            "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType", "javax.net.ssl.trustStoreProvider");

    private static volatile MadeOnDemand ca;
    private static volatile Trust tls;

    /** A client trust and the trust-store properties it was built under (null until it is built). */
    private record Trust(ClientTls tls, AtomicReference<List<String>> builtUnder) {
        static Trust of(MadeOnDemand ca) {
            AtomicReference<List<String>> under = new AtomicReference<>();
            return new Trust(ClientTls.deferred(() -> {
                X509Certificate certificate = ca.made().certificate();
                under.set(trustProperties()); // the JDK's CAs are read right after, under these
                return certificate;
            }), under);
        }

        /** Whether it serves a JVM with these properties: built under them, or not built yet (then it will be). */
        boolean fits(List<String> properties) {
            List<String> under = builtUnder.get();
            return under == null || under.equals(properties);
        }
    }

    private JvmShared() {
    }

    /** Sets up the CA and its client trust, to be made when first needed, once per JVM; later calls do nothing. */
    static synchronized void prepare() {
        if (ca != null) {
            return;
        }
        ca = new MadeOnDemand();
        tls = Trust.of(ca);
    }

    /**
     * The CA, made by the first thread that waits for it (the proxy's TLS preparation, a first TLS connection of the
     * wired trust) and waited for by any other; then the client trust is built on a daemon thread, ready for the
     * test's first TLS connection.
     */
    private static final class MadeOnDemand extends FutureTask<CertificateAuthority> {
        MadeOnDemand() {
            super(CertificateAuthority::inMemory);
        }

        @Override
        protected void done() {
            if (isCancelled()) {
                return;
            }
            try {
                super.get();
            } catch (ExecutionException | InterruptedException e) {
                return; // whatever failed fails every TLS use of every proxy, with this as the cause
            }
            Thread trust = new Thread(() -> {
                try {
                    tls.tls().prepare();
                } catch (RuntimeException e) {
                    // kept for the first TLS connection, which reports it
                }
            }, "harp-client-trust");
            trust.setDaemon(true);
            trust.start();
        }

        @Override
        public CertificateAuthority get() throws InterruptedException, ExecutionException {
            run(); // returns at once when made, or being made by another thread
            return super.get();
        }

        @Override
        public CertificateAuthority get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            run();
            return super.get(timeout, unit);
        }

        /** The CA, made now unless made or being made; its failure rethrown unchecked. */
        CertificateAuthority made() {
            try {
                return get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("Harp could not make its CA: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Harp made its CA", e);
            }
        }
    }

    /** @return the CA of every proxy in this JVM, made when first waited for: a proxy need not wait for it to listen */
    static Future<CertificateAuthority> ca() {
        prepare();
        return ca;
    }

    /**
     * @return the trust of Harp's CA and the JDK's CAs, one for every proxy of this JVM as long as the
     *         {@code javax.net.ssl.trustStore*} properties keep their values (the JDK's CAs are those they name);
     *         made when a TLS connection first needs it
     */
    static ClientTls clientTls() {
        prepare();
        Trust made = tls;
        List<String> now = trustProperties();
        if (made.fits(now)) {
            return made.tls();
        }
        synchronized (JvmShared.class) {
            if (tls.fits(now)) {
                return tls.tls();
            }
            Trust again = Trust.of(ca);
            tls = again;
            return again.tls();
        }
    }

    private static List<String> trustProperties() {
        return TRUST_PROPERTIES.stream().map(name -> String.valueOf(System.getProperty(name))).toList();
    }
}
