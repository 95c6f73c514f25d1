package dev.harp.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.harp.flow.HttpHeader;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replaces secrets with {@value #REDACTED} before anything reaches a HAR file: the values of credential headers
 * ({@code Authorization}, {@code Proxy-Authorization}, {@code X-Api-Key}, and any header whose name looks like a
 * secret), cookie values (names and attributes stay), and query parameters, JSON members and form fields whose
 * names look like secrets ({@code token}, {@code secret}, {@code password}, {@code api_key}, ...). On replay a
 * redacted value matches any value. Immutable and thread-safe.
 */
public final class Redactor {
    /** The replacement text; a recorded value equal to it matches any live value on replay. */
    public static final String REDACTED = "REDACTED";

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "x-api-key");
    private static final List<String> SECRET_PARTS = List.of("token", "secret", "password", "passwd", "apikey",
            "credential", "signature", "sessionid", "privatekey", "clientsecret");
    private static final Set<String> SECRET_NAMES = Set.of("key", "auth", "sig", "pwd", "pass", "session");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Redactor DEFAULTS = new Redactor(true, Set.of());
    private static final Redactor OFF = new Redactor(false, Set.of());

    private final boolean enabled;
    private final Set<String> extraNames;

    private Redactor(boolean enabled, Set<String> extraNames) {
        this.enabled = enabled;
        this.extraNames = extraNames;
    }

    /** The default rules. */
    public static Redactor defaults() {
        return DEFAULTS;
    }

    /** Redacts nothing (for recordings that must keep every byte; never commit such a HAR). */
    public static Redactor off() {
        return OFF;
    }

    /** The default rules plus more names (headers, parameters, fields), compared case-insensitively. */
    public static Redactor withExtraNames(Set<String> names) {
        Set<String> lower = new java.util.HashSet<>();
        for (String n : names) {
            lower.add(n.toLowerCase(Locale.ROOT));
        }
        return new Redactor(true, Set.copyOf(lower));
    }

    /** Whether a parameter, field or header name looks like it holds a secret. */
    public boolean isSecretName(String name) {
        if (!enabled) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (extraNames.contains(lower)) {
            return true;
        }
        String squashed = lower.replace("-", "").replace("_", "").replace(".", "");
        if (SECRET_NAMES.contains(squashed)) {
            return true;
        }
        for (String part : SECRET_PARTS) {
            if (squashed.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** Redacts header values; cookies keep their names and attributes. */
    public List<HttpHeader> headers(List<HttpHeader> headers) {
        if (!enabled) {
            return headers;
        }
        List<HttpHeader> out = new ArrayList<>(headers.size());
        for (HttpHeader h : headers) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                out.add(new HttpHeader(h.name(), cookieHeader(h.value())));
            } else if (lower.equals("set-cookie")) {
                out.add(new HttpHeader(h.name(), setCookie(h.value())));
            } else if (SECRET_HEADERS.contains(lower) || isSecretName(lower)) {
                out.add(new HttpHeader(h.name(), REDACTED));
            } else {
                out.add(h);
            }
        }
        return out;
    }

    /** {@code a=1; b=2} becomes {@code a=REDACTED; b=REDACTED}. */
    public String cookieHeader(String value) {
        if (!enabled) {
            return value;
        }
        StringBuilder sb = new StringBuilder();
        for (String part : value.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            int eq = p.indexOf('=');
            sb.append(eq < 0 ? p : p.substring(0, eq)).append('=').append(REDACTED);
        }
        return sb.toString();
    }

    /** {@code id=abc; Path=/; HttpOnly} becomes {@code id=REDACTED; Path=/; HttpOnly}. */
    public String setCookie(String value) {
        if (!enabled) {
            return value;
        }
        int semi = value.indexOf(';');
        String first = semi < 0 ? value : value.substring(0, semi);
        String rest = semi < 0 ? "" : value.substring(semi);
        int eq = first.indexOf('=');
        String name = eq < 0 ? first.trim() : first.substring(0, eq).trim();
        return name + "=" + REDACTED + rest;
    }

    /** Redacts secret-looking parameters in a URL's query, keeping everything else byte for byte. */
    public String url(String url) {
        if (!enabled) {
            return url;
        }
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        String tail = hash < 0 ? "" : url.substring(hash);
        return url.substring(0, q + 1) + form(query) + tail;
    }

    /** Redacts secret-looking fields of an {@code application/x-www-form-urlencoded} string (or a query). */
    public String form(String encoded) {
        if (!enabled || encoded.isEmpty()) {
            return encoded;
        }
        StringBuilder sb = new StringBuilder(encoded.length());
        String[] pairs = encoded.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) {
                sb.append('&');
            }
            String pair = pairs[i];
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                name = rawName;
            }
            if (eq >= 0 && isSecretName(name)) {
                sb.append(rawName).append('=').append(REDACTED);
            } else {
                sb.append(pair);
            }
        }
        return sb.toString();
    }

    /**
     * Redacts a body by its media type: JSON members and form fields with secret-looking names. Other bodies,
     * and JSON that does not parse, come back unchanged (the same array).
     */
    public byte[] body(byte[] body, String contentType) {
        if (!enabled || body.length == 0 || contentType == null) {
            return body;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            try {
                JsonNode tree = JSON.readTree(body);
                if (tree != null && redactJson(tree)) {
                    return JSON.writeValueAsBytes(tree);
                }
            } catch (IOException notJson) {
                return body;
            }
        } else if (type.startsWith("application/x-www-form-urlencoded")) {
            String text = new String(body, StandardCharsets.UTF_8);
            String redacted = form(text);
            return redacted.equals(text) ? body : redacted.getBytes(StandardCharsets.UTF_8);
        }
        return body;
    }

    private boolean redactJson(JsonNode node) {
        boolean changed = false;
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            List<String> secrets = new ArrayList<>();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (isSecretName(e.getKey()) && (e.getValue().isValueNode() && !e.getValue().isNull())) {
                    secrets.add(e.getKey());
                } else {
                    changed |= redactJson(e.getValue());
                }
            }
            for (String s : secrets) {
                obj.set(s, TextNode.valueOf(REDACTED));
                changed = true;
            }
        } else if (node instanceof ArrayNode arr) {
            for (JsonNode child : arr) {
                changed |= redactJson(child);
            }
        }
        return changed;
    }
}
