package dev.harp.lint;

import dev.harp.record.SecretFinding;

import java.util.Map;

/**
 * Words for where a secret is and what it looks like, from a {@link SecretFinding}'s location and rule:
 * {@code request.header Authorization} becomes {@code request header Authorization}, {@code request.url query token}
 * becomes {@code query parameter token}, {@code response.body $.password} becomes
 * {@code response body JSON member $.password}; rule {@code jwt} becomes {@code JWT}. The finding never holds the
 * value, so neither does the text.
 */
final class SecretPlaces {
    private static final Map<String, String> SHAPES = Map.ofEntries(
            Map.entry("secret-name", "value under a secret name"),
            Map.entry("cookie", "cookie value"),
            Map.entry("jwt", "JWT"),
            Map.entry("private-key", "private key"),
            Map.entry("aws-access-key-id", "AWS access key id"),
            Map.entry("github-token", "GitHub token"),
            Map.entry("gitlab-token", "GitLab token"),
            Map.entry("slack-token", "Slack token"),
            Map.entry("stripe-key", "Stripe key"),
            Map.entry("google-api-key", "Google API key"),
            Map.entry("npm-token", "npm token"),
            Map.entry("sendgrid-key", "SendGrid key"),
            Map.entry("ai-api-key", "AI API key"),
            Map.entry("bearer-token", "bearer token"));

    private SecretPlaces() {
    }

    /** {@code unredacted secret in request header X-Trace (JWT)}. */
    static String message(SecretFinding f) {
        return "unredacted secret in " + place(f.location()) + " (" + shape(f.rule()) + ")";
    }

    static String shape(String rule) {
        return SHAPES.getOrDefault(rule, rule);
    }

    static String place(String location) {
        String side = location.startsWith("request.") ? "request" : location.startsWith("response.") ? "response" : null;
        if (side == null) {
            return location;
        }
        String rest = location.substring(side.length() + 1);
        int space = rest.indexOf(' ');
        String part = space < 0 ? rest : rest.substring(0, space);
        String tail = space < 0 ? "" : rest.substring(space + 1);
        return switch (part) {
            case "url" -> url(tail, side.equals("request") ? "" : side + " URL ", side + " URL");
            case "redirectURL" -> url(tail, side + " redirectURL ", side + " redirectURL");
            case "body" -> tail.isEmpty() ? side + " body"
                    : tail.startsWith("$") ? side + " body JSON member " + tail : side + " body " + tail;
            default -> side + " " + part + (tail.isEmpty() ? "" : " " + tail);
        };
    }

    /** {@code query token} as {@code query parameter token}, {@code fragment x} as {@code fragment parameter x}. */
    private static String url(String tail, String prefix, String whole) {
        if (tail.startsWith("query ")) {
            return prefix + "query parameter " + tail.substring("query ".length());
        }
        if (tail.startsWith("fragment ")) {
            return prefix + "fragment parameter " + tail.substring("fragment ".length());
        }
        return tail.isEmpty() ? whole : whole + " " + tail;
    }
}
