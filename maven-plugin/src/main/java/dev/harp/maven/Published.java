package dev.harp.maven;

import dev.harp.HarpServer;
import dev.harp.tls.ClientTls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The project properties {@code harp:start} publishes for one proxy, and the files they point at
 * ({@code target/harp/<id>/ca.pem}, {@code target/harp/<id>/truststore.p12}).
 *
 * @param values property name to value, in publishing order
 * @param proxyUrl the proxy's URL
 */
record Published(Map<String, String> values, String proxyUrl) {
    /** Protects nothing secret (the store holds certificates only); published as {@code harp.trustStorePassword}. */
    static final String TRUST_STORE_PASSWORD = "changeit";

    /**
     * Writes the CA PEM and the trust store of a started proxy and computes its properties.
     *
     * @param proxy the started proxy
     * @return the properties to publish
     * @throws IOException when a file cannot be written
     */
    static Published write(RunningProxy proxy) throws IOException {
        HarpServer harp = proxy.harp();
        Path directory = proxy.directory();
        Files.createDirectories(directory);
        Path caPem = directory.resolve("ca.pem");
        harp.certificateAuthority().exportPem(caPem);
        Path trustStore = directory.resolve("truststore.p12");
        Files.write(trustStore, ClientTls.trusting(harp.certificateAuthority().certificate())
                .pkcs12TrustStore(TRUST_STORE_PASSWORD.toCharArray()));

        String host = host(harp.address());
        String port = Integer.toString(harp.port());
        String proxyUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String argLine = String.join(" ",
                "-Dhttp.proxyHost=" + host, "-Dhttp.proxyPort=" + port,
                "-Dhttps.proxyHost=" + host, "-Dhttps.proxyPort=" + port,
                // Empty, not absent: the JDK's default list (localhost|127.*|[::1]|0.0.0.0|[::0]) would send calls
                // to local services around the proxy; an empty value proxies every host.
                "-Dhttp.nonProxyHosts=",
                "-Djavax.net.ssl.trustStore=" + quoted(trustStore.toString()),
                "-Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");

        String prefix = proxy.id().equals("default") ? "harp." : "harp." + proxy.id() + ".";
        Map<String, String> values = new LinkedHashMap<>();
        values.put(prefix + "port", port);
        values.put(prefix + "host", host);
        values.put(prefix + "proxyUrl", proxyUrl);
        values.put(prefix + "caPem", caPem.toString());
        values.put(prefix + "trustStore", trustStore.toString());
        values.put(prefix + "trustStorePassword", TRUST_STORE_PASSWORD);
        values.put(prefix + "argLine", argLine);
        return new Published(Collections.unmodifiableMap(values), proxyUrl);
    }

    /** Sets every value in {@code properties} (a project's). */
    void publishTo(Properties properties) {
        values.forEach(properties::setProperty);
    }

    /** The address clients dial: the bound one, or loopback when Harp listens on every interface. */
    private static String host(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null || ip.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return ip.getHostAddress();
    }

    /** Surefire splits an argLine at spaces outside quotes. */
    private static String quoted(String path) {
        return path.contains(" ") ? "\"" + path + "\"" : path;
    }
}
