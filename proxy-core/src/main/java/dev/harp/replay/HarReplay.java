package dev.harp.replay;

import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarFormatException;
import dev.harp.har.HarRepair;
import dev.harp.har.HarWebSocketMessage;
import dev.harp.redaction.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A HAR file loaded for replay: every replayable entry turned into a matchable request and a prepared response,
 * in an index built once. Entries that cannot be replayed (failed requests with status 0 or -1, CONNECT records)
 * are skipped with one log line, and so are entries whose body cannot be read (invalid base64, a missing or
 * refused side file, a body over the capture limit after decompression); one summary line counts them by reason.
 * Thread-safe; {@link #add} makes newly recorded entries ({@code auto} mode) replayable at once. A WebSocket entry
 * (status 101 with {@code _webSocketMessages}) is matched like any request and played with {@link #webSocket}.
 */
public final class HarReplay {
    private static final Logger LOG = LoggerFactory.getLogger(HarReplay.class);
    /** The capture limit's default, for callers that give none. */
    private static final long DEFAULT_BODY_LIMIT = 16L * 1024 * 1024;

    private final Path file;
    private final Har har;
    private final ReplayIndex<ReplayResponse> index;
    private final HarEntryAdapter adapter;
    private final int skipped;
    private final String skippedWhy;
    /** Entries recorded while this HAR was in use (auto mode): served to the client that caused them, so never unused. */
    private final Set<ReplayResponse> recordedHere = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    /** The conversations of WebSocket entries, by the response a hit serves. */
    private final Map<ReplayResponse, WebSocketScript> conversations;

    private HarReplay(Path file, Har har, ReplayIndex<ReplayResponse> index, HarEntryAdapter adapter, int skipped,
            String skippedWhy, Map<ReplayResponse, WebSocketScript> conversations) {
        this.conversations = conversations;
        this.file = file;
        this.har = har;
        this.index = index;
        this.adapter = adapter;
        this.skipped = skipped;
        this.skippedWhy = skippedWhy;
    }

    /**
     * Loads a HAR file.
     *
     * @throws NoSuchFileException naming the file when it does not exist
     * @throws HarFormatException  naming file, line and column when it is malformed
     */
    public static HarReplay load(Path file, MatchOptions options) throws IOException {
        return load(file, options, DEFAULT_BODY_LIMIT);
    }

    /**
     * Loads a HAR file, reading at most {@code bodyLimit} bytes per side file and decoding compressed bodies up to it
     * (entries beyond it are skipped).
     *
     * @param bodyLimit the capture limit, in bytes
     * @throws NoSuchFileException naming the file when it does not exist
     * @throws HarFormatException  naming file, line and column when it is malformed
     */
    public static HarReplay load(Path file, MatchOptions options, long bodyLimit) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "HAR file not found (record it first: --mode record or auto)");
        }
        return of(file, HarRepair.read(file), options, bodyLimit);
    }

    /** Indexes an already read HAR; {@code file} locates side files ({@code _file}) and names the HAR in misses. */
    public static HarReplay of(Path file, Har har, MatchOptions options) {
        return of(file, har, options, DEFAULT_BODY_LIMIT);
    }

    /** As {@link #of(Path, Har, MatchOptions)}, with the capture limit bounding side files and decoded bodies. */
    public static HarReplay of(Path file, Har har, MatchOptions options, long bodyLimit) {
        HarEntryAdapter adapter = new HarEntryAdapter(file == null ? null : file.toAbsolutePath().getParent(), bodyLimit);
        List<Recorded<ReplayResponse>> recorded = new ArrayList<>();
        Map<ReplayResponse, WebSocketScript> conversations = Collections.synchronizedMap(new IdentityHashMap<>());
        EnumMap<Unreplayable.Reason, Integer> why = new EnumMap<>(Unreplayable.Reason.class);
        int skipped = 0;
        List<HarEntry> entries = har.entries();
        for (int i = 0; i < entries.size(); i++) {
            HarEntry e = entries.get(i);
            try {
                HarEntryAdapter.Prepared prepared = adapter.prepare(e, i);
                recorded.add(prepared.recorded());
                if (prepared.script() != null) {
                    conversations.put(prepared.recorded().payload(), prepared.script());
                }
            } catch (Unreplayable skip) {
                skipped++;
                why.merge(skip.reason(), 1, Integer::sum);
                if (SkippedEntry.causeOf(skip.reason()) == SkippedEntry.Cause.NEVER_SERVED) {
                    LOG.debug("Harp skips entry {} of {} ({} {}): {}", i, file, e.request().method(),
                            Redaction.forLog(e.request().url()), skip.getMessage());
                } else {
                    LOG.warn("Harp skips entry {} of {} ({} {}): {}", i, file, e.request().method(),
                            Redaction.forLog(e.request().url()), skip.getMessage());
                }
            }
        }
        String skippedWhy = Unreplayable.describe(why);
        if (skipped > 0) {
            LOG.info("Harp skipped {} of {} entries in {} that cannot be replayed: {}", skipped, entries.size(), file,
                    skippedWhy);
        }
        return new HarReplay(file, har, ReplayIndex.of(recorded, options), adapter, skipped, skippedWhy, conversations);
    }

    /**
     * The entries of a HAR that replay skips, and why, decided exactly as {@link #of(Path, Har, MatchOptions, long)}
     * decides it (side files read from the HAR's folder, bodies decoded up to the capture limit), without building an
     * index or logging. An empty list: every entry can be served.
     *
     * @param file      the HAR file, whose folder holds its side files; null when unknown (side files are refused)
     * @param bodyLimit the capture limit, in bytes
     */
    public static List<SkippedEntry> skippedEntries(Path file, Har har, long bodyLimit) {
        return servable(file, har, bodyLimit).skipped();
    }

    /**
     * A HAR's entries exactly as replay reads them, without building an index or logging: each servable entry's
     * request as matched and response as served (side files read from the HAR's folder, base64 and compressed bodies
     * decoded up to the capture limit, hop-by-hop headers dropped, {@code Content-Length} the body's), and the entries
     * replay skips. Tools that compare recordings ({@code harp diff}) read HARs through here.
     *
     * @param file      the HAR file, whose folder holds its side files; null when unknown (side files are refused)
     * @param bodyLimit the capture limit, in bytes
     */
    public static Servable servable(Path file, Har har, long bodyLimit) {
        HarEntryAdapter adapter = new HarEntryAdapter(file == null ? null : file.toAbsolutePath().getParent(), bodyLimit);
        List<Recorded<ReplayResponse>> served = new ArrayList<>();
        List<SkippedEntry> skipped = new ArrayList<>();
        List<HarEntry> entries = har.entries();
        for (int i = 0; i < entries.size(); i++) {
            try {
                served.add(adapter.prepare(entries.get(i), i).recorded());
            } catch (Unreplayable skip) {
                skipped.add(new SkippedEntry(i, SkippedEntry.causeOf(skip.reason()), String.valueOf(skip.getMessage())));
            }
        }
        return new Servable(served, skipped);
    }

    /**
     * What {@link #servable} reads from a HAR.
     *
     * @param entries the servable entries in file order; {@code payload().entryIndex()} is the entry's index
     * @param skipped the entries replay skips, and why
     */
    public record Servable(List<Recorded<ReplayResponse>> entries, List<SkippedEntry> skipped) {
        /** Copies the lists. */
        public Servable {
            entries = List.copyOf(entries);
            skipped = List.copyOf(skipped);
        }
    }

    /** Finds the response for a live request. */
    public Lookup<ReplayResponse> find(MatchRequest live) {
        return index.find(live);
    }

    /** Makes a newly recorded entry replayable at once (auto mode). */
    public void add(HarEntry entry) {
        if (HarEntryAdapter.unreplayable(entry) != null) {
            return;
        }
        try {
            int at = index.size();
            ReplayResponse response = adapter.response(entry, at);
            MatchRequest request = adapter.request(entry);
            if (HarWebSocketMessage.isWebSocket(entry)) {
                conversations.put(response, WebSocketScript.of(entry, at, request));
            }
            recordedHere.add(response);
            index.add(request, response);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            LOG.debug("Harp cannot replay the new entry {}: {}", Redaction.forLog(entry.request().url()), e.getMessage());
        }
    }

    /**
     * The recorded conversation to play when a WebSocket upgrade was answered with {@code response}: empty when the
     * entry is not a WebSocket one. Misses of its messages are reported with {@link #misses()}.
     *
     * @param response the payload of a hit of {@link #find}
     * @param live     the live upgrade request, named by misses
     * @param latency  how long server messages wait
     */
    public Optional<WebSocketConversation> webSocket(ReplayResponse response, MatchRequest live, Latency latency) {
        WebSocketScript script = conversations.get(response);
        if (script == null) {
            return Optional.empty();
        }
        return Optional.of(new WebSocketConversation(script, live, index.comparator(), latency, index::recordMiss,
                index::size));
    }

    /** The HAR as read. */
    public Har har() {
        return har;
    }

    /** The HAR file. */
    public Path file() {
        return file;
    }

    /** Number of entries skipped as unreplayable. */
    public int skipped() {
        return skipped;
    }

    /** Why entries were skipped, counted by reason, e.g. {@code 2 failed requests, 1 bad base64 body}; empty if none. */
    public String skippedReasons() {
        return skippedWhy;
    }

    /** Misses so far. */
    public List<Miss> misses() {
        return index.misses();
    }

    /** Entries recorded but never served so far. */
    public List<ReplayResponse> unused() {
        List<ReplayResponse> unused = new ArrayList<>(index.unused());
        unused.removeIf(recordedHere::contains);
        return unused;
    }

    /** Counts of hits, misses and unused entries (entries recorded by this run are not "unused"). */
    public ReplaySummary summary() {
        ReplaySummary s = index.summary();
        return new ReplaySummary(s.entries(), s.hits(), s.misses(), unused().size());
    }
}
