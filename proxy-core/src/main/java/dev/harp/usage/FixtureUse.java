package dev.harp.usage;

import dev.harp.Mode;
import dev.harp.options.Face;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One use of one HAR fixture by one user (a test method, a class phase such as {@code @BeforeAll}, a Maven
 * {@code start}/{@code stop} execution, a CLI session): what it served, what missed, what it never asked for, and
 * how the user ended. Immutable; made with {@link #builder(Path, Face, String)}.
 *
 * <p>Entry indices are positions in the fixture as it was when the use began ({@link #sha256()} names that content):
 * two uses of a fixture that changed in between are not compared entry by entry.
 *
 * @param fixture    the HAR file, absolute and normalised
 * @param face       who used it
 * @param user       for people: {@code WeatherTest.forecast()}, {@code @BeforeAll of WeatherTest},
 *                   {@code harp:start (default-start)}, {@code harp --har api.har}
 * @param userId     for machines: the JUnit unique id, or the Maven execution id; empty when there is none
 * @param outcome    how the user ended
 * @param mode       the mode in force
 * @param modeSource where the mode came from, for people ({@code -Dharp.mode}, {@code @Harp(mode)}, {@code CI=true})
 * @param started    when the use began
 * @param finished   when it ended
 * @param existed    whether the fixture file existed when the use began
 * @param sha256     the fixture's SHA-256 (lower-case hex) when the use began; empty when it did not exist
 * @param entries    recorded entries in the fixture when the use began
 * @param hits       requests answered from the fixture
 * @param unused     indices of the entries this use never served, ascending (all of them in record mode)
 * @param misses     requests (and WebSocket messages) that found no recorded response; in {@code auto} mode these
 *                   were recorded instead
 * @param recorded   entries this use recorded into the fixture
 * @param selection  the test selection of the run when it was narrowed (e.g. {@code test=WeatherTest#forecast});
 *                   empty when the run was not narrowed or the face cannot tell
 */
public record FixtureUse(Path fixture, Face face, String user, String userId, Outcome outcome, Mode mode,
                         String modeSource, Instant started, Instant finished, boolean existed, String sha256,
                         int entries, long hits, List<Integer> unused, List<MissView> misses, int recorded,
                         String selection) {

    /** How the user of a fixture ended. */
    public enum Outcome {
        /** The test (or class phase) succeeded. */
        PASSED,
        /** The test failed or errored: it may not have made all its requests. */
        FAILED,
        /** The test was aborted (a failed assumption): it may not have made all its requests. */
        ABORTED,
        /** The test was disabled or skipped: the fixture was not opened at all. */
        SKIPPED,
        /**
         * The face cannot tell (the CLI, a Maven execution without a Failsafe summary): pruning leaves the fixture
         * alone, since its tests may not have made all their requests.
         */
        UNKNOWN;

        /** @return whether every request the user makes is known to have been made: only {@link #PASSED} */
        public boolean complete() {
            return this == PASSED;
        }
    }

    /** Checks and copies the parts. */
    public FixtureUse {
        fixture = fixture.toAbsolutePath().normalize();
        Objects.requireNonNull(face, "face");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(modeSource, "modeSource");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(sha256, "sha256");
        if (entries < 0 || hits < 0 || recorded < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
        unused = List.copyOf(new TreeSet<>(unused));
        for (int i : unused) {
            if (i < 0 || i >= entries) {
                throw new IllegalArgumentException("unused entry " + i + " is not one of the " + entries + " entries");
            }
        }
        misses = List.copyOf(misses);
        Objects.requireNonNull(selection, "selection");
    }

    /**
     * @param fixture the HAR file
     * @param face    who uses it
     * @param user    for people, e.g. {@code WeatherTest.forecast()}
     * @return a builder; unset parts default to: no id, {@link Outcome#UNKNOWN}, {@link Mode#REPLAY}, no source,
     *         now, a fixture that did not exist, nothing served, missed or recorded, no selection
     */
    public static Builder builder(Path fixture, Face face, String user) {
        return new Builder(fixture, face, user);
    }

    /** @return a builder holding this use's parts */
    public Builder toBuilder() {
        return builder(fixture, face, user).userId(userId).outcome(outcome).mode(mode, modeSource)
                .started(started).finished(finished).existed(existed).sha256(sha256).entries(entries).hits(hits)
                .unused(unused).misses(misses).recorded(recorded).selection(selection);
    }

    /** Builds a {@link FixtureUse}. */
    public static final class Builder {
        private final Path fixture;
        private final Face face;
        private final String user;
        private String userId = "";
        private Outcome outcome = Outcome.UNKNOWN;
        private Mode mode = Mode.REPLAY;
        private String modeSource = "";
        private Instant started = Instant.now();
        private Instant finished = started;
        private boolean existed;
        private String sha256 = "";
        private int entries;
        private long hits;
        private List<Integer> unused = List.of();
        private final List<MissView> misses = new ArrayList<>();
        private int recorded;
        private String selection = "";

        private Builder(Path fixture, Face face, String user) {
            this.fixture = Objects.requireNonNull(fixture, "fixture");
            this.face = Objects.requireNonNull(face, "face");
            this.user = Objects.requireNonNull(user, "user");
        }

        /** @param userId the JUnit unique id or Maven execution id @return this builder */
        public Builder userId(String userId) {
            this.userId = Objects.requireNonNull(userId, "userId");
            return this;
        }

        /** @param outcome how the user ended @return this builder */
        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** @param mode the mode in force @param source where it came from @return this builder */
        public Builder mode(Mode mode, String source) {
            this.mode = Objects.requireNonNull(mode, "mode");
            this.modeSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** @param started when the use began @return this builder */
        public Builder started(Instant started) {
            this.started = Objects.requireNonNull(started, "started");
            return this;
        }

        /** @param finished when the use ended @return this builder */
        public Builder finished(Instant finished) {
            this.finished = Objects.requireNonNull(finished, "finished");
            return this;
        }

        /** @param existed whether the file existed when the use began @return this builder */
        public Builder existed(boolean existed) {
            this.existed = existed;
            return this;
        }

        /** @param sha256 the file's SHA-256 in hex when the use began, or empty @return this builder */
        public Builder sha256(String sha256) {
            this.sha256 = Objects.requireNonNull(sha256, "sha256");
            return this;
        }

        /** @param entries entries in the fixture when the use began @return this builder */
        public Builder entries(int entries) {
            this.entries = entries;
            return this;
        }

        /** @param hits requests answered from the fixture @return this builder */
        public Builder hits(long hits) {
            this.hits = hits;
            return this;
        }

        /** @param unused indices of entries never served @return this builder */
        public Builder unused(List<Integer> unused) {
            this.unused = List.copyOf(unused);
            return this;
        }

        /** @param miss a miss to add @return this builder */
        public Builder miss(MissView miss) {
            this.misses.add(Objects.requireNonNull(miss, "miss"));
            return this;
        }

        /** @param misses misses to add @return this builder */
        public Builder misses(List<MissView> misses) {
            misses.forEach(this::miss);
            return this;
        }

        /** @param recorded entries recorded into the fixture @return this builder */
        public Builder recorded(int recorded) {
            this.recorded = recorded;
            return this;
        }

        /** @param selection the narrowed test selection, or empty @return this builder */
        public Builder selection(String selection) {
            this.selection = Objects.requireNonNull(selection, "selection");
            return this;
        }

        /** @return the use */
        public FixtureUse build() {
            return new FixtureUse(fixture, face, user, userId, outcome, mode, modeSource, started, finished, existed,
                    sha256, entries, hits, unused, misses, recorded, selection);
        }
    }
}
