package dev.harp.tls;

import java.net.InetAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server-side key manager that presents, in every handshake, a leaf certificate for the host the
 * client asked for, minted on demand by {@link LeafCertificates}.
 *
 * <p>The host is chosen in this order:
 * <ol>
 *   <li>the SNI host name the client sent;
 *   <li>for an {@link SSLEngine}, its peer host, that is the host hint given to
 *       {@code SSLContext.createSSLEngine(host, port)} (the proxy passes the CONNECT host there,
 *       which covers clients that send no SNI, such as those connecting to an IP literal);
 *       for an {@link SSLSocket}, the local address the client connected to;
 *   <li>the fallback host given at construction ({@value #DEFAULT_FALLBACK_HOST} by default).
 * </ol>
 * The alias is the normalized host. JSSE asks once per acceptable key type; only the leaf key's
 * type ({@link LeafCertificates#keyType()}) gets an alias, so JSSE never pairs a certificate with a
 * signature scheme the key cannot make. The issuers a client may list are ignored: Harp's leaves
 * are what the client is expected to trust. Client-side methods return {@code null}.
 */
public final class HostKeyManager extends X509ExtendedKeyManager {
    /** Host used when a handshake names none. */
    public static final String DEFAULT_FALLBACK_HOST = "localhost";
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyManager.class);

    private final LeafCertificates leaves;
    private final String fallbackHost;

    /**
     * A key manager falling back to {@value #DEFAULT_FALLBACK_HOST}.
     *
     * @param leaves where the leaves come from
     */
    public HostKeyManager(LeafCertificates leaves) {
        this(leaves, DEFAULT_FALLBACK_HOST);
    }

    /**
     * A key manager with its own fallback host.
     *
     * @param leaves where the leaves come from
     * @param fallbackHost host for handshakes that name none
     * @throws IllegalArgumentException if the fallback is not a valid host name or IP literal
     */
    public HostKeyManager(LeafCertificates leaves, String fallbackHost) {
        this.leaves = Objects.requireNonNull(leaves, "leaves");
        this.fallbackHost = HostNames.normalize(fallbackHost);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (!leaves.keyType().equals(keyType)) {
            return null;
        }
        String sni = engine == null ? null : sniHost(engine.getHandshakeSession());
        if (sni != null) {
            return alias(sni, "SNI");
        }
        return alias(engine == null ? null : engine.getPeerHost(), "peer host");
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (!leaves.keyType().equals(keyType)) {
            return null;
        }
        String sni = socket instanceof SSLSocket ? sniHost(((SSLSocket) socket).getHandshakeSession()) : null;
        if (sni != null) {
            return alias(sni, "SNI");
        }
        InetAddress local = socket == null ? null : socket.getLocalAddress();
        return alias(local == null || local.isAnyLocalAddress() ? null : local.getHostAddress(), "local address");
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        LeafCertificate leaf = leafOrNull(alias);
        return leaf == null ? null : leaf.chainArray();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        LeafCertificate leaf = leafOrNull(alias);
        return leaf == null ? null : leaf.privateKey();
    }

    /** There is no fixed list: every host is an alias. */
    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** Harp never authenticates as a TLS client with these leaves. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** Harp never authenticates as a TLS client with these leaves. */
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    /** Harp never authenticates as a TLS client with these leaves. */
    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    /**
     * Mints (or finds) the leaf now, so that a failure shows here and not as a missing chain.
     * Returns {@code null} only if no certificate can be made, which fails the handshake cleanly.
     */
    private String alias(String candidate, String source) {
        String host = candidate;
        if (host != null) {
            try {
                HostNames.normalize(host);
            } catch (IllegalArgumentException e) {
                LOG.debug("Ignoring the {} \"{}\": {}", source, host, e.getMessage());
                host = null;
            }
        }
        String from = source;
        if (host == null) {
            host = fallbackHost;
            from = "fallback";
        }
        try {
            String alias = leaves.leafFor(host).host();
            LOG.debug("Presenting the leaf for {} (from the {})", alias, from);
            return alias;
        } catch (RuntimeException e) {
            LOG.warn("Cannot present a certificate for {}: {}", host, e.getMessage());
            return null;
        }
    }

    private LeafCertificate leafOrNull(String alias) {
        if (alias == null) {
            return null;
        }
        try {
            return leaves.leafFor(alias);
        } catch (RuntimeException e) {
            LOG.debug("No leaf for alias \"{}\": {}", alias, e.getMessage());
            return null;
        }
    }

    private static String sniHost(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession)) {
            return null;
        }
        List<SNIServerName> names;
        try {
            names = ((ExtendedSSLSession) session).getRequestedServerNames();
        } catch (UnsupportedOperationException e) {
            return null;
        }
        for (SNIServerName name : names) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                try {
                    return name instanceof SNIHostName
                            ? ((SNIHostName) name).getAsciiName()
                            : new SNIHostName(name.getEncoded()).getAsciiName();
                } catch (IllegalArgumentException e) {
                    LOG.debug("Ignoring an unparsable SNI name: {}", e.getMessage());
                }
            }
        }
        return null;
    }
}
