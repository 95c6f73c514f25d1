package dev.harp.proxy;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;

import java.net.URI;
import javax.net.ssl.SSLSession;

/** Finds the target of a request from the request line, the tunnel it arrived in, or the reverse-proxy base. */
final class Targets {
    /** On each exchange that arrived as plain HTTP inside a CONNECT tunnel: the tunnel's target. */
    static final AttachmentKey<Target> PLAIN_TUNNEL = AttachmentKey.create(Target.class);

    private final URI reverseBase;

    /** @param reverseBase the {@code --upstream} base URL, or null for a forward proxy */
    Targets(URI reverseBase) {
        this.reverseBase = reverseBase;
    }

    /** The target, or null when the request cannot be routed (origin-form on a forward proxy). */
    Target resolve(HttpServerExchange ex) {
        String query = ex.getQueryString();
        String suffix = query == null || query.isEmpty() ? "" : "?" + query;
        Target plainTunnel = ex.getAttachment(PLAIN_TUNNEL);
        if (plainTunnel != null) {
            // plain HTTP inside a CONNECT tunnel: the CONNECT target, or the Host header the client sent inside
            String host = ex.getRequestHeaders().getFirst(Headers.HOST);
            String path = ex.isHostIncludedInRequestURI() ? pathOf(ex.getRequestURI()) : ex.getRequestURI();
            if (host == null || host.isBlank()) {
                return new Target("http", plainTunnel.host(), plainTunnel.port(), path + suffix);
            }
            return authority("http", host, path + suffix, plainTunnel.port());
        }
        SSLSession tls = ex.getConnection().getSslSession();
        if (tls != null) {
            // the decrypted side of a CONNECT tunnel: the engine's peer host and port are the CONNECT target
            String host = ex.getRequestHeaders().getFirst(Headers.HOST);
            String path = ex.isHostIncludedInRequestURI() ? pathOf(ex.getRequestURI()) : ex.getRequestURI();
            Target tunnel = new Target("https", tls.getPeerHost() == null ? "localhost" : tls.getPeerHost(),
                    tls.getPeerPort() > 0 ? tls.getPeerPort() : 443, path + suffix);
            if (host == null || host.isBlank()) {
                return tunnel;
            }
            return authority("https", host, path + suffix, tunnel.port());
        }
        if (ex.isHostIncludedInRequestURI()) {
            String uri = ex.getRequestURI();
            int schemeEnd = uri.indexOf("://");
            if (schemeEnd <= 0) {
                return null;
            }
            // ws:// and wss:// (a WebSocket client through a forward proxy) go upstream as the HTTP upgrade they start with
            String scheme = webSocketToHttp(uri.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT));
            int pathStart = uri.indexOf('/', schemeEnd + 3);
            String auth = pathStart < 0 ? uri.substring(schemeEnd + 3) : uri.substring(schemeEnd + 3, pathStart);
            String path = pathStart < 0 ? "/" : uri.substring(pathStart);
            return authority(scheme, auth, path + suffix, Target.defaultPort(scheme));
        }
        if (reverseBase != null) {
            String basePath = reverseBase.getRawPath() == null ? "" : reverseBase.getRawPath();
            if (basePath.endsWith("/")) {
                basePath = basePath.substring(0, basePath.length() - 1);
            }
            int port = reverseBase.getPort() > 0 ? reverseBase.getPort() : Target.defaultPort(reverseBase.getScheme());
            return new Target(reverseBase.getScheme(), reverseBase.getHost(), port, basePath + ex.getRequestURI() + suffix);
        }
        return null;
    }

    private static String webSocketToHttp(String scheme) {
        return switch (scheme) {
            case "ws" -> "http";
            case "wss" -> "https";
            default -> scheme;
        };
    }

    private static String pathOf(String absolute) {
        int schemeEnd = absolute.indexOf("://");
        int pathStart = absolute.indexOf('/', schemeEnd < 0 ? 0 : schemeEnd + 3);
        return pathStart < 0 ? "/" : absolute.substring(pathStart);
    }

    /** Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
    static Target authority(String scheme, String authority, String pathAndQuery, int defaultPort) {
        String host = authority;
        int port = defaultPort;
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            host = host.substring(at + 1);
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close > 0) {
                String rest = host.substring(close + 1);
                host = host.substring(1, close);
                if (rest.startsWith(":") && rest.length() > 1) {
                    port = parsePort(rest.substring(1), port);
                }
            }
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0 && host.indexOf(':') == colon) {
                port = parsePort(host.substring(colon + 1), port);
                host = host.substring(0, colon);
            }
        }
        return new Target(scheme, host, port, pathAndQuery);
    }

    private static int parsePort(String text, int fallback) {
        try {
            int p = Integer.parseInt(text);
            return p > 0 && p < 65536 ? p : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
