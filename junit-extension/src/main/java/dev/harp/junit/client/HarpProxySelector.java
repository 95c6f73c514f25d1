package dev.harp.junit.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Sends every {@code http}, {@code https}, {@code ws} and {@code wss} URI through Harp, including {@code localhost}
 * and {@code 127.0.0.1} (unlike the JDK's default selector, which bypasses them). Other schemes, such as the
 * {@code socket://} URIs of plain sockets, go to the fallback selector, or direct when there is none. Requests to
 * Harp's own address are never sent through Harp. Immutable and thread-safe.
 */
public final class HarpProxySelector extends ProxySelector {
    private static final Logger LOG = LoggerFactory.getLogger(HarpProxySelector.class);
    private static final List<String> PROXIED = List.of("http", "https", "ws", "wss");

    private final InetSocketAddress harp;
    private final List<Proxy> viaHarp;
    private final ProxySelector fallback;

    /**
     * @param harp     Harp's listening address
     * @param fallback the selector for other schemes, or null for direct connections
     */
    public HarpProxySelector(InetSocketAddress harp, ProxySelector fallback) {
        this.harp = Objects.requireNonNull(harp, "harp");
        this.viaHarp = List.of(new Proxy(Proxy.Type.HTTP, harp));
        this.fallback = fallback;
    }

    /** @return Harp's listening address */
    public InetSocketAddress harpAddress() {
        return harp;
    }

    @Override
    public List<Proxy> select(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (PROXIED.contains(scheme)) {
            return isHarpItself(uri) ? List.of(Proxy.NO_PROXY) : viaHarp;
        }
        return fallback != null ? fallback.select(uri) : List.of(Proxy.NO_PROXY);
    }

    private boolean isHarpItself(URI uri) {
        return uri.getPort() == harp.getPort() && uri.getHost() != null
                && (uri.getHost().equalsIgnoreCase(harp.getHostString())
                || harp.getAddress() != null && uri.getHost().equals(harp.getAddress().getHostAddress()));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        LOG.debug("Harp: connecting to {} through {} failed: {}", dev.harp.record.Redactor.forLog(String.valueOf(uri)),
                address, failure.toString());
        if (fallback != null && !harp.equals(address)) {
            fallback.connectFailed(uri, address, failure);
        }
    }

    @Override
    public String toString() {
        return "HarpProxySelector[" + harp.getHostString() + ":" + harp.getPort() + "]";
    }
}
