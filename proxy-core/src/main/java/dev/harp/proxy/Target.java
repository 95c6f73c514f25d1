package dev.harp.proxy;

import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: the absolute URL rebuilt from an absolute-form request line, a MITM tunnel's host, or
 * the reverse-proxy base.
 *
 * @param scheme      {@code http} or {@code https}
 * @param host        host name or IP literal (IPv6 without brackets)
 * @param port        explicit port
 * @param pathAndQuery the raw path with its query, starting with {@code /}
 */
record Target(String scheme, String host, int port, String pathAndQuery) {
    Target {
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (pathAndQuery == null || pathAndQuery.isEmpty()) {
            pathAndQuery = "/";
        }
    }

    static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    /** {@code host:port} with brackets for IPv6, for messages. */
    String authority() {
        return hostForUrl() + ":" + port;
    }

    private String hostForUrl() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** The absolute URL; the port is left out when it is the scheme's default, as browsers write it. */
    String url() {
        return scheme + "://" + hostHeader() + pathAndQuery;
    }

    /** The {@code Host} header for this target: the authority of {@link #url()}, as a client would send it. */
    String hostHeader() {
        return port == defaultPort(scheme) ? hostForUrl() : authority();
    }

    URI uri() {
        return URI.create(url());
    }
}
