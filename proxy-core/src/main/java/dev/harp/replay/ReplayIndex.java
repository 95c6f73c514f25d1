package dev.harp.replay;

import dev.harp.redaction.Redaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the recorded response for a live request. Thread-safe.
 *
 * <p>Built once from the recorded entries in order. Entries are bucketed by method, host, port and path, so a
 * lookup compares query, headers and body only against the few entries of one bucket. Recorded requests that are
 * identical under the {@link MatchOptions} form one sequence, served according to {@link MatchOptions#sequence()};
 * concurrent lookups of the same request each get a distinct entry, in recorded order. When several sequences match
 * (a {@value Redaction#REDACTED} value matches anything), the first one in recorded order that still has an
 * unserved entry answers.
 *
 * <p>A miss ranks every recorded request by closeness to explain itself ({@link Miss#describe()}); misses are
 * rare, so that scan is acceptable. {@link #add} appends entries at run time (the {@code auto} mode records what
 * was missing), and they match at once.
 *
 * <pre>{@code
 * ReplayIndex<HarEntry> index = ReplayIndex.of(recorded, MatchOptions.builder().ignoreQueryParams("_").build());
 * Lookup<HarEntry> lookup = index.find(MatchRequest.of("GET", "https://api.example.com/v1/users?_=1712"));
 * if (lookup.isHit()) serve(lookup.payload()); else answer502(lookup.miss().describe());
 * }</pre>
 *
 * @param <T> the payload served on a hit, typically the recorded response; the index never looks into it
 */
public final class ReplayIndex<T> {

    /** At most this many misses are kept for {@link #misses()}; all are counted. */
    static final int MAX_KEPT_MISSES = 1000;
    private static final int CLOSEST_SHOWN = 3;

    private record BucketKey(String method, String host, int port, String path) {
        static BucketKey of(MatchRequest request) {
            return new BucketKey(request.method(), request.host(), request.port(), request.normalisedPath());
        }

        // by hand: a record's own equals and hashCode are bootstrapped through method handles at first use, a cost
        // of the first replayed request in a fresh JVM (issue 17)

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof BucketKey k && port == k.port && Objects.equals(method, k.method)
                    && Objects.equals(host, k.host) && Objects.equals(path, k.path);
        }

        @Override
        public int hashCode() {
            return ((Objects.hashCode(method) * 31 + Objects.hashCode(host)) * 31 + port) * 31 + Objects.hashCode(path);
        }
    }

    private final RequestComparator comparator;
    private final Map<BucketKey, List<Sequence<T>>> buckets = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private final List<RecordedEntry<T>> entries = new ArrayList<>(); // guarded by writeLock
    private final List<Sequence<T>> sequences = new ArrayList<>(); // guarded by writeLock, in recorded order
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong missCount = new AtomicLong();
    private final List<Miss> misses = Collections.synchronizedList(new ArrayList<>());

    private ReplayIndex(MatchOptions options) {
        this.comparator = new RequestComparator(Objects.requireNonNull(options, "options"));
    }

    /**
     * @param recorded the recorded entries in order; entry indices are positions in this list
     * @param options  how to match
     * @param <T>      the payload type
     * @return the index
     */
    public static <T> ReplayIndex<T> of(List<Recorded<T>> recorded, MatchOptions options) {
        ReplayIndex<T> index = new ReplayIndex<>(options);
        recorded.forEach(r -> index.add(r.request(), r.payload()));
        return index;
    }

    /**
     * @param options how to match
     * @param <T>     the payload type
     * @return an index without entries, e.g. for a first recording in {@code auto} mode
     */
    public static <T> ReplayIndex<T> empty(MatchOptions options) {
        return new ReplayIndex<>(options);
    }

    private dev.harp.options.Face face() {
        return comparator.options().face().orElse(null);
    }

    /** @return the options this index matches with */
    public MatchOptions options() {
        return comparator.options();
    }

    /**
     * Appends a recorded entry; it is matchable as soon as this method returns. An entry identical to recorded
     * ones joins their sequence, after them.
     *
     * @param request the recorded request
     * @param payload what a hit on it serves
     * @return the new entry's index
     */
    public int add(MatchRequest request, T payload) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(payload, "payload");
        PreparedRequest prepared = comparator.prepareRecorded(request);
        synchronized (writeLock) {
            RecordedEntry<T> entry = new RecordedEntry<>(entries.size(), prepared, payload);
            entries.add(entry);
            List<Sequence<T>> bucket = buckets.computeIfAbsent(BucketKey.of(request), k -> new CopyOnWriteArrayList<>());
            for (Sequence<T> sequence : bucket) {
                if (identical(prepared, sequence.representative())) {
                    sequence.add(entry);
                    return entry.index();
                }
            }
            Sequence<T> sequence = new Sequence<>(entry);
            sequences.add(sequence);
            bucket.add(sequence);
            return entry.index();
        }
    }

    /**
     * Finds the recorded response for a live request and advances its sequence. Every miss is also kept for
     * {@link #misses()}.
     *
     * @param live the live request
     * @return a hit with the payload, or a miss explaining what came closest
     */
    public Lookup<T> find(MatchRequest live) {
        PreparedRequest prepared = comparator.prepareLive(Objects.requireNonNull(live, "live"));
        List<Sequence<T>> bucket = buckets.getOrDefault(BucketKey.of(prepared.request()), List.of());
        SequencePolicy policy = comparator.options().sequence();
        Sequence<T> firstMatching = null;
        for (Sequence<T> sequence : bucket) {
            if (!comparator.matches(prepared, sequence.representative())) {
                continue;
            }
            if (policy == SequencePolicy.REUSE_FIRST) {
                return hit(sequence.first());
            }
            RecordedEntry<T> next = sequence.takeNext();
            if (next != null) {
                return hit(next);
            }
            if (firstMatching == null) {
                firstMatching = sequence;
            }
        }
        if (firstMatching != null && policy == SequencePolicy.SEQUENCE) {
            return hit(firstMatching.last());
        }
        return miss(firstMatching == null ? missFor(prepared) : exhausted(prepared, firstMatching));
    }

    /** @return how many entries the index holds */
    public int size() {
        synchronized (writeLock) {
            return entries.size();
        }
    }

    /** @return payloads of the entries never served, in entry order */
    public List<T> unused() {
        return unusedEntries().stream().map(RecordedEntry::payload).toList();
    }

    /** @return indices of the entries never served, in entry order */
    public List<Integer> unusedIndices() {
        return unusedEntries().stream().map(RecordedEntry::index).toList();
    }

    /** @return the misses so far, oldest first (the first {@value #MAX_KEPT_MISSES} are kept) */
    public List<Miss> misses() {
        synchronized (misses) {
            return List.copyOf(misses);
        }
    }

    /** @return how many lookups were hits */
    public long hitCount() {
        return hits.get();
    }

    /** @return how many lookups were misses */
    public long missCount() {
        return missCount.get();
    }

    /** @return counts for an exit summary */
    public ReplaySummary summary() {
        int size;
        synchronized (writeLock) {
            size = entries.size();
        }
        return new ReplaySummary(size, hits.get(), missCount.get(), unusedEntries().size());
    }

    private boolean identical(PreparedRequest a, PreparedRequest b) {
        return comparator.matches(a, b) && comparator.matches(b, a);
    }

    private Lookup<T> hit(RecordedEntry<T> entry) {
        hits.incrementAndGet();
        return entry.serve();
    }

    /** Counts and keeps a miss found outside {@link #find} (a WebSocket message that matches nothing). */
    void recordMiss(Miss miss) {
        miss(miss);
    }

    /** The comparator, for matching that follows a hit (WebSocket messages). */
    RequestComparator comparator() {
        return comparator;
    }

    private Lookup<T> miss(Miss miss) {
        missCount.incrementAndGet();
        synchronized (misses) {
            if (misses.size() < MAX_KEPT_MISSES) {
                misses.add(miss);
            }
        }
        return Lookup.miss(miss);
    }

    private List<RecordedEntry<T>> unusedEntries() {
        synchronized (writeLock) {
            return entries.stream().filter(e -> e.servedCount() == 0).toList();
        }
    }

    private Miss exhausted(PreparedRequest live, Sequence<T> sequence) {
        NearMiss used = new NearMiss(sequence.entryIndices(), sequence.representative().sent(), 100, List.of());
        return new Miss(live.sent(), live.request(), Miss.Reason.SEQUENCE_EXHAUSTED, List.of(used), size(), face());
    }

    /** Ranks every recorded request by closeness; identical ones (a sequence) count once. */
    private Miss missFor(PreparedRequest live) {
        List<Sequence<T>> all;
        int size;
        synchronized (writeLock) {
            all = List.copyOf(sequences);
            size = entries.size();
        }
        if (all.isEmpty()) {
            return new Miss(live.sent(), live.request(), Miss.Reason.EMPTY_INDEX, List.of(), 0, face());
        }
        List<NearMissRanking.Candidate> candidates = new ArrayList<>(all.size());
        for (Sequence<T> sequence : all) {
            candidates.add(new NearMissRanking.Candidate(
                    sequence.first().index(), sequence.entryIndices(), sequence.representative()));
        }
        List<NearMiss> closest = NearMissRanking.closest(comparator, live, candidates, CLOSEST_SHOWN);
        return new Miss(live.sent(), live.request(), Miss.Reason.NO_MATCH, closest, size, face());
    }
}
