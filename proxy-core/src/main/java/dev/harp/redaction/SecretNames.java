package dev.harp.redaction;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which names hold secrets. Names are compared lower-case with {@code - _ .} and spaces removed, so
 * {@code X-Api-Key}, {@code api_key} and {@code apiKey} are one name. Headers get a wider net than fields, because
 * header names are chosen for credentials far more often than body members are ({@code sessionTimeout} in a JSON
 * body is a number, {@code X-Session} in a header is a credential).
 */
final class SecretNames {
    /** Anywhere: names that contain one of these. */
    private static final List<String> PARTS = List.of("token", "secret", "password", "passwd", "passphrase",
            "passcode", "apikey", "credential", "signature", "sessionid", "privatekey", "clientsecret", "authkey",
            "accesskey", "authorization");
    /** Anywhere: names that are exactly one of these. */
    private static final Set<String> EXACT = Set.of("key", "auth", "sig", "pwd", "pass", "session", "otp", "totp",
            "assertion", "clientassertion", "samlresponse", "jwt", "bearer", "cookie", "setcookie");
    /** Names about a secret rather than holding one: {@code token_type}, {@code password_policy}, {@code token_url}. */
    private static final List<String> ABOUT_SUFFIXES = List.of("type", "hint", "expiresin", "expiresat", "expiry",
            "expires", "ttl", "count", "length", "endpoint", "url", "uri", "format", "policy", "required", "enabled",
            "scope", "algorithm", "alg");
    /** Query parameters and form fields only (OAuth's authorization code; too common as a JSON member). */
    private static final Set<String> PARAM_EXACT = Set.of("code");
    /** Headers only: these names are credentials by convention. */
    private static final Set<String> HEADER_EXACT = Set.of("proxyauthorization", "xapikey", "ocpapimsubscriptionkey");

    private SecretNames() {
    }

    static String squash(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c != '-' && c != '_' && c != '.' && c != ' ') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A JSON member, a multipart field or any name: the narrowest net. */
    static boolean isSecret(String name) {
        String s = squash(name);
        if (EXACT.contains(s)) {
            return true;
        }
        for (String suffix : ABOUT_SUFFIXES) {
            if (s.endsWith(suffix) && s.length() > suffix.length()) {
                return false;
            }
        }
        for (String part : PARTS) {
            if (s.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** A query parameter, a form field or a fragment parameter. */
    static boolean isSecretParam(String name) {
        return isSecret(name) || PARAM_EXACT.contains(squash(name));
    }

    /**
     * Header names seen so far and whether they are secret: a recording asks for the same few dozen names for every
     * exchange. Bounded: names past the limit are judged each time.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> HEADER_VERDICTS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 4096;

    /** A header: also {@code *Session*} and {@code *-Key} ({@code X-Session}, {@code Ocp-Apim-Subscription-Key}). */
    static boolean isSecretHeader(String name) {
        Boolean known = HEADER_VERDICTS.get(name);
        if (known != null) {
            return known;
        }
        boolean secret = judgeHeader(name);
        if (HEADER_VERDICTS.size() < MAX_REMEMBERED) {
            HEADER_VERDICTS.put(name, secret);
        }
        return secret;
    }

    private static boolean judgeHeader(String name) {
        String s = squash(name);
        return isSecret(name) || HEADER_EXACT.contains(s) || s.contains("session") || s.endsWith("key");
    }
}
