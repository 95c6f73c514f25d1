package dev.harp.usage;

import dev.harp.HarFile;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.ModeResolution;
import dev.harp.options.Face;
import dev.harp.replay.ReplayResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One use of a fixture by a whole proxy session (a command-line run, a Maven {@code harp:start} to {@code harp:stop}):
 * {@link #begin} takes the fixture as it is before the proxy opens it (whether it exists, its SHA-256, when), and
 * {@link #end} turns what the proxy did into a {@link FixtureUse}. Never throws for a fixture it cannot read: usage
 * data must not stop a proxy.
 *
 * <pre>{@code
 * ServerUse use = ServerUse.begin(har, mode);
 * HarpServer harp = HarpServer.start(config);
 * use.opened(harp);
 * ...
 * harp.close();
 * log.write(use.end(harp, Face.CLI, "harp --har api.har").build());
 * }</pre>
 */
public final class ServerUse {
    private final Path fixture;
    private final Instant started;
    private final boolean existed;
    private final String sha256;
    private final Mode mode;
    private volatile int entries;

    private ServerUse(Path fixture, Instant started, boolean existed, String sha256, Mode mode, int entries) {
        this.fixture = fixture;
        this.started = started;
        this.existed = existed;
        this.sha256 = sha256;
        this.mode = mode;
        this.entries = entries;
    }

    /**
     * Takes the fixture as it is now, before a proxy opens it.
     *
     * @param fixture the HAR file
     * @param mode    the mode it is about to be used in
     * @return the beginning of a use
     */
    public static ServerUse begin(Path fixture, Mode mode) {
        Path file = fixture.toAbsolutePath().normalize();
        Instant started = Instant.now();
        boolean existed = Files.isRegularFile(file);
        return new ServerUse(file, started, existed, existed ? digest(file) : "", Objects.requireNonNull(mode, "mode"),
                existed && mode == Mode.RECORD ? countEntries(file) : 0);
    }

    /**
     * Notes how many entries the proxy loaded (replay and auto modes; record mode counted them in {@link #begin}).
     *
     * @param harp the proxy, right after it opened the fixture
     */
    public void opened(HarpServer harp) {
        if (mode != Mode.RECORD) {
            entries = harp.replaySummary().entries();
        }
    }

    /**
     * @return the fixture's SHA-256 when the use began, or empty
     */
    public String sha256() {
        return sha256;
    }

    /**
     * @param harp the proxy, stopped (or about to be): its hits, misses, unused entries and recordings
     * @param face who used it (misses spell options for this face)
     * @param user for people, e.g. {@code harp --har api.har}
     * @return a builder holding the use, finished now; outcome {@link FixtureUse.Outcome#UNKNOWN}
     */
    public FixtureUse.Builder end(HarpServer harp, Face face, String user) {
        ModeResolution resolution = harp.mode();
        int count = entries;
        List<Integer> unused = new ArrayList<>();
        if (resolution.effective() == Mode.RECORD) {
            for (int i = 0; i < count; i++) {
                unused.add(i); // a recording replaces the file: none of its entries was served
            }
        } else {
            for (ReplayResponse r : harp.unusedEntries()) {
                if (r.entryIndex() >= 0 && r.entryIndex() < count) {
                    unused.add(r.entryIndex()); // entries recorded during the use (auto) are counted in recorded
                }
            }
        }
        List<MissView> misses = MissView.of(harp.misses(), face, harp.config().redactor());
        return FixtureUse.builder(fixture, face, user)
                .mode(resolution.effective(), resolution.source())
                .started(started)
                .finished(Instant.now())
                .existed(existed)
                .sha256(sha256)
                .entries(count)
                .hits(harp.replaySummary().hits())
                .unused(unused)
                .misses(misses)
                .recorded(harp.recordedEntries());
    }

    /**
     * @param file a fixture file
     * @return its SHA-256, or empty when it cannot be read
     */
    static String digest(Path file) {
        try {
            return UsageLog.sha256(file);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * @param file a fixture file
     * @return how many entries it holds, or 0 when it cannot be read
     */
    public static int countEntries(Path file) {
        try {
            return HarFile.read(file).entries().size();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
