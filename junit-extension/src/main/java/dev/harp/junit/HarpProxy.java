package dev.harp.junit;

import dev.harp.ModeResolution;
import dev.harp.tls.ClientTls;
import dev.harp.junit.client.HarpProxySelector;
import dev.harp.replay.Miss;
import dev.harp.replay.ReplayResponse;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * The running Harp proxy of a test, injected as a parameter of test and lifecycle methods:
 *
 * <pre>{@code
 * @Test
 * void forecast(HarpProxy harp) {
 *     OkHttpClient client = new OkHttpClient.Builder()
 *             .proxySelector(harp.proxySelector())
 *             .sslSocketFactory(harp.sslContext().getSocketFactory(), harp.trustManager())
 *             .build();
 * }
 * }</pre>
 *
 * <p>Address, CA and TLS objects are fixed for the proxy's life; {@link #mode()}, {@link #har()}, {@link #misses()}
 * and {@link #unusedEntries()} describe the fixture in use when called. Thread-safe.
 */
public final class HarpProxy {
    private final dev.harp.HarpServer harp;
    private final ClientTls tls;
    private final boolean jvmWired;
    private final Supplier<Fixture> fixture;
    private final ProxySelector selector;
    private HttpClient httpClient;

    HarpProxy(dev.harp.HarpServer harp, ClientTls tls, boolean jvmWired, Supplier<Fixture> fixture) {
        this.harp = harp;
        this.tls = tls;
        this.jvmWired = jvmWired;
        this.fixture = fixture;
        this.selector = new HarpProxySelector(harp.address(), null);
    }

    /** @return the port the proxy listens on */
    public int port() {
        return harp.port();
    }

    /** @return the host the proxy listens on, e.g. {@code 127.0.0.1} */
    public String host() {
        return harp.address().getHostString();
    }

    /** @return the proxy's address, for {@code java.net.Proxy} and client builders */
    public InetSocketAddress proxyAddress() {
        return harp.address();
    }

    /** @return an HTTP proxy pointing at Harp */
    public Proxy proxy() {
        return new Proxy(Proxy.Type.HTTP, harp.address());
    }

    /** @return {@code http://host:port}, the form {@code HTTP_PROXY} and most tools expect */
    public String proxyUrl() {
        return "http://" + host() + ":" + port();
    }

    /** @return a selector sending every HTTP(S) request through Harp, {@code localhost} included */
    public ProxySelector proxySelector() {
        return selector;
    }

    /** @return the CA certificate Harp signs its per-host certificates with (one per JVM) */
    public X509Certificate caCertificate() {
        return tls.harpCa();
    }

    /** @return {@link #caCertificate()} as PEM */
    public String caCertificatePem() {
        return ClientTls.pem(tls.harpCa());
    }

    /** @return a trust manager trusting Harp's CA and the JDK's own CAs */
    public X509TrustManager trustManager() {
        return tls.trustManager();
    }

    /** @return a client TLS context using {@link #trustManager()} */
    public SSLContext sslContext() {
        return tls.sslContext();
    }

    /** @return the trust objects, including PEM bundle and PKCS#12 forms for other processes */
    public ClientTls clientTls() {
        return tls;
    }

    /**
     * @return a JDK {@code HttpClient} that goes through Harp and trusts it, built once per proxy; it does not follow
     *         redirects (use {@code HttpClient.newBuilder().proxy(proxySelector()).sslContext(sslContext())} for other
     *         settings)
     */
    public synchronized HttpClient httpClient() {
        if (httpClient == null) {
            HttpClient.Builder b = HttpClient.newBuilder().proxy(selector).sslContext(tls.sslContext());
            java.net.Authenticator auth = authenticator();
            if (auth != null) {
                b.authenticator(auth);
            }
            httpClient = b.build();
        }
        return httpClient;
    }

    /**
     * @return an authenticator that answers this proxy's challenge (see {@link Harp#proxyAuth()}), for clients built
     *         by hand, e.g. {@code HttpClient.newBuilder().authenticator(harp.authenticator())}; null when the proxy
     *         asks for no credentials
     */
    public java.net.Authenticator authenticator() {
        dev.harp.ProxyAuth auth = harp.config().proxyAuth();
        return auth == null ? null : new dev.harp.junit.client.HarpAuthenticator(harp.address(), auth, null);
    }

    /** @return whether this proxy wired the JVM's default proxy and TLS settings */
    public boolean jvmWired() {
        return jvmWired;
    }

    /** @return the mode in force for the fixture in use, and where it came from */
    public ModeResolution mode() {
        return fixture.get().mode();
    }

    /** @return the HAR file in use (it may not exist yet) */
    public Path har() {
        return fixture.get().path();
    }

    /**
     * @return replay misses in the fixture in use so far; empty unless the mode in force is {@code replay} (in
     *         {@code auto} mode a miss is forwarded and recorded, not a failure)
     */
    public List<Miss> misses() {
        return fixture.get().replaysOnly() ? harp.misses() : List.of();
    }

    /** @return recorded responses of the fixture in use not served so far */
    public List<ReplayResponse> unusedEntries() {
        return harp.unusedEntries();
    }

    @Override
    public String toString() {
        return "HarpProxy[" + proxyUrl() + ", " + mode().effective().cliName() + ", " + har() + "]";
    }
}
