package dev.harp.redaction;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Well-known secret formats found in any value whatever its name, as secret scanners find them: JWTs, PEM private
 * keys, cloud and SaaS tokens. Each rule is a pattern anchored on a fixed, rare prefix, so ordinary values (UUIDs,
 * hashes, ids, base64 images) do not match.
 */
final class SecretShapes {
    /**
     * One format: its rule name (as findings report it), its pattern, and the literal texts one of which every match
     * contains (none: the case-insensitive word "bearer"). A text holding none of them is skipped without running the pattern: {@link String#indexOf} is far
     * cheaper than a pattern that starts with a look-behind, which the regex engine tries at every position.
     */
    record Shape(String rule, Pattern pattern, List<String> hints) {
        boolean mayMatch(String text) {
            if (hints.isEmpty()) { // the case-insensitive "bearer"
                return containsIgnoringCase(text, "bearer");
            }
            for (String hint : hints) {
                if (text.contains(hint)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String NOT_TOKEN_BEFORE = "(?<![A-Za-z0-9_-])";
    private static final String NOT_TOKEN_AFTER = "(?![A-Za-z0-9_-])";

    static final List<Shape> ALL = List.of(
            shape("jwt", List.of("eyJ"), NOT_TOKEN_BEFORE + "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*" + NOT_TOKEN_AFTER),
            shape("private-key", List.of("-----BEGIN"), "-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----[\\s\\S]*?"
                    + "(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----|\\z)"),
            shape("aws-access-key-id", List.of("AKIA", "ASIA", "ABIA", "ACCA"), "(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])"),
            shape("github-token", List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), NOT_TOKEN_BEFORE + "(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"
                    + NOT_TOKEN_AFTER),
            shape("gitlab-token", List.of("glpat-"), NOT_TOKEN_BEFORE + "glpat-[A-Za-z0-9_-]{20,}" + NOT_TOKEN_AFTER),
            shape("slack-token", List.of("xox"), NOT_TOKEN_BEFORE + "xox[abposr]-[A-Za-z0-9-]{10,}" + NOT_TOKEN_AFTER),
            shape("stripe-key", List.of("k_live_", "k_test_"), NOT_TOKEN_BEFORE + "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}" + NOT_TOKEN_AFTER),
            shape("google-api-key", List.of("AIza"), NOT_TOKEN_BEFORE + "AIza[0-9A-Za-z_-]{35}" + NOT_TOKEN_AFTER),
            shape("npm-token", List.of("npm_"), NOT_TOKEN_BEFORE + "npm_[A-Za-z0-9]{36}" + NOT_TOKEN_AFTER),
            shape("sendgrid-key", List.of("SG."), NOT_TOKEN_BEFORE + "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" + NOT_TOKEN_AFTER),
            shape("ai-api-key", List.of("sk-proj-", "sk-ant-", "sk-svcacct-"), NOT_TOKEN_BEFORE + "sk-(?:proj|ant|svcacct)-[A-Za-z0-9_-]{20,}" + NOT_TOKEN_AFTER),
            shape("bearer-token", List.of(), "(?i)(?<![A-Za-z0-9])bearer\\s+[A-Za-z0-9._~+/-]{16,}=*"));

    private SecretShapes() {
    }

    private static Shape shape(String rule, List<String> hints, String regex) {
        return new Shape(rule, Pattern.compile(regex), hints);
    }

    /**
     * Whether text holds word (ASCII, lower case) in any case, without a copy of the text: a scan for each case of
     * its first character (one when that character has no case).
     */
    static boolean containsIgnoringCase(String text, String word) {
        char first = word.charAt(0);
        char upper = Character.toUpperCase(first);
        return containsFrom(text, word, first) || (upper != first && containsFrom(text, word, upper));
    }

    /** Whether word occurs, in any case, where text has {@code first}: indexOf finds the candidates quickly. */
    private static boolean containsFrom(String text, String word, char first) {
        int last = text.length() - word.length();
        for (int i = text.indexOf(first); i >= 0 && i <= last; i = text.indexOf(first, i + 1)) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
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
            if (!s.mayMatch(current)) {
                continue;
            }
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
