package dev.harp.junit.testcontainers;

import dev.harp.junit.HarpProxy;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Routes a container's outbound HTTP(S) through a running Harp proxy, so traffic of the application in the
 * container is recorded and replayed like the test's own:
 *
 * <pre>{@code
 * @Harp
 * class OrderServiceIT {
 *     @Test
 *     void placesOrder(HarpProxy harp) {
 *         try (GenericContainer<?> app = new GenericContainer<>("my/app").withNetworkMode("host")) {
 *             HarpContainers.routeThrough(app, harp);
 *             app.start();
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Call it before the container starts. It sets, in upper and lower case, {@code HTTP_PROXY} and
 * {@code HTTPS_PROXY} to Harp and {@code NO_PROXY} to the empty list (everything goes through Harp, the host's
 * {@code localhost} included); copies Harp's CA to {@value #CA_FILE}, a bundle of Harp's CA plus the JDK's CAs to
 * {@value #BUNDLE_FILE}, and the same as a PKCS#12 trust store to {@value #TRUST_STORE}; points
 * {@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE} and {@code CURL_CA_BUNDLE} at the bundle and
 * {@code NODE_EXTRA_CA_CERTS} at the CA; and appends proxy properties and the trust store to
 * {@code JAVA_TOOL_OPTIONS} for JVMs, which ignore the proxy variables.
 *
 * <p>Networking: Harp listens on the test JVM's host. With host networking ({@code withNetworkMode("host")},
 * Linux) the container reaches it at {@code 127.0.0.1}: use {@link #routeThrough(GenericContainer, HarpProxy)}.
 * On a bridge network, start Harp with {@code bindAddress = "0.0.0.0"} and name the host as the container sees it:
 * {@code routeThrough(container, harp, "host.docker.internal")} together with
 * {@code withExtraHost("host.docker.internal", "host-gateway")}. Testcontainers' {@code exposeHostPorts} also works
 * where its sshd image can be pulled. Clients in the container that ignore proxy variables are not recorded.
 */
public final class HarpContainers {
    /** Harp's CA certificate inside the container. */
    public static final String CA_FILE = "/harp/harp-ca.pem";
    /** Harp's CA followed by the JDK's CAs, inside the container. */
    public static final String BUNDLE_FILE = "/harp/ca-bundle.pem";
    /** The same CAs as a PKCS#12 trust store, for JVMs in the container. */
    public static final String TRUST_STORE = "/harp/truststore.p12";
    /** The trust store's password. */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    private HarpContainers() {
    }

    /**
     * Routes the container through Harp at {@code 127.0.0.1}: for host networking.
     *
     * @param container a container not yet started
     * @param harp      the running proxy (inject it into the test)
     * @param <T>       the container type
     * @return the container
     */
    public static <T extends GenericContainer<?>> T routeThrough(T container, HarpProxy harp) {
        return routeThrough(container, harp, harp.host());
    }

    /**
     * Routes the container through Harp reached under another host name or address.
     *
     * @param container a container not yet started
     * @param harp      the running proxy
     * @param proxyHost how the container reaches the host running Harp, e.g. {@code host.docker.internal}
     * @param <T>       the container type
     * @return the container
     */
    public static <T extends GenericContainer<?>> T routeThrough(T container, HarpProxy harp, String proxyHost) {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(harp, "harp");
        Objects.requireNonNull(proxyHost, "proxyHost");
        String port = Integer.toString(harp.port());
        String url = "http://" + proxyHost + ":" + port;
        for (String name : new String[] {"HTTP_PROXY", "HTTPS_PROXY"}) {
            container.withEnv(name, url);
            container.withEnv(name.toLowerCase(java.util.Locale.ROOT), url);
        }
        container.withEnv("NO_PROXY", "");
        container.withEnv("no_proxy", "");

        container.withCopyToContainer(Transferable.of(harp.caCertificatePem().getBytes(StandardCharsets.US_ASCII)), CA_FILE);
        container.withCopyToContainer(Transferable.of(harp.clientTls().pemBundle().getBytes(StandardCharsets.US_ASCII)),
                BUNDLE_FILE);
        container.withCopyToContainer(Transferable.of(harp.clientTls().pkcs12TrustStore(TRUST_STORE_PASSWORD.toCharArray())),
                TRUST_STORE);
        container.withEnv("SSL_CERT_FILE", BUNDLE_FILE);
        container.withEnv("REQUESTS_CA_BUNDLE", BUNDLE_FILE);
        container.withEnv("CURL_CA_BUNDLE", BUNDLE_FILE);
        container.withEnv("NODE_EXTRA_CA_CERTS", CA_FILE);

        String jvm = "-Dhttp.proxyHost=" + proxyHost + " -Dhttp.proxyPort=" + port
                + " -Dhttps.proxyHost=" + proxyHost + " -Dhttps.proxyPort=" + port + " -Dhttp.nonProxyHosts="
                + " -Djavax.net.ssl.trustStore=" + TRUST_STORE + " -Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD
                + " -Djavax.net.ssl.trustStoreType=PKCS12";
        String existing = container.getEnvMap().get("JAVA_TOOL_OPTIONS");
        container.withEnv("JAVA_TOOL_OPTIONS", existing == null || existing.isBlank() ? jvm : existing.strip() + " " + jvm);
        return container;
    }
}
