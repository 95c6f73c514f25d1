package dev.harp.junit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extension uses only the core's public API (the README's "Public API" paragraph lists it): the {@code dev.harp}
 * and {@code dev.harp.options} packages, and the named value types of replay, recording and TLS. Reads the main
 * sources (imports, fully qualified names and Javadoc links alike); a reference to anything else, such as the HAR
 * model in {@code dev.harp.har}, fails here.
 */
class PublicApiOnlyTest {
    private static final Pattern REFERENCE =
            Pattern.compile("\\bdev\\.harp((?:\\.[a-z][a-z0-9_]*)*)(?:\\.([A-Z][A-Za-z0-9_]*)|\\.\\*)?");

    /** Packages the extension may use whole. */
    static final Set<String> PUBLIC_PACKAGES = Set.of("dev.harp", "dev.harp.options");
    /** Types of other core packages that are public API. */
    static final Set<String> PUBLIC_TYPES = Set.of(
            "dev.harp.replay.Miss", "dev.harp.replay.ReplayResponse", "dev.harp.replay.MatchOptions",
            "dev.harp.replay.SequencePolicy", "dev.harp.replay.Latency",
            "dev.harp.record.Redactor", "dev.harp.record.SecretScanner", "dev.harp.record.SecretFinding",
            "dev.harp.tls.CertificateAuthority", "dev.harp.tls.UpstreamTls", "dev.harp.tls.ClientTls");

    @Test
    void mainSourcesReferenceOnlyTheCoresPublicApi() throws IOException {
        Path main = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/main/java");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = REFERENCE.matcher(lines.get(i));
                    while (m.find()) {
                        if (!allowed("dev.harp" + m.group(1), m.group(2))) {
                            violations.add(main.relativize(file) + ":" + (i + 1) + " uses " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(violations).as("references to core internals (use the public API, or add to it in the core)")
                .isEmpty();
    }

    private static boolean allowed(String pkg, String type) {
        return pkg.equals("dev.harp.junit") || pkg.startsWith("dev.harp.junit.") || PUBLIC_PACKAGES.contains(pkg)
                || type != null && PUBLIC_TYPES.contains(pkg + "." + type);
    }
}
