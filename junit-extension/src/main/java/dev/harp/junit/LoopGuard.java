package dev.harp.junit;

import dev.harp.HarpConfig;
import dev.harp.junit.client.JvmWiring;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a proxy's own upstream traffic from looping back into a Harp proxy.
 *
 * <p>Harp's upstream {@code HttpClient} takes {@link ProxySelector#getDefault()} when the proxy starts. The JDK's
 * default selector reads {@code http(s).proxyHost} on every request, so once {@link JvmWiring} sets those
 * properties, a proxy would send its upstream requests to itself, or to the proxy of an enclosing test class. While a
 * proxy starts, the default selector is therefore this guard around the previous one: it answers what the previous
 * selector answers, except that a running Harp proxy becomes a direct connection.
 */
final class LoopGuard extends ProxySelector {
    private static final Set<InetSocketAddress> RUNNING = ConcurrentHashMap.newKeySet();

    private final ProxySelector delegate;

    private LoopGuard(ProxySelector delegate) {
        this.delegate = delegate;
    }

    /**
     * Starts a proxy whose upstream client never goes through a Harp proxy, and remembers its address.
     *
     * @param config the proxy's configuration
     * @return the running proxy
     * @throws IOException if it cannot start
     */
    static dev.harp.Harp start(HarpConfig config) throws IOException {
        synchronized (JvmWiring.class) {
            ProxySelector previous = ProxySelector.getDefault();
            ProxySelector.setDefault(new LoopGuard(previous));
            try {
                dev.harp.Harp harp = dev.harp.Harp.start(config);
                RUNNING.add(harp.address());
                return harp;
            } finally {
                ProxySelector.setDefault(previous);
            }
        }
    }

    /** @param address a stopped proxy's address */
    static void stopped(InetSocketAddress address) {
        RUNNING.remove(address);
    }

    @Override
    public List<Proxy> select(URI uri) {
        if (delegate == null) {
            return List.of(Proxy.NO_PROXY);
        }
        List<Proxy> chosen = delegate.select(uri).stream().filter(proxy -> !isHarp(proxy)).toList();
        return chosen.isEmpty() ? List.of(Proxy.NO_PROXY) : chosen;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        if (delegate != null) {
            delegate.connectFailed(uri, address, failure);
        }
    }

    static boolean isHarp(Proxy proxy) {
        if (!(proxy.address() instanceof InetSocketAddress target)) {
            return false;
        }
        for (InetSocketAddress harp : RUNNING) {
            if (harp.getPort() == target.getPort() && sameHost(harp, target)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameHost(InetSocketAddress harp, InetSocketAddress target) {
        String host = target.getHostString().toLowerCase(Locale.ROOT);
        InetAddress bound = harp.getAddress();
        if (host.equals(harp.getHostString().toLowerCase(Locale.ROOT))
                || bound != null && host.equals(bound.getHostAddress())) {
            return true;
        }
        boolean localName = host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("[::1]") || host.equals("0.0.0.0");
        return localName && (bound == null || bound.isLoopbackAddress() || bound.isAnyLocalAddress());
    }
}
