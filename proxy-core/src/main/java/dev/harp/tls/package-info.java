/**
 * Harp's TLS: the per-user {@link dev.harp.tls.CertificateAuthority}, the per-host
 * {@link dev.harp.tls.LeafCertificates} it signs, the {@link dev.harp.tls.HostKeyManager} and
 * {@link dev.harp.tls.MitmTls} server context that present them to intercepted clients, and the
 * {@link dev.harp.tls.UpstreamTls} contexts the proxy uses towards real servers.
 *
 * <p>Everything runs on the JDK's own JCA/JSSE providers; BouncyCastle is used only to build and
 * parse certificates and PEM files, and is never registered as a security provider.
 */
package dev.harp.tls;
