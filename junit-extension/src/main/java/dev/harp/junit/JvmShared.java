package dev.harp.junit;

import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.ClientTls;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * JVM-wide resources shared by every proxy the extension starts: one in-memory CA (so a JVM-wide default
 * {@code SSLContext} trusts every proxy, and no key ever touches the disk) and the client trust built for it. (The
 * JDK's own default {@code SSLContext}, which the wiring saves, is left to be built where it always was: a class
 * that does not wire the JVM may still change {@code javax.net.ssl.*} before using it.)
 *
 * <p>Making the CA (a key pair and a certificate) and reading the JDK's CAs are the largest one-off costs of the
 * first {@code @Harp} class in a JVM (issue 17), so {@link #prepare()}, called as soon as JUnit creates the extension,
 * starts them on a daemon thread while JUnit and the extension get on with the class; {@link #ca()} and
 * {@link #clientTls()} wait for them. Thread-safe.
 */
final class JvmShared {
    /** The system properties that choose the JDK's CAs: a trust built under other values is built again. */
    private static final List<String> TRUST_PROPERTIES = List.of("javax.net.ssl.trustStore",
            "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType", "javax.net.ssl.trustStoreProvider");

    private static volatile CompletableFuture<CertificateAuthority> ca;
    private static volatile CompletableFuture<Trust> tls;

    /** A client trust and the trust-store properties it was built under. */
    private record Trust(ClientTls tls, List<String> properties) {
        static Trust build(CertificateAuthority ca) {
            List<String> properties = trustProperties();
            return new Trust(ClientTls.trusting(ca.certificate()), properties);
        }
    }

    private JvmShared() {
    }

    /** Starts making the CA and its client trust in the background, once per JVM; later calls do nothing. */
    static synchronized void prepare() {
        if (ca != null) {
            return;
        }
        CompletableFuture<CertificateAuthority> caFuture = new CompletableFuture<>();
        CompletableFuture<Trust> tlsFuture = new CompletableFuture<>();
        ca = caFuture;
        tls = tlsFuture;
        Thread maker = new Thread(() -> {
            try {
                CertificateAuthority made = CertificateAuthority.inMemory();
                caFuture.complete(made);
                tlsFuture.complete(Trust.build(made));
            } catch (Throwable e) { // whatever failed fails every proxy's start, with this as the cause
                caFuture.completeExceptionally(e);
                tlsFuture.completeExceptionally(e);
            }
        }, "harp-ca");
        maker.setDaemon(true);
        maker.start();
    }

    /** @return the CA of every proxy in this JVM, waiting for it if it is still being made */
    static CertificateAuthority ca() {
        prepare();
        return join(ca);
    }

    /**
     * @return the trust of Harp's CA and the JDK's CAs, one for every proxy of this JVM as long as the
     *         {@code javax.net.ssl.trustStore*} properties keep their values (the JDK's CAs are those they name)
     */
    static ClientTls clientTls() {
        prepare();
        Trust built = join(tls);
        List<String> now = trustProperties();
        if (built.properties().equals(now)) {
            return built.tls();
        }
        synchronized (JvmShared.class) {
            if (tls.join().properties().equals(now)) {
                return tls.join().tls();
            }
            Trust rebuilt = Trust.build(ca());
            tls = CompletableFuture.completedFuture(rebuilt);
            return rebuilt.tls();
        }
    }

    private static List<String> trustProperties() {
        return TRUST_PROPERTIES.stream().map(name -> String.valueOf(System.getProperty(name))).toList();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Harp could not make its CA: " + cause, cause);
        }
    }
}
