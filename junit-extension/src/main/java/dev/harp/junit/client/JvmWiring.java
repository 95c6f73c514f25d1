package dev.harp.junit.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.harp.ProxyAuth;
import dev.harp.tls.ClientTls;

import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Points the whole JVM at a Harp proxy and puts everything back exactly as it was on {@link #close()}.
 *
 * <p>{@link #install} saves, then sets:
 * <ul>
 *   <li>the system properties {@code http.proxyHost}, {@code http.proxyPort}, {@code https.proxyHost},
 *       {@code https.proxyPort} to Harp's address, and {@code http.nonProxyHosts} to the empty string: the JDK
 *       appends its defaults ({@code localhost|127.*|[::1]|0.0.0.0|[::0]}) to any non-empty value, so only an empty
 *       value makes its default selector proxy local servers too;</li>
 *   <li>the default {@link ProxySelector}: a {@link HarpProxySelector} (HTTP(S) through Harp, other schemes to the
 *       previous selector);</li>
 *   <li>the default {@link SSLContext} and {@link HttpsURLConnection}'s default socket factory: a context that
 *       trusts Harp's CA and the JDK's CAs ({@link ClientTls}). The default host name verifier is left alone.</li>
 * </ul>
 * Absent properties are cleared again on close; the previous objects are put back by identity. Clients that
 * copied the defaults before {@code install} (a static {@code HttpClient}, an {@code OkHttpClient} built earlier)
 * keep what they copied.
 *
 * <p>The JVM has one set of these defaults, so wirings nest (last installed, first closed) but must not overlap
 * between threads: the JUnit extension serialises tests that wire the JVM with a resource lock. Installs and
 * restores synchronise on this class.
 */
public final class JvmWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JvmWiring.class);

    /** The system properties set and restored. */
    public static final List<String> PROPERTIES = List.of("http.proxyHost", "http.proxyPort", "https.proxyHost",
            "https.proxyPort", "http.nonProxyHosts");

    private final InetSocketAddress proxy;
    private final Map<String, String> savedProperties;
    private final ProxySelector savedSelector;
    private final SSLContext savedContext;
    private final SSLSocketFactory savedSocketFactory;
    private boolean restored;
    private Authenticator savedAuthenticator;
    private static final String TUNNELING_DISABLED = "jdk.http.auth.tunneling.disabledSchemes";

    private JvmWiring(InetSocketAddress proxy, Map<String, String> savedProperties, ProxySelector savedSelector,
                      SSLContext savedContext, SSLSocketFactory savedSocketFactory) {
        this.proxy = proxy;
        this.savedProperties = savedProperties;
        this.savedSelector = savedSelector;
        this.savedContext = savedContext;
        this.savedSocketFactory = savedSocketFactory;
    }

    /**
     * Saves the JVM's proxy and TLS defaults and points them at Harp.
     *
     * @param proxy Harp's listening address
     * @param tls   the trust to install as the default {@link SSLContext}
     * @return the wiring; close it to restore what was there before
     */
    public static JvmWiring install(InetSocketAddress proxy, ClientTls tls) {
        return install(proxy, tls, null);
    }

    /**
     * Saves the JVM's proxy and TLS defaults and points them at Harp; with credentials, also installs a default
     * {@link Authenticator} that answers Harp's proxy challenge (and passes every other one to the previous default),
     * and, when the property is unset, sets {@code jdk.http.auth.tunneling.disabledSchemes} to empty: the JDK refuses
     * Basic for proxies on CONNECT (HTTPS) by default. The JDK reads that property once, when its HTTP clients are
     * first used, so a build that uses them before the extension runs must pass
     * {@code -Djdk.http.auth.tunneling.disabledSchemes=} itself.
     *
     * @param proxy Harp's listening address
     * @param tls   the trust to install as the default {@link SSLContext}
     * @param auth  the credentials Harp asks for, or null
     * @return the wiring; close it to restore what was there before
     */
    public static JvmWiring install(InetSocketAddress proxy, ClientTls tls, ProxyAuth auth) {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(tls, "tls");
        synchronized (JvmWiring.class) {
            Map<String, String> saved = new LinkedHashMap<>();
            for (String name : PROPERTIES) {
                saved.put(name, System.getProperty(name));
            }
            ProxySelector selector = ProxySelector.getDefault();
            SSLContext context = defaultContext();
            SSLSocketFactory factory = HttpsURLConnection.getDefaultSSLSocketFactory();
            JvmWiring wiring = new JvmWiring(proxy, Collections.unmodifiableMap(saved), selector, context, factory);
            wiring.savedAuthenticator = Authenticator.getDefault();
            if (auth != null) {
                if (System.getProperty(TUNNELING_DISABLED) == null) {
                    System.setProperty(TUNNELING_DISABLED, "");
                }
                Authenticator.setDefault(new HarpAuthenticator(proxy, auth, wiring.savedAuthenticator));
            }

            String host = proxy.getHostString();
            String port = Integer.toString(proxy.getPort());
            System.setProperty("http.proxyHost", host);
            System.setProperty("http.proxyPort", port);
            System.setProperty("https.proxyHost", host);
            System.setProperty("https.proxyPort", port);
            System.setProperty("http.nonProxyHosts", "");
            ProxySelector.setDefault(new HarpProxySelector(proxy, selector));
            SSLContext.setDefault(tls.sslContext());
            HttpsURLConnection.setDefaultSSLSocketFactory(tls.sslContext().getSocketFactory());
            LOG.debug("Harp wired the JVM to {}:{}", host, port);
            return wiring;
        }
    }

    /** @return Harp's address this wiring points at */
    public InetSocketAddress proxy() {
        return proxy;
    }

    /** @return the property values found before {@link #install} (null for absent ones), in {@link #PROPERTIES} order */
    public Map<String, String> savedProperties() {
        return savedProperties;
    }

    /** Puts back the properties, selector, default context and socket factory found before. Idempotent. */
    @Override
    public void close() {
        synchronized (JvmWiring.class) {
            if (restored) {
                return;
            }
            restored = true;
            Authenticator.setDefault(savedAuthenticator);
            HttpsURLConnection.setDefaultSSLSocketFactory(savedSocketFactory);
            SSLContext.setDefault(savedContext);
            ProxySelector.setDefault(savedSelector);
            savedProperties.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
            LOG.debug("Harp restored the JVM's proxy and TLS defaults");
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK's default TLS context is not available", e);
        }
    }
}
