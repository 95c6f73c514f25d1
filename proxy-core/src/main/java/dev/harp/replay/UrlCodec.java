package dev.harp.replay;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lenient URL helpers: split an absolute URL, parse an authority, form-decode, normalise percent-encoding.
 * Nothing here throws on odd but real-world input (stray {@code %}, raw spaces, unencoded brackets): a
 * replayer must cope with whatever a client sent or a HAR file holds.
 */
final class UrlCodec {

    private UrlCodec() {
    }

    /** The parts of an absolute URL; {@code port} is -1 when the URL has none, {@code query} null when absent. */
    record Parts(String scheme, String host, int port, String path, String query) {
    }

    /** A host with an optional port (-1 when absent), as in {@code api.example.com:443} or {@code [::1]:8080}. */
    record Authority(String host, int port) {
    }

    static Parts parseAbsoluteUrl(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("not an absolute URL (expected scheme://host/...): " + url);
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        int authorityStart = schemeEnd + 3;
        int authorityEnd = indexOfAny(url, "/?#", authorityStart);
        String authorityText = url.substring(authorityStart, authorityEnd);
        int at = authorityText.lastIndexOf('@');
        Authority authority = parseAuthority(at >= 0 ? authorityText.substring(at + 1) : authorityText, url);

        int fragment = url.indexOf('#', authorityEnd);
        String rest = fragment >= 0 ? url.substring(authorityEnd, fragment) : url.substring(authorityEnd);
        int question = rest.indexOf('?');
        String path = question >= 0 ? rest.substring(0, question) : rest;
        String query = question >= 0 ? rest.substring(question + 1) : null;
        return new Parts(scheme, authority.host(), authority.port(), path, query);
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; the host comes back lower-case.
     *
     * @param text    the authority
     * @param context what to name in an error message
     */
    static Authority parseAuthority(String text, String context) {
        String host = text;
        int port = -1;
        int colon;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 bracket in " + context);
            }
            host = text.substring(0, close + 1);
            colon = text.length() > close + 1 && text.charAt(close + 1) == ':' ? close + 1 : -1;
        } else {
            colon = text.lastIndexOf(':');
            if (colon >= 0) {
                host = text.substring(0, colon);
            }
        }
        if (colon >= 0) {
            String portText = text.substring(colon + 1);
            if (!portText.isEmpty()) {
                port = parsePort(portText, context);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in " + context);
        }
        return new Authority(host.toLowerCase(Locale.ROOT), port);
    }

    static int parsePort(String text, String context) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("bad port '" + text + "' in " + context);
    }

    /** The default port of a scheme, or -1 when it has none that we know. */
    static int defaultPort(String scheme) {
        switch (scheme) {
            case "http":
            case "ws":
                return 80;
            case "https":
            case "wss":
                return 443;
            default:
                return -1;
        }
    }

    /** Splits a raw query string ({@code a=1&b&c=}) into raw pairs; a name without {@code =} gets an empty value. */
    static List<NameValue> parsePairs(String raw) {
        List<NameValue> pairs = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return pairs;
        }
        for (String part : raw.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            pairs.add(eq >= 0 ? new NameValue(part.substring(0, eq), part.substring(eq + 1)) : new NameValue(part, ""));
        }
        return pairs;
    }

    /** Decodes both parts of each pair with {@link #formDecode}. */
    static List<NameValue> formDecode(List<NameValue> raw) {
        List<NameValue> decoded = new ArrayList<>(raw.size());
        for (NameValue pair : raw) {
            decoded.add(new NameValue(formDecode(pair.name()), formDecode(pair.value())));
        }
        return decoded;
    }

    /**
     * Decodes {@code application/x-www-form-urlencoded} text as UTF-8: {@code +} is a space and {@code %XX} a byte,
     * so {@code a+b} and {@code a%20b} decode alike. A malformed escape is kept literally.
     */
    static String formDecode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    bytes = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(bytes);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Upper-cases the hex digits of every {@code %xx} escape, so {@code %2f} and {@code %2F} compare equal. */
    static String normalisePercentCase(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                out.append('%')
                        .append(Character.toUpperCase(text.charAt(i + 1)))
                        .append(Character.toUpperCase(text.charAt(i + 2)));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String text, int index) {
        return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
    }

    private static int indexOfAny(String text, String chars, int from) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
