package dev.harp.drift;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.harp.har.Har;
import dev.harp.har.HarReader;
import dev.harp.har.HarFolder;
import dev.harp.redaction.Redaction;
import dev.harp.replay.HarReplay;
import dev.harp.replay.Lookup;
import dev.harp.replay.MatchOptions;
import dev.harp.replay.NameValue;
import dev.harp.replay.Recorded;
import dev.harp.replay.ReplayIndex;
import dev.harp.replay.ReplayResponse;
import dev.harp.replay.SequencePolicy;
import dev.harp.replay.SkippedEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two recordings of the same requests: {@code harp diff OLD NEW}. Both are HAR files, or both folders whose
 * {@code *.har} files are paired by their path relative to the folder (files on one side only are reported).
 *
 * <p>Each HAR is read as replay reads it ({@link HarReplay#servable}), except that nothing is ever written: a file cut
 * short is a {@code HarFormatException} naming file, line and column, never repaired in place. Side files are
 * read from inside its folder only, base64 and compressed bodies decoded up to the capture limit. Entries are paired
 * by request exactly as replay matches them (method, URL with the query decoded, body compared as JSON or form when it
 * is one, {@code REDACTED} matching anything, {@code ignoreQueryParams} and {@code ignoreJsonPaths} left out, and so are query parameters that
 * carry a moment, such as a {@code _ts} cache buster, unless timestamps are compared); a request recorded several
 * times pairs in recorded order. The responses of each pair are compared by {@link ResponseDrift}: status, the headers that
 * matter, and the body (JSON as JSON with paths such as {@code $.items[0].price}). Timings and HAR dates are never
 * compared.
 *
 * <pre>{@code
 * DriftReport report = HarDrift.compare(Path.of("fixtures-before"), Path.of("src/test/resources/harp"),
 *         DriftOptions.defaults());
 * if (report.hasDrift()) System.out.println(report.describe());
 * }</pre>
 */
public final class HarDrift {

    private HarDrift() {
    }

    /** {@link #compare(Path, Path, DriftOptions)} with the defaults. */
    public static DriftReport compare(Path oldRecording, Path newRecording) throws IOException {
        return compare(oldRecording, newRecording, DriftOptions.defaults());
    }

    /**
     * Compares two HAR files, or two folders of them.
     *
     * @throws NoSuchFileException      naming a path that does not exist
     * @throws IllegalArgumentException when one is a folder and the other is not
     * @throws IOException              when a HAR cannot be read or is malformed: a {@code HarFormatException} names
     *                                  the file, and the line and column for malformed JSON
     */
    public static DriftReport compare(Path oldRecording, Path newRecording, DriftOptions options) throws IOException {
        for (Path p : List.of(oldRecording, newRecording)) {
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p.toString(), null, "no such file or folder to compare");
            }
        }
        boolean oldFolder = Files.isDirectory(oldRecording);
        if (oldFolder != Files.isDirectory(newRecording)) {
            throw new IllegalArgumentException("cannot compare a folder with a file: " + oldRecording + " and "
                    + newRecording + " must both be HAR files or both folders");
        }
        Accumulator acc = new Accumulator();
        if (!oldFolder) {
            regular(oldRecording);
            regular(newRecording);
            comparePair(newRecording.getFileName().toString(), oldRecording, newRecording, options, acc);
            return acc.report(1, List.of(), List.of(), options);
        }
        Map<String, Path> olds = harFiles(oldRecording);
        Map<String, Path> news = harFiles(newRecording);
        List<String> onlyOld = new ArrayList<>();
        List<String> onlyNew = new ArrayList<>();
        int files = 0;
        for (Map.Entry<String, Path> e : olds.entrySet()) {
            Path other = news.get(e.getKey());
            if (other == null) {
                onlyOld.add(e.getKey());
            } else {
                comparePair(e.getKey(), e.getValue(), other, options, acc);
                files++;
            }
        }
        news.keySet().stream().filter(k -> !olds.containsKey(k)).forEach(onlyNew::add);
        return acc.report(files, onlyOld, onlyNew, options);
    }

    private static void regular(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is neither a folder nor a regular file");
        }
    }

    /** The {@code *.har} files under a folder by relative path ({@code /} separated), links out of it refused. */
    private static Map<String, Path> harFiles(Path folder) throws IOException {
        HarFolder.Result found = HarFolder.harFiles(folder);
        if (!found.linksOut().isEmpty()) {
            throw new IOException(found.linksOut().get(0) + ": a link to a file outside " + folder + ", not compared");
        }
        if (!found.unreadable().isEmpty()) {
            HarFolder.Unreadable u = found.unreadable().get(0);
            throw new IOException(u.path() + ": cannot be read: " + u.why());
        }
        Map<String, Path> out = new TreeMap<>();
        for (Path file : found.files()) {
            out.put(folder.relativize(file).toString().replace('\\', '/'), file);
        }
        return out;
    }

    private static void comparePair(String name, Path oldFile, Path newFile, DriftOptions options, Accumulator acc)
            throws IOException {
        HarReplay.Servable before = read(oldFile, options);
        HarReplay.Servable after = read(newFile, options);
        note(acc, name, "OLD", before.skipped());
        note(acc, name, "NEW", after.skipped());
        Set<String> ignoredParams = new TreeSet<>(options.ignoreQueryParams());
        if (!options.timestamps()) {
            ignoredParams.addAll(momentParams(before));
            ignoredParams.addAll(momentParams(after));
        }
        MatchOptions match = MatchOptions.builder().sequence(SequencePolicy.FAIL_AFTER_LAST)
                .ignoreQueryParams(ignoredParams).ignoreJsonPaths(options.ignoreJsonPaths()).build();
        ReplayIndex<ReplayResponse> index = ReplayIndex.of(after.entries(), match);
        boolean[] paired = new boolean[after.entries().size()];
        Map<Integer, Integer> position = new TreeMap<>();
        for (int i = 0; i < after.entries().size(); i++) {
            position.put(after.entries().get(i).payload().entryIndex(), i);
        }
        List<RequestDrift> added = new ArrayList<>();
        for (Recorded<ReplayResponse> old : before.entries()) {
            Lookup<ReplayResponse> found = index.find(old.request());
            Integer at = found.isHit() ? position.get(found.payload().entryIndex()) : null;
            int oldEntry = old.payload().entryIndex() + 1;
            String method = old.request().method();
            String url = Redaction.forLog(old.request().url());
            if (at == null || paired[at]) {
                acc.drift.add(new RequestDrift(name, method, url, oldEntry, 0, List.of(), 0));
                continue;
            }
            paired[at] = true;
            acc.requests++;
            ReplayResponse now = found.payload();
            Changes changes = ResponseDrift.compare(old.payload(), now, options);
            if (!changes.list().isEmpty()) {
                acc.drift.add(new RequestDrift(name, method, url, oldEntry, now.entryIndex() + 1, changes.list(),
                        changes.more()));
            }
        }
        for (int i = 0; i < paired.length; i++) {
            if (!paired[i]) {
                Recorded<ReplayResponse> e = after.entries().get(i);
                added.add(new RequestDrift(name, e.request().method(), Redaction.forLog(e.request().url()), 0,
                        e.payload().entryIndex() + 1, List.of(), 0));
            }
        }
        acc.drift.addAll(added);
    }

    /**
     * Query parameters that carry a moment somewhere ({@code _ts=1796622930745}, {@code since=2026-12-07}): cache
     * busters and time windows differ on every recording, so they do not keep requests from pairing.
     */
    private static Set<String> momentParams(HarReplay.Servable recording) {
        Set<String> out = new TreeSet<>();
        for (Recorded<ReplayResponse> e : recording.entries()) {
            for (NameValue p : e.request().query()) {
                if (p.value() != null && Timestamps.isMoment(p.name(), TextNode.valueOf(p.value()))) {
                    out.add(p.name());
                }
            }
        }
        return out;
    }

    /**
     * Reads without repairing: drift compares recordings it does not own (often {@code src/test/resources}), so a
     * file cut short is an error naming file, line and column, never truncated in place.
     */
    private static HarReplay.Servable read(Path file, DriftOptions options) throws IOException {
        Har har = HarReader.read(file);
        return HarReplay.servable(file, har, options.captureLimit());
    }

    private static void note(Accumulator acc, String name, String side, List<SkippedEntry> skipped) {
        for (SkippedEntry s : skipped) {
            acc.notes.add(name + " (" + side + "): entry #" + (s.index() + 1) + " not compared: "
                    + Redaction.forLogText(s.message()));
        }
    }

    /** What the file pairs add up to. */
    private static final class Accumulator {
        final List<RequestDrift> drift = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        int requests;

        DriftReport report(int files, List<String> onlyOld, List<String> onlyNew, DriftOptions options) {
            return new DriftReport(files, requests, drift, onlyOld, onlyNew, notes, options.values());
        }
    }
}
