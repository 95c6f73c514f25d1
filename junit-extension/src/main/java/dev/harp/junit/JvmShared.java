package dev.harp.junit;

import dev.harp.tls.CertificateAuthority;

/**
 * JVM-wide resources shared by every proxy the extension starts: one in-memory CA (so a JVM-wide default
 * {@code SSLContext} trusts every proxy, and no key ever touches the disk).
 */
final class JvmShared {
    private JvmShared() {
    }

    /** Created on first use: the initialisation-on-demand holder idiom makes it thread-safe without locking. */
    private static final class Holder {
        static final CertificateAuthority CA = CertificateAuthority.inMemory();
    }

    /** @return the CA of every proxy in this JVM */
    static CertificateAuthority ca() {
        return Holder.CA;
    }
}
