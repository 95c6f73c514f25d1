package dev.harp.lint;

import dev.harp.har.HarFolder;
import dev.harp.har.Har;
import dev.harp.har.HarFormatException;
import dev.harp.har.HarRepair;
import dev.harp.lint.LintFinding.Kind;
import dev.harp.options.OptionCatalog;
import dev.harp.record.Redactor;
import dev.harp.record.SecretFinding;
import dev.harp.record.SecretScanner;
import dev.harp.replay.HarReplay;
import dev.harp.replay.SkippedEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Lints HAR fixtures: one file, or every {@code *.har} under a folder, each read as untrusted input. Checks, per file:
 * <ol>
 * <li>it parses (strictly where the reader is strict), else one {@link Kind#MALFORMED} finding with
 *     {@code file:line:col}, and the lint goes on with the next file;</li>
 * <li>no value the redaction rules would have hidden is left in it ({@link SecretScanner}; the finding names the place
 *     and the shape, never the value);</li>
 * <li>every entry can be replayed, decided exactly as replay decides it ({@link HarReplay#skippedEntries}): bodies
 *     decode (base64, compressed bodies within the capture limit), side files exist inside the HAR's folder, and
 *     the entry is no failed request, protocol upgrade or CONNECT record; the message is replay's own.</li>
 * </ol>
 * In a folder, links are not followed out of it (a {@code *.har} link to a file outside is reported, not read), files
 * that are not regular (FIFOs, devices) are skipped, and files are checked in the order of their paths.
 *
 * <pre>{@code
 * LintReport report = FixtureLint.builder().keepValues(List.of("session")).build().lint(Path.of("src/test/resources"));
 * report.findings().forEach(System.out::println); // harp/api.har: entry #3: unredacted secret in query parameter token (...)
 * System.out.println(report.summary());           // Harp checked 12 files: 1 finding (1 secret)
 * }</pre>
 * Immutable and thread-safe.
 */
public final class FixtureLint {
    private final Redactor rules;
    private final long captureLimit;
    private final Path relativeTo;

    private FixtureLint(Builder b) {
        this.rules = b.rules.redacting(b.redact).keepingValues(b.keepValues);
        this.captureLimit = b.captureLimit;
        this.relativeTo = b.relativeTo == null ? null : b.relativeTo.toAbsolutePath().normalize();
    }

    /** A builder starting from the defaults: the default redaction rules, the default capture limit. */
    public static Builder builder() {
        return new Builder();
    }

    /** The lint with the default rules. */
    public static FixtureLint defaults() {
        return builder().build();
    }

    /**
     * Lints a HAR file (whatever its name) or every {@code *.har} under a folder.
     *
     * @throws NoSuchFileException      when the path does not exist
     * @throws IllegalArgumentException when it is neither a folder nor a regular file
     * @throws IOException              when the folder cannot be walked at all
     */
    public LintReport lint(Path fileOrFolder) throws IOException {
        if (!Files.exists(fileOrFolder)) {
            throw new NoSuchFileException(fileOrFolder.toString(), null, "no such file or folder to lint");
        }
        if (Files.isDirectory(fileOrFolder)) {
            HarFolder.Result found = HarFolder.harFiles(fileOrFolder);
            List<LintFinding> findings = new ArrayList<>();
            for (Path link : found.linksOut()) {
                findings.add(LintFinding.ofFile(shown(link), Kind.OUTSIDE_FOLDER,
                        "a link to a file outside " + fileOrFolder + ", not checked"));
            }
            for (HarFolder.Unreadable u : found.unreadable()) {
                findings.add(LintFinding.ofFile(shown(u.path()), Kind.MALFORMED, "cannot be read: " + u.why()));
            }
            for (Path file : found.files()) {
                findings.addAll(lintFile(file));
            }
            findings.sort(Comparator.comparing((LintFinding f) -> f.file().toString()));
            return new LintReport(findings, found.files().size());
        }
        if (!Files.isRegularFile(fileOrFolder)) {
            throw new IllegalArgumentException(fileOrFolder + " is neither a folder nor a regular file");
        }
        return new LintReport(lintFile(fileOrFolder), 1);
    }

    /** The findings of one HAR file, by entry; never throws for what the file holds. */
    List<LintFinding> lintFile(Path file) {
        Path shown = shown(file);
        Har har;
        try {
            har = HarRepair.read(file);
        } catch (HarFormatException e) {
            return List.of(new LintFinding(shown, 0, e.line(), e.column(), Kind.MALFORMED, safe(e.problem())));
        } catch (OutOfMemoryError e) { // the reader is bounded in depth, not in size: one huge file must not stop the rest
            return List.of(LintFinding.ofFile(shown, Kind.MALFORMED, "too large for the heap (" + e.getMessage() + ")"));
        }
        List<LintFinding> out = new ArrayList<>();
        try {
            for (SkippedEntry s : HarReplay.skippedEntries(file, har, captureLimit)) {
                out.add(LintFinding.ofEntry(shown, s.index() + 1, kind(s.cause()),
                        "replay skips it: " + safe(s.message())));
            }
            for (SecretFinding f : SecretScanner.scan(har, rules)) {
                out.add(LintFinding.ofEntry(shown, f.entry() + 1, Kind.SECRET, SecretPlaces.message(f)));
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) { // a hostile file stops its own lint only
            out.add(LintFinding.ofFile(shown, Kind.MALFORMED, "cannot be checked: " + safe(String.valueOf(e))));
        }
        out.sort(Comparator.comparingInt(LintFinding::entry)); // stable: per entry, replay's findings, then secrets
        return out;
    }

    private static Kind kind(SkippedEntry.Cause cause) {
        return switch (cause) {
            case NEVER_SERVED, UNUSABLE -> Kind.UNSERVABLE_ENTRY;
            case UNDECODABLE_BODY -> Kind.UNDECODABLE_BODY;
            case SIDE_FILE -> Kind.SIDE_FILE;
        };
    }

    /** A message from the reader or replay with any secret shapes or secret URL parameters in it hidden. */
    private static String safe(String message) {
        return message == null ? "" : Redactor.forLogText(message);
    }

    /** The path as reported: relative to {@code relativeTo} when under it, else as found. */
    private Path shown(Path file) {
        if (relativeTo != null) {
            Path absolute = file.toAbsolutePath().normalize();
            if (absolute.startsWith(relativeTo)) {
                return relativeTo.relativize(absolute);
            }
        }
        return file;
    }

    /** Options of a {@link FixtureLint}. */
    public static final class Builder {
        private Redactor rules = Redactor.defaults();
        private final List<String> redact = new ArrayList<>();
        private final List<String> keepValues = new ArrayList<>();
        private long captureLimit = OptionCatalog.CAPTURE_LIMIT.defaultValue();
        private Path relativeTo;

        private Builder() {
        }

        /** The redaction rules secrets are checked against (default {@link Redactor#defaults()}; {@link Redactor#off()} checks none). */
        public Builder redactor(Redactor rules) {
            this.rules = java.util.Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** More names whose values count as secrets, as the {@code redact} option adds them at record time. */
        public Builder redact(Collection<String> names) {
            redact.addAll(names);
            return this;
        }

        /** Names whose values are no secret, as the {@code keepValues} option keeps them at record time. */
        public Builder keepValues(Collection<String> names) {
            keepValues.addAll(names);
            return this;
        }

        /** The capture limit bodies are decoded and side files read up to, as on replay (default 16 MiB). */
        public Builder captureLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("captureLimit must be 0 or more, not " + bytes);
            }
            this.captureLimit = bytes;
            return this;
        }

        /** The folder findings name their files relative to (files outside it are named as found); default none. */
        public Builder relativeTo(Path folder) {
            this.relativeTo = folder;
            return this;
        }

        /** The lint. */
        public FixtureLint build() {
            return new FixtureLint(this);
        }
    }
}
