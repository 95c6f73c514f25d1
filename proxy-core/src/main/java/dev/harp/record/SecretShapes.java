package dev.harp.record;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Well-known secret formats found in any value whatever its name, as secret scanners find them: JWTs, PEM private
 * keys, cloud and SaaS tokens. Each rule is a pattern anchored on a fixed, rare prefix, so ordinary values (UUIDs,
 * hashes, ids, base64 images) do not match.
 */
final class SecretShapes {
    /** One format: its rule name (as findings report it) and its pattern. */
    record Shape(String rule, Pattern pattern) {
    }

    private static final String NOT_TOKEN_BEFORE = "(?<![A-Za-z0-9_-])";
    private static final String NOT_TOKEN_AFTER = "(?![A-Za-z0-9_-])";

    static final List<Shape> ALL = List.of(
            shape("jwt", NOT_TOKEN_BEFORE + "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*" + NOT_TOKEN_AFTER),
            shape("private-key", "-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----[\\s\\S]*?"
                    + "(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----|\\z)"),
            shape("aws-access-key-id", "(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])"),
            shape("github-token", NOT_TOKEN_BEFORE + "(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"
                    + NOT_TOKEN_AFTER),
            shape("gitlab-token", NOT_TOKEN_BEFORE + "glpat-[A-Za-z0-9_-]{20,}" + NOT_TOKEN_AFTER),
            shape("slack-token", NOT_TOKEN_BEFORE + "xox[abposr]-[A-Za-z0-9-]{10,}" + NOT_TOKEN_AFTER),
            shape("stripe-key", NOT_TOKEN_BEFORE + "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}" + NOT_TOKEN_AFTER),
            shape("google-api-key", NOT_TOKEN_BEFORE + "AIza[0-9A-Za-z_-]{35}" + NOT_TOKEN_AFTER),
            shape("npm-token", NOT_TOKEN_BEFORE + "npm_[A-Za-z0-9]{36}" + NOT_TOKEN_AFTER),
            shape("sendgrid-key", NOT_TOKEN_BEFORE + "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" + NOT_TOKEN_AFTER),
            shape("ai-api-key", NOT_TOKEN_BEFORE + "sk-(?:proj|ant|svcacct)-[A-Za-z0-9_-]{20,}" + NOT_TOKEN_AFTER),
            shape("bearer-token", "(?i)(?<![A-Za-z0-9])bearer\\s+[A-Za-z0-9._~+/-]{16,}=*"));

    private SecretShapes() {
    }

    private static Shape shape(String rule, String regex) {
        return new Shape(rule, Pattern.compile(regex));
    }

    /** Receives the rule of each shape replaced. */
    interface Found {
        void shape(String rule);
    }

    /**
     * Replaces every well-known secret in a text with the replacement; the rest stays as it was.
     *
     * @return the same instance when nothing matched
     */
    static String replace(String text, String replacement, Found found) {
        if (text == null || text.length() < 16) {
            return text;
        }
        String current = text;
        for (Shape s : ALL) {
            Matcher m = s.pattern().matcher(current);
            if (!m.find()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(current.length());
            int last = 0;
            do {
                if (!m.group().equals(replacement)) {
                    found.shape(s.rule());
                }
                sb.append(current, last, m.start()).append(replacement);
                last = m.end();
            } while (m.find());
            sb.append(current, last, current.length());
            current = sb.toString();
        }
        return current;
    }
}
