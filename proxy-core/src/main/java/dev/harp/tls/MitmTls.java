package dev.harp.tls;

import java.security.GeneralSecurityException;
import java.util.List;
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
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new HostKeyManager(leaves, fallbackHost)}, null, null);
            return LimitedProtocolsContext.wrap(context, PROTOCOLS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS implementation is not available", e);
        }
    }
}
