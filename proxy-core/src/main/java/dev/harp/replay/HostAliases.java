package dev.harp.replay;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rewrites the origin of a live request so it matches entries recorded for another host, e.g. requests to
 * {@code localhost:9999} answered from entries recorded for {@code api.example.com:443}.
 *
 * <p>An alias key is {@code host} (any port) or {@code host:port}. A target is {@code [scheme://]host[:port]}:
 * <ul>
 *   <li>the host is replaced;</li>
 *   <li>the port becomes the target's port; without one, the default port of the target's scheme, or else the
 *       live port is kept;</li>
 *   <li>the scheme becomes the target's scheme; without one, {@code https} for port 443, {@code http} for port 80,
 *       or else the live scheme is kept (a local stand-in usually speaks plain HTTP for a recorded HTTPS API).</li>
 * </ul>
 */
final class HostAliases {

    private record Target(String scheme, String host, int port) {
    }

    private final Map<String, Target> targets;

    private HostAliases(Map<String, Target> targets) {
        this.targets = targets;
    }

    /**
     * @param aliases alias {@code host[:port]} to recorded {@code [scheme://]host[:port]}
     * @throws IllegalArgumentException naming the bad mapping
     */
    static HostAliases parse(Map<String, String> aliases) {
        Map<String, Target> targets = new LinkedHashMap<>();
        aliases.forEach((alias, recorded) -> {
            String context = "host alias '" + alias + "=" + recorded + "'";
            if (alias.contains("://")) {
                throw new IllegalArgumentException(context + ": the alias is host[:port], without a scheme");
            }
            UrlCodec.Authority from = UrlCodec.parseAuthority(alias.trim(), context);
            String target = recorded.trim();
            String scheme = null;
            int schemeEnd = target.indexOf("://");
            if (schemeEnd >= 0) {
                scheme = target.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
                target = target.substring(schemeEnd + 3);
            }
            if (target.endsWith("/")) {
                target = target.substring(0, target.length() - 1);
            }
            UrlCodec.Authority to = UrlCodec.parseAuthority(target, context);
            targets.put(key(from.host(), from.port()), new Target(scheme, to.host(), to.port()));
        });
        return new HostAliases(targets);
    }

    /** @return the request with its origin rewritten, or the same request when no alias applies */
    MatchRequest apply(MatchRequest live) {
        Target target = targets.get(key(live.host(), live.port()));
        if (target == null) {
            target = targets.get(live.host());
        }
        if (target == null) {
            return live;
        }
        int port = target.port() > 0 ? target.port()
                : target.scheme() != null && UrlCodec.defaultPort(target.scheme()) > 0 ? UrlCodec.defaultPort(target.scheme())
                : live.port();
        String scheme = target.scheme() != null ? target.scheme()
                : port == 443 ? "https" : port == 80 ? "http" : live.scheme();
        return live.withOrigin(scheme, target.host(), port);
    }

    private static String key(String host, int port) {
        return port > 0 ? host + ":" + port : host;
    }
}
