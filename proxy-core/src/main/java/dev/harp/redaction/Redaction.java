package dev.harp.redaction;

import dev.harp.flow.HttpHeader;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The redaction rules: what the recorder's {@code Redactor} applies to recordings, what replay applies to miss
 * reports, and what every log line applies to URLs ({@link #forLog(String)}, {@link #forLogText(String)}). It lives
 * below recording and replay so that both use one set of rules and one {@link #REDACTED} marker without depending on
 * each other. Users configure redaction through {@code Redactor}, the public face of these rules; this class is the
 * engine behind it.
 * The methods that take a {@link Sink} report each value they replace (for the secret scanner and the recorder's
 * warnings). Immutable and thread-safe.
 */
public final class Redaction {
    /**
     * The replacement text, the one marker of the code base: a recorded value equal to it matches any live value on
     * replay, and inside a value it matches any text in its place.
     */
    public static final String REDACTED = "REDACTED";

    /** Rule name of a finding by name (a header, parameter, field or member named like a secret). */
    public static final String RULE_NAME = "secret-name";
    /** Rule name of a finding of a cookie value. */
    public static final String RULE_COOKIE = "cookie";

    private static final Redaction DEFAULTS = new Redaction(true, Set.of(), Set.of());
    private static final Redaction OFF = new Redaction(false, Set.of(), Set.of());

    private final boolean enabled;
    private final Set<String> extraNames;
    private final Set<String> keptNames;
    private final BodyRedaction bodies;

    private Redaction(boolean enabled, Set<String> extraNames, Set<String> keptNames) {
        this.enabled = enabled;
        this.extraNames = extraNames;
        this.keptNames = keptNames;
        this.bodies = new BodyRedaction(this);
    }

    /** The default rules. */
    public static Redaction defaults() {
        return DEFAULTS;
    }

    /** Redacts nothing (for recordings that must keep every byte; never commit such a HAR). */
    public static Redaction off() {
        return OFF;
    }

    /** These rules plus more names to redact (headers, parameters, fields, members), compared case-insensitively. */
    public Redaction redacting(Collection<String> names) {
        Set<String> extra = new HashSet<>(extraNames);
        extra.addAll(lower(names));
        return new Redaction(enabled, Set.copyOf(extra), keptNames);
    }

    /**
     * These rules except for values under these names (headers, parameters, fields, JSON members, cookies), which are
     * stored as they are, by name and by shape; compared case-insensitively. For values a test reads back from a
     * recorded response, such as a login answer's {@code session}; never for a real credential.
     */
    public Redaction keepingValues(Collection<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        Set<String> kept = new HashSet<>(keptNames);
        kept.addAll(lower(names));
        return new Redaction(enabled, extraNames, Set.copyOf(kept));
    }

    /** The names whose values are kept, lower-case. */
    public Set<String> keptValues() {
        return keptNames;
    }

    /** Whether this redactor redacts anything at all. */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * A URL (or any value) as a log line may show it: with the default rules, whatever this run records. Log lines
     * and diagnostics pass every URL through here.
     */
    public static String forLog(String url) {
        return url == null ? null : DEFAULTS.url(url);
    }

    /**
     * Free text for a log line or a diagnostic (a miss report) with every well-known secret shape replaced; URLs in
     * it should have gone through {@link #forLog(String)} already.
     */
    public static String forLogText(String text) {
        return text == null ? null : DEFAULTS.shapes(DEFAULTS.embeddedUrls(text, "log", Sink.NONE), "log", null, Sink.NONE);
    }

    private static Set<String> lower(Collection<String> names) {
        Set<String> out = new HashSet<>();
        for (String n : names) {
            out.add(n.toLowerCase(Locale.ROOT).trim());
        }
        return out;
    }

    /** Whether values under this name are kept as they are ({@link #keepingValues(Collection)}). */
    public boolean isKept(String name) {
        return !keptNames.isEmpty() && keptNames.contains(name.toLowerCase(Locale.ROOT).trim());
    }

    private boolean isExtra(String name) {
        return !extraNames.isEmpty() && extraNames.contains(name.toLowerCase(Locale.ROOT).trim());
    }

    /** Whether a parameter, field or header name looks like it holds a secret. */
    public boolean isSecretName(String name) {
        return enabled && !isKept(name) && (isExtra(name) || SecretNames.isSecret(name));
    }

    /** Whether a query, form or multipart parameter name looks like it holds a secret. */
    public boolean isSecretParam(String name) {
        return enabled && !isKept(name) && (isExtra(name) || SecretNames.isSecretParam(name));
    }

    boolean isSecretHeader(String name) {
        return enabled && !isKept(name) && (isExtra(name) || SecretNames.isSecretHeader(name));
    }

    /** Redacts header values; cookies keep their names and attributes. */
    public List<HttpHeader> headers(List<HttpHeader> headers) {
        return headers(headers, "headers", Sink.NONE);
    }

    /** As {@link #headers(List)}, telling {@code sink} of each value replaced under {@code where}. */
    public List<HttpHeader> headers(List<HttpHeader> headers, String where, Sink sink) {
        if (!enabled) {
            return headers;
        }
        List<HttpHeader> out = new ArrayList<>(headers.size());
        for (HttpHeader h : headers) {
            String value = header(h.name(), h.value(), where, sink);
            out.add(value.equals(h.value()) ? h : new HttpHeader(h.name(), value));
        }
        return out;
    }

    /** One header's value as it may be stored, telling {@code sink} of each value replaced under {@code where}. */
    public String header(String name, String value, String where, Sink sink) {
        if (!enabled || value == null || isKept(name)) {
            return value;
        }
        String at = where + " " + name;
        if (name.equalsIgnoreCase("cookie")) {
            return cookies(value, at, sink, false);
        }
        if (name.equalsIgnoreCase("set-cookie")) {
            return cookies(value, at, sink, true);
        }
        if (isSecretHeader(name)) {
            if (!value.equals(REDACTED)) {
                sink.found(at, RULE_NAME, name);
            }
            return REDACTED;
        }
        if (name.equalsIgnoreCase("location") || name.equalsIgnoreCase("content-location")
                || name.equalsIgnoreCase("referer")) {
            return url(value, at, sink);
        }
        return value(value, at, name, sink);
    }

    /** {@code a=1; b=2} becomes {@code a=REDACTED; b=REDACTED}. */
    public String cookieHeader(String value) {
        return enabled ? cookies(value, "cookie", Sink.NONE, false) : value;
    }

    /** {@code id=abc; Path=/; HttpOnly} becomes {@code id=REDACTED; Path=/; HttpOnly}. */
    public String setCookie(String value) {
        return enabled ? cookies(value, "set-cookie", Sink.NONE, true) : value;
    }

    private String cookies(String value, String at, Sink sink, boolean set) {
        if (set) {
            int semi = value.indexOf(';');
            String first = semi < 0 ? value : value.substring(0, semi);
            String rest = semi < 0 ? "" : value.substring(semi);
            int eq = first.indexOf('=');
            String name = eq < 0 ? first.trim() : first.substring(0, eq).trim();
            if (isKept(name)) {
                return value;
            }
            if (eq < 0 || !first.substring(eq + 1).trim().equals(REDACTED)) {
                sink.found(at + " " + name, RULE_COOKIE, name);
            }
            return name + "=" + REDACTED + rest;
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
            String name = eq < 0 ? p : p.substring(0, eq);
            if (isKept(name.trim())) {
                sb.append(p);
                continue;
            }
            if (eq < 0 || !p.substring(eq + 1).equals(REDACTED)) {
                sink.found(at + " " + name, RULE_COOKIE, name);
            }
            sb.append(name).append('=').append(REDACTED);
        }
        return sb.toString();
    }

    /** Redacts secret parameters in a URL's query and fragment and secret shapes anywhere in it. */
    public String url(String url) {
        return url(url, "url", Sink.NONE);
    }

    /** As {@link #url(String)}, telling {@code sink} of each value replaced under {@code where}. */
    public String url(String url, String where, Sink sink) {
        if (!enabled || url == null || url.isEmpty()) {
            return url;
        }
        int hash = url.indexOf('#');
        String beforeHash = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? null : url.substring(hash + 1);
        int q = beforeHash.indexOf('?');
        String path = q < 0 ? beforeHash : beforeHash.substring(0, q);
        String query = q < 0 ? null : beforeHash.substring(q + 1);
        StringBuilder sb = new StringBuilder(url.length());
        sb.append(shapes(path, where, null, sink));
        if (query != null) {
            sb.append('?').append(form(query, where + " query", sink));
        }
        if (fragment != null) {
            sb.append('#').append(fragment.indexOf('=') >= 0 ? form(fragment, where + " fragment", sink)
                    : shapes(fragment, where + " fragment", null, sink));
        }
        String out = sb.toString();
        return out.equals(url) ? url : out;
    }

    /** Redacts secret fields of an {@code application/x-www-form-urlencoded} string (or a query). */
    public String form(String encoded) {
        return form(encoded, "form", Sink.NONE);
    }

    String form(String encoded, String where, Sink sink) {
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
            String name = decode(rawName);
            if (eq < 0 || isKept(name)) {
                sb.append(pair);
                continue;
            }
            String rawValue = pair.substring(eq + 1);
            if (isSecretParam(name)) {
                if (!rawValue.equals(REDACTED)) {
                    sink.found(where + " " + name, RULE_NAME, name);
                }
                sb.append(rawName).append('=').append(REDACTED);
                continue;
            }
            String value = decode(rawValue);
            String redacted = value(value, where + " " + name, name, sink);
            sb.append(rawName).append('=').append(redacted.equals(value) ? rawValue
                    : URLEncoder.encode(redacted, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /**
     * A value under a name that is not secret: a URL in it is redacted as a URL, secret shapes anywhere.
     *
     * @param name the name it is stored under, for findings; may be null
     */
    public String value(String value, String where, String name, Sink sink) {
        if (!enabled || value == null || value.length() < 8 || (name != null && isKept(name))) {
            return value;
        }
        if (looksLikeUrl(value)) {
            return url(value, where, sink);
        }
        return shapes(embeddedUrls(value, where, sink), where, name, sink);
    }

    private static final java.util.regex.Pattern EMBEDDED_URL =
            java.util.regex.Pattern.compile("(?i)https?://[^\\s\"'<>]+");

    /** URLs inside a longer text ({@code see https://x/?token=...}) redacted as URLs. */
    private String embeddedUrls(String text, String where, Sink sink) {
        if (text.indexOf("://") < 0) {
            return text;
        }
        java.util.regex.Matcher m = EMBEDDED_URL.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            String found = m.group();
            if (found.indexOf('?') < 0 && found.indexOf('#') < 0) {
                continue;
            }
            String redacted = url(found, where, sink);
            if (!redacted.equals(found)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length());
                }
                sb.append(text, last, m.start()).append(redacted);
                last = m.end();
            }
        }
        return sb == null ? text : sb.append(text, last, text.length()).toString();
    }

    String shapes(String text, String where, String name, Sink sink) {
        return SecretShapes.replace(text, REDACTED, rule -> sink.found(where, rule, name));
    }

    private static boolean looksLikeUrl(String value) {
        return value.regionMatches(true, 0, "http://", 0, 7) || value.regionMatches(true, 0, "https://", 0, 8)
                || (value.startsWith("/") && (value.indexOf('?') > 0 || value.indexOf('#') > 0));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /**
     * Redacts a body: JSON (by media type, or by content for text that starts like JSON), form fields and multipart
     * fields with secret names, secret shapes in any text. A binary body, or one with nothing to redact, comes back
     * unchanged (the same array).
     */
    public byte[] body(byte[] body, String contentType) {
        return body(body, contentType, "body", Sink.NONE);
    }

    /** As {@link #body(byte[], String)}, telling {@code sink} of each value replaced under {@code where}. */
    public byte[] body(byte[] body, String contentType, String where, Sink sink) {
        if (!enabled || body == null || body.length == 0) {
            return body;
        }
        return bodies.redact(body, contentType, where, sink, 0);
    }

    /** Told of each value redacted: where it was, which rule, and the name it was stored under (or null). */
    public interface Sink {
        /** Told nothing. */
        Sink NONE = (location, rule, name) -> { };

        /**
         * @param location where the value was, e.g. {@code request.header Authorization}
         * @param rule     the rule that replaced it: {@link #RULE_NAME}, {@link #RULE_COOKIE} or a shape's name
         * @param name     the name the value was stored under, or null
         */
        void found(String location, String rule, String name);
    }
}
