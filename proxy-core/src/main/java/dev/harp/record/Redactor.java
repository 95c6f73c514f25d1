package dev.harp.record;

import dev.harp.flow.HttpHeader;
import dev.harp.redaction.Redaction;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Replaces secrets with {@value #REDACTED} before anything reaches a HAR file or a log line.
 *
 * <p>By name: credential headers ({@code Authorization}, {@code Proxy-Authorization}, {@code X-Api-Key},
 * {@code Ocp-Apim-Subscription-Key}, and any header named like {@code *Token*}, {@code *Secret*}, {@code *Session*},
 * {@code *-Key}), cookie values (names and attributes stay), and query, fragment and form parameters, multipart
 * fields and JSON members named like {@code token}, {@code secret}, {@code password}, {@code api_key},
 * {@code client_secret}, {@code assertion}, {@code otp} (and the OAuth {@code code} parameter). A JSON member with a
 * secret name loses its whole value, object or array included. By shape, in any value: JWTs, PEM private keys, AWS
 * access key ids, GitHub, GitLab, Slack, Stripe, Google, npm and SendGrid tokens, bearer tokens. URLs inside values
 * ({@code Location}, {@code Referer}, {@code redirectURL}, a parameter or member holding a URL) are redacted as URLs.
 *
 * <p>On replay a recorded value equal to {@value #REDACTED} matches any value, and {@value #REDACTED} inside a
 * value matches any text in its place. Immutable and thread-safe. {@link SecretScanner} applies the same rules to a
 * whole HAR and lists what it finds. The rules themselves are {@link Redaction}'s, which replay and log lines share.
 */
public final class Redactor {
    /** The replacement text ({@link Redaction#REDACTED}); a recorded value equal to it matches any live value on replay. */
    public static final String REDACTED = Redaction.REDACTED;

    private static final Redactor DEFAULTS = new Redactor(Redaction.defaults());
    private static final Redactor OFF = new Redactor(Redaction.off());

    private final Redaction rules;

    private Redactor(Redaction rules) {
        this.rules = rules;
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
        return DEFAULTS.redacting(names);
    }

    /** These rules plus more names to redact (headers, parameters, fields, members), compared case-insensitively. */
    public Redactor redacting(Collection<String> names) {
        return new Redactor(rules.redacting(names));
    }

    /**
     * These rules except for values under these names (headers, parameters, fields, JSON members, cookies), which are
     * stored as they are, by name and by shape; compared case-insensitively. For values a test reads back from a
     * recorded response, such as a login answer's {@code session}; never for a real credential.
     */
    public Redactor keepingValues(Collection<String> names) {
        return names.isEmpty() ? this : new Redactor(rules.keepingValues(names));
    }

    /** The names whose values are kept, lower-case. */
    public Set<String> keptValues() {
        return rules.keptValues();
    }

    /** Whether this redactor redacts anything at all. */
    public boolean isEnabled() {
        return rules.isEnabled();
    }

    /**
     * A URL (or any value) as a log line may show it: with the default rules, whatever this run records. Log lines
     * and diagnostics pass every URL through here.
     */
    public static String forLog(String url) {
        return Redaction.forLog(url);
    }

    /**
     * Free text for a log line or a diagnostic (a miss report) with every well-known secret shape replaced; URLs in
     * it should have gone through {@link #forLog(String)} already.
     */
    public static String forLogText(String text) {
        return Redaction.forLogText(text);
    }

    /** Whether a parameter, field or header name looks like it holds a secret. */
    public boolean isSecretName(String name) {
        return rules.isSecretName(name);
    }

    /** Redacts header values; cookies keep their names and attributes. */
    public List<HttpHeader> headers(List<HttpHeader> headers) {
        return rules.headers(headers);
    }

    /** {@code a=1; b=2} becomes {@code a=REDACTED; b=REDACTED}. */
    public String cookieHeader(String value) {
        return rules.cookieHeader(value);
    }

    /** {@code id=abc; Path=/; HttpOnly} becomes {@code id=REDACTED; Path=/; HttpOnly}. */
    public String setCookie(String value) {
        return rules.setCookie(value);
    }

    /** Redacts secret parameters in a URL's query and fragment and secret shapes anywhere in it. */
    public String url(String url) {
        return rules.url(url);
    }

    /** Redacts secret fields of an {@code application/x-www-form-urlencoded} string (or a query). */
    public String form(String encoded) {
        return rules.form(encoded);
    }

    /**
     * Redacts a body: JSON (by media type, or by content for text that starts like JSON), form fields and multipart
     * fields with secret names, secret shapes in any text. A binary body, or one with nothing to redact, comes back
     * unchanged (the same array).
     */
    public byte[] body(byte[] body, String contentType) {
        return rules.body(body, contentType);
    }

    // The variants that report what they replace, for the recorder and the secret scanner.

    boolean isKept(String name) {
        return rules.isKept(name);
    }

    boolean isSecretParam(String name) {
        return rules.isSecretParam(name);
    }

    List<HttpHeader> headers(List<HttpHeader> headers, String where, Redaction.Sink sink) {
        return rules.headers(headers, where, sink);
    }

    String header(String name, String value, String where, Redaction.Sink sink) {
        return rules.header(name, value, where, sink);
    }

    String url(String url, String where, Redaction.Sink sink) {
        return rules.url(url, where, sink);
    }

    String value(String value, String where, String name, Redaction.Sink sink) {
        return rules.value(value, where, name, sink);
    }

    byte[] body(byte[] body, String contentType, String where, Redaction.Sink sink) {
        return rules.body(body, contentType, where, sink);
    }
}
