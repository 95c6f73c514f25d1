package dev.harp.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Host patterns such as {@code *.pinned.example}, {@code api-?.test} or {@code 10.0.0.1}: {@code *} matches any run
 * of characters (dots included), {@code ?} one character; case is ignored.
 */
final class HostGlobs implements Predicate<String> {
    private final List<Pattern> patterns;

    HostGlobs(List<String> globs) {
        List<Pattern> list = new ArrayList<>();
        for (String g : globs) {
            StringBuilder re = new StringBuilder();
            for (char c : g.trim().toLowerCase(Locale.ROOT).toCharArray()) {
                switch (c) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            list.add(Pattern.compile(re.toString()));
        }
        this.patterns = List.copyOf(list);
    }

    /** Whether the host matches any pattern. */
    @Override
    public boolean test(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (Pattern p : patterns) {
            if (p.matcher(h).matches()) {
                return true;
            }
        }
        return false;
    }
}
