package dev.harp.maven;

import dev.harp.usage.FixtureUse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the integration tests of a {@code harp:start}/{@code harp:stop} session went, as Failsafe's
 * {@code target/failsafe-reports/failsafe-summary.xml} says (Failsafe fails the build only at {@code verify}, after
 * {@code harp:stop}). Read minimally and safely: at most {@link #MAX_BYTES}, no XML parser (no entities, no DTD), only
 * the root's {@code result} and {@code timeout} attributes and the {@code <completed>}, {@code <errors>},
 * {@code <failures>} and {@code <skipped>} counts. A {@code result} of 255 (a failure or a crashed fork), a timeout,
 * errors or failures: {@link FixtureUse.Outcome#FAILED}; {@code result} 254 (no tests), no test completed, or some
 * skipped: {@link FixtureUse.Outcome#SKIPPED} (their requests were not made); every test completed and passed:
 * {@link FixtureUse.Outcome#PASSED}; absent, unreadable, older than the session, or not a Failsafe summary:
 * {@link FixtureUse.Outcome#UNKNOWN}.
 */
final class FailsafeSummary {
    /** A Failsafe summary is a few hundred bytes; anything larger is not one. */
    static final int MAX_BYTES = 64 * 1024;
    private static final Pattern ROOT_TAG = Pattern.compile("<failsafe-summary(\\s[^>]*)?/?>");
    private static final Pattern RESULT = Pattern.compile("\\sresult\\s*=\\s*[\"']\\s*(\\d{1,4})\\s*[\"']");
    private static final Pattern TIMEOUT = Pattern.compile("\\stimeout\\s*=\\s*[\"']\\s*true\\s*[\"']");

    private FailsafeSummary() {
    }

    /**
     * @param buildDirectory the project's {@code ${project.build.directory}}
     * @return where Failsafe writes its summary by default
     */
    static Path file(Path buildDirectory) {
        return buildDirectory.resolve("failsafe-reports").resolve("failsafe-summary.xml");
    }

    /**
     * @param summary   the summary file
     * @param notBefore when the session began: a summary last written before it is from an earlier build (null:
     *                  any)
     * @return the outcome it tells; never throws
     */
    static FixtureUse.Outcome outcome(Path summary, Instant notBefore) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(summary, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.size() > MAX_BYTES) {
                return FixtureUse.Outcome.UNKNOWN;
            }
            if (notBefore != null && attributes.lastModifiedTime().toInstant().plusSeconds(1).isBefore(notBefore)) {
                return FixtureUse.Outcome.UNKNOWN; // a summary left by an earlier build (Failsafe did not run now)
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(summary, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                return FixtureUse.Outcome.UNKNOWN;
            }
            return outcome(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return FixtureUse.Outcome.UNKNOWN;
        }
    }

    /**
     * @param xml the summary's text
     * @return the outcome it tells
     */
    static FixtureUse.Outcome outcome(String xml) {
        Matcher root = ROOT_TAG.matcher(xml);
        if (!root.find()) {
            return FixtureUse.Outcome.UNKNOWN;
        }
        String attributes = root.group(1) == null ? "" : root.group(1);
        Matcher result = RESULT.matcher(attributes);
        if (result.find()) {
            // Failsafe writes result only for a run that did not succeed: 254 no tests, 255 a failure (or a crash)
            return "254".equals(result.group(1)) ? FixtureUse.Outcome.SKIPPED : FixtureUse.Outcome.FAILED;
        }
        if (TIMEOUT.matcher(attributes).find()) {
            return FixtureUse.Outcome.FAILED;
        }
        long completed = count(xml, "completed");
        long errors = count(xml, "errors");
        long failures = count(xml, "failures");
        long skipped = count(xml, "skipped");
        if (completed < 0 || errors < 0 || failures < 0 || skipped < 0) {
            return FixtureUse.Outcome.UNKNOWN;
        }
        if (errors + failures > 0) {
            return FixtureUse.Outcome.FAILED;
        }
        // no test ran, or some were skipped: their requests were not made
        return completed == 0 || skipped > 0 ? FixtureUse.Outcome.SKIPPED : FixtureUse.Outcome.PASSED;
    }

    /** @return the number in {@code <name>n</name>}, or -1 when it is absent, repeated or not a small number */
    private static long count(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">\\s*(\\d{1,9})\\s*</" + name + ">").matcher(xml);
        if (!m.find()) {
            return -1;
        }
        long value = Long.parseLong(m.group(1));
        return m.find() ? -1 : value;
    }
}
