package dev.harp.tls;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The server-side TLS of the man in the middle: an {@link SSLContext} that presents, to each
 * client, a leaf certificate for the host it asked for.
 *
 * <p>Engines and server sockets of the context enable only {@link #PROTOCOLS}. Cipher suites stay
 * the JDK defaults on purpose: Undertow offers h2 through ALPN only while
 * {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256} is enabled, so they must not be pruned.
 */
public final class MitmTls {
    /** The protocol versions the proxy accepts from clients. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private MitmTls() {
    }

    /**
     * A server context whose certificates come from the leaves, falling back to
     * {@value HostKeyManager#DEFAULT_FALLBACK_HOST} when a handshake names no host.
     *
     * @param leaves the leaf factory
     * @return an initialized server context
     */
    public static SSLContext serverContext(LeafCertificates leaves) {
        return serverContext(leaves, HostKeyManager.DEFAULT_FALLBACK_HOST);
    }

    /**
     * A server context whose certificates come from the leaves.
     *
     * <p>With an {@code SSLEngine}, pass the expected host (for MITM, the CONNECT host) to
     * {@code createSSLEngine(host, port)}: it is used when the client sends no SNI.
     *
     * @param leaves the leaf factory
     * @param fallbackHost host of the certificate for handshakes that name none
     * @return an initialized server context
     */
    public static SSLContext serverContext(LeafCertificates leaves, String fallbackHost) {
        return LimitedProtocolsContext.wrap(initialized(leaves, fallbackHost), PROTOCOLS);
    }

    /**
     * A server context for leaves of the CA, falling back to {@value HostKeyManager#DEFAULT_FALLBACK_HOST}, whose
     * material (the shared leaf key, the JDK's TLS context) is made only when {@link #prepareInBackground} or the
     * first handshake asks for it, whichever comes first. Making it loads and initializes the JDK's TLS
     * implementation, a large part of a fresh JVM's start: a proxy can listen without it.
     *
     * @param ca the CA that signs the leaves
     * @return a context that makes its material on first use
     */
    public static SSLContext deferredServerContext(CertificateAuthority ca) {
        return deferredServerContext(() -> ca);
    }

    /**
     * As {@link #deferredServerContext(CertificateAuthority)}, with a CA that may still be loading: making the
     * material waits for it.
     *
     * @param ca gives the CA that signs the leaves (waiting for it if need be)
     * @return a context that makes its material on first use
     */
    public static SSLContext deferredServerContext(java.util.concurrent.Callable<CertificateAuthority> ca) {
        AtomicReference<LeafCertificates> leaves = new AtomicReference<>();
        DeferredMaterial material = new DeferredMaterial(() -> {
            leaves.set(new LeafCertificates(ca.call()));
            return initialized(leaves.get(), HostKeyManager.DEFAULT_FALLBACK_HOST);
        }, context -> {
            // what a first handshake would otherwise load: the certificate builder and signer (with the leaf that
            // handshakes naming no host get), and the engine
            leaves.get().leafFor(HostKeyManager.DEFAULT_FALLBACK_HOST);
            context.createSSLEngine().setUseClientMode(false);
        });
        return LimitedProtocolsContext.wrapDeferred(material, new DeferredProvider(), "TLS", PROTOCOLS);
    }

    /**
     * Starts making the material of a {@linkplain #deferredServerContext deferred} context on a background thread,
     * then warming up what a first handshake needs; nothing for other contexts, or when it was started already.
     */
    public static void prepareInBackground(SSLContext context) {
        DeferredMaterial material = LimitedProtocolsContext.deferred(context);
        if (material != null) {
            material.prepareInBackground();
        }
    }

    /**
     * Runs a warm-up of the context's user (e.g. the listeners that take the decrypted connections) on the
     * background thread once a {@linkplain #deferredServerContext deferred} context is prepared; at once when it is
     * prepared already or not deferred.
     */
    public static void whenPrepared(SSLContext context, Runnable warmUp) {
        DeferredMaterial material = LimitedProtocolsContext.deferred(context);
        if (material != null) {
            material.whenPrepared(warmUp);
        } else {
            warmUp.run();
        }
    }

    /**
     * What a deferred context names as its provider: looking up the JDK's ({@code Security.getProvider}) would load
     * the security providers before the proxy listens. The material is made by SunJSSE when it is needed.
     */
    private static final class DeferredProvider extends Provider {
        private static final long serialVersionUID = 1L;

        DeferredProvider() {
            super("HarpDeferredTls", "1.0", "Harp's interception TLS, made by SunJSSE on first use");
        }
    }

    private static SSLContext initialized(LeafCertificates leaves, String fallbackHost) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new HostKeyManager(leaves, fallbackHost)}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS implementation is not available", e);
        }
    }
}
