package dev.harp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feature packages of the core stay apart: recording and replay share redaction, content decoding and the HAR model
 * through packages below both, never through each other. Reads the main sources (imports, fully qualified names and
 * Javadoc links alike), so a new cross reference fails here before it tangles the packages.
 */
class PackageDependenciesTest {
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.harp\\.([a-z][a-z0-9_]*)\\b");
    private static final Set<String> ABOVE = Set.of("record", "replay", "proxy", "cli");

    /** Which packages each package must not reference. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "replay", Set.of("record", "proxy", "cli"),
            "record", Set.of("replay", "proxy", "cli"),
            "redaction", ABOVE,
            "flow", ABOVE,
            "har", ABOVE,
            "tls", ABOVE);

    @Test
    void replayAndRecordDoNotReferenceEachOtherAndTheSharedPackagesReferenceNeither() throws IOException {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/main/java/dev/harp");
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> rule : FORBIDDEN.entrySet()) {
            Path dir = root.resolve(rule.getKey());
            assertThat(dir).as("package folder").isDirectory();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    violations.addAll(violations(file, rule.getKey(), rule.getValue()));
                }
            }
        }
        assertThat(violations).as("references across feature packages").isEmpty();
    }

    private static List<String> violations(Path file, String from, Set<String> forbidden) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = REFERENCE.matcher(lines.get(i));
            while (m.find()) {
                if (forbidden.contains(m.group(1))) {
                    out.add("dev.harp." + from + ": " + file.getFileName() + ":" + (i + 1) + " references "
                            + m.group());
                }
            }
        }
        return out;
    }
}
