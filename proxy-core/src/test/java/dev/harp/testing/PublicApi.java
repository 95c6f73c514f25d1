package dev.harp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The core's public API as the other modules (the JUnit extension, the Maven plugin) may use it, and a check of a
 * module's main sources against it: imports, fully qualified names and Javadoc links alike. The README's "Public
 * API" paragraph describes the same list.
 */
public final class PublicApi {
    private static final Pattern REFERENCE =
            Pattern.compile("\\bdev\\.harp((?:\\.[a-z][a-z0-9_]*)*)(?:\\.([A-Z][A-Za-z0-9_]*)|\\.\\*)?");

    /** Core packages another module may use whole. */
    public static final Set<String> PUBLIC_PACKAGES = Set.of("dev.harp", "dev.harp.options", "dev.harp.lint",
            "dev.harp.drift", "dev.harp.usage", "dev.harp.prune", "dev.harp.report");
    /** Types of other core packages that are public API. */
    public static final Set<String> PUBLIC_TYPES = Set.of(
            "dev.harp.replay.Miss", "dev.harp.replay.ReplayResponse", "dev.harp.replay.MatchOptions",
            "dev.harp.replay.SequencePolicy", "dev.harp.replay.Latency", "dev.harp.replay.ReplaySummary",
            "dev.harp.replay.SkippedEntry",
            "dev.harp.record.Redactor", "dev.harp.record.SecretScanner", "dev.harp.record.SecretFinding",
            "dev.harp.tls.CertificateAuthority", "dev.harp.tls.UpstreamTls", "dev.harp.tls.ClientTls");

    private PublicApi() {
    }

    /**
     * @param mainSources a module's {@code src/main/java}
     * @param ownPackage  the module's own root package (its references to itself are fine)
     * @return {@code path:line uses dev.harp.x.Y} for every reference to the core outside its public API
     * @throws IOException if the sources cannot be read
     */
    public static List<String> violations(Path mainSources, String ownPackage) throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(mainSources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = REFERENCE.matcher(lines.get(i));
                    while (m.find()) {
                        String pkg = "dev.harp" + m.group(1);
                        if (!allowed(pkg, m.group(2), ownPackage)) {
                            violations.add(mainSources.relativize(file) + ":" + (i + 1) + " uses " + m.group());
                        }
                    }
                }
            }
        }
        return violations;
    }

    private static boolean allowed(String pkg, String type, String ownPackage) {
        return pkg.equals(ownPackage) || pkg.startsWith(ownPackage + ".") || PUBLIC_PACKAGES.contains(pkg)
                || type != null && PUBLIC_TYPES.contains(pkg + "." + type);
    }
}
