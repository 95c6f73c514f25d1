package dev.harp.flow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Header list helpers, including the hop-by-hop rules of RFC 9110 section 7.6.1 that both legs of the proxy apply.
 */
public final class Headers {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
            "proxy-authorization", "proxy-authenticate");

    private Headers() {
    }

    /** The first value of the named header (case-insensitive), or null. */
    public static String first(List<HttpHeader> headers, String name) {
        for (HttpHeader h : headers) {
            if (h.is(name)) {
                return h.value();
            }
        }
        return null;
    }

    /**
     * Drops hop-by-hop headers: the fixed set plus every header that {@code Connection} names, and HTTP/2
     * pseudo-headers ({@code :authority} and friends).
     */
    public static List<HttpHeader> withoutHopByHop(List<HttpHeader> headers) {
        Set<String> named = new HashSet<>();
        for (HttpHeader h : headers) {
            if (h.is("connection") || h.is("proxy-connection")) {
                for (String token : h.value().split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) {
                        named.add(t);
                    }
                }
            }
        }
        List<HttpHeader> out = new ArrayList<>(headers.size());
        for (HttpHeader h : headers) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !named.contains(lower) && !lower.startsWith(":")) {
                out.add(h);
            }
        }
        return out;
    }

    /** Whether a header name is hop-by-hop by itself (without looking at {@code Connection}). */
    public static boolean isHopByHop(String name) {
        return HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT));
    }
}
