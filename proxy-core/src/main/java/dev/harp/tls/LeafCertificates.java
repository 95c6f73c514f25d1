package dev.harp.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints and caches the per-host leaf certificates the proxy presents to its clients, all signed by
 * one {@link CertificateAuthority}.
 *
 * <p>One leaf key pair is generated per instance and shared by every leaf, so a new host costs one
 * signature, not a key generation. Each leaf names its host in SubjectAlternativeName (dNSName, or
 * iPAddress for IP literals), carries serverAuth, is valid from two days ago until 365 days from now
 * (367 days in all, within the 397-day limit clients enforce), and is
 * accepted by {@code openssl verify -x509_strict -purpose sslserver}.
 *
 * <p>Leaves are kept in a bounded LRU cache keyed by normalized host. Thread-safe: concurrent first
 * requests for a host wait for one signature; different hosts are signed in parallel.
 */
public final class LeafCertificates {
    /** Default number of hosts whose leaves are kept. */
    public static final int DEFAULT_CACHE_SIZE = 1_000;
    /** How long a leaf is valid after issue; with the two-day backdate the total stays under 397 days. */
    static final Duration LIFETIME = Duration.ofDays(365);
    private static final int MAX_COMMON_NAME = 64;
    private static final Logger LOG = LoggerFactory.getLogger(LeafCertificates.class);

    private final CertificateAuthority authority;
    private final KeyPair leafKeys;
    private final KeyAlgorithm leafAlgorithm;
    private final AuthorityKeyIdentifier authorityKeyId;
    private final Map<String, Slot> cache;

    /**
     * Leaves with an EC P-256 key, caching {@value #DEFAULT_CACHE_SIZE} hosts.
     *
     * @param authority the CA that signs the leaves
     */
    public LeafCertificates(CertificateAuthority authority) {
        this(authority, DEFAULT_CACHE_SIZE, KeyAlgorithm.EC_P256);
    }

    /**
     * Leaves with the given cache size and leaf key algorithm.
     *
     * @param authority the CA that signs the leaves
     * @param maxCachedHosts how many hosts' leaves to keep (least recently used go first), at least 1
     * @param leafAlgorithm algorithm of the shared leaf key; EC P-256 unless clients need RSA
     */
    public LeafCertificates(CertificateAuthority authority, int maxCachedHosts, KeyAlgorithm leafAlgorithm) {
        this.authority = Objects.requireNonNull(authority, "authority");
        this.leafAlgorithm = Objects.requireNonNull(leafAlgorithm, "leafAlgorithm");
        if (maxCachedHosts < 1) {
            throw new IllegalArgumentException("maxCachedHosts must be at least 1, was " + maxCachedHosts);
        }
        this.leafKeys = leafAlgorithm.generateKeyPair();
        this.authorityKeyId = new AuthorityKeyIdentifier(X509Support.subjectKeyIdentifier(authority.certificate()));
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                return size() > maxCachedHosts;
            }
        };
    }

    /**
     * The leaf for a host, minted on first use and cached.
     *
     * @param host a DNS name (any case, non-ASCII allowed, trailing dot allowed) or an IPv4/IPv6
     *     literal ({@code [::1]} brackets allowed)
     * @return the leaf with its chain and private key
     * @throws IllegalArgumentException if the host is neither a valid name nor an IP literal
     * @throws IllegalStateException if signing fails (it does not with JDK providers)
     */
    public LeafCertificate leafFor(String host) {
        HostNames.Host parsed = HostNames.parse(host);
        Slot slot;
        synchronized (cache) {
            slot = cache.computeIfAbsent(parsed.name, name -> new Slot(parsed));
        }
        try {
            return slot.get();
        } catch (RuntimeException e) {
            synchronized (cache) {
                cache.remove(parsed.name, slot);
            }
            throw e;
        }
    }

    /**
     * The CA that signs these leaves.
     *
     * @return the certificate authority
     */
    public CertificateAuthority authority() {
        return authority;
    }

    /**
     * The JCA algorithm of the shared leaf key ({@code "EC"} or {@code "RSA"}), which is the only
     * key type a TLS server using these leaves can offer.
     *
     * @return the leaf key algorithm name
     */
    public String keyType() {
        return leafAlgorithm.jcaName();
    }

    /**
     * The shared leaf public key.
     *
     * @return the public key every leaf of this instance certifies
     */
    public PublicKey leafPublicKey() {
        return leafKeys.getPublic();
    }

    /**
     * How many hosts currently have a cached leaf.
     *
     * @return the cache size
     */
    public int cachedHostCount() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private LeafCertificate issue(HostNames.Host host) {
        long started = System.nanoTime();
        Instant now = Instant.now();
        X509Certificate ca = authority.certificate();
        Date notAfter = Date.from(now.plus(LIFETIME));
        if (notAfter.after(ca.getNotAfter())) {
            notAfter = ca.getNotAfter();
        }
        X500Name subject = host.name.length() < MAX_COMMON_NAME
                ? new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host.name).build()
                : new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
        GeneralName name = host.isIpAddress()
                ? new GeneralName(GeneralName.iPAddress, new DEROctetString(host.address))
                : new GeneralName(GeneralName.dNSName, host.name);
        int usage = "RSA".equals(leafAlgorithm.jcaName())
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, X509Support.randomSerial(),
                Date.from(now.minus(CertificateAuthority.BACKDATE)), notAfter, subject, leafKeys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            // RFC 5280: with an empty subject the SAN carries the identity and must be critical
            builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0, new GeneralNames(name));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
            X509Certificate leaf = X509Support.sign(builder, authority.privateKey());
            LOG.debug("Issued a leaf certificate for {} in {} µs", host.name, (System.nanoTime() - started) / 1_000);
            return new LeafCertificate(host.name, leaf, ca, leafKeys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a leaf certificate for " + host.name + ": " + e.getMessage(), e);
        }
    }

    /** The cache entry of one host: signs once, however many threads ask at the same time. */
    private final class Slot {
        private final HostNames.Host host;
        private volatile LeafCertificate leaf;

        Slot(HostNames.Host host) {
            this.host = host;
        }

        LeafCertificate get() {
            LeafCertificate ready = leaf;
            if (ready != null) {
                return ready;
            }
            synchronized (this) {
                if (leaf == null) {
                    leaf = issue(host);
                }
                return leaf;
            }
        }
    }
}
