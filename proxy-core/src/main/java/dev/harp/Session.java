package dev.harp;

import dev.harp.flow.FlowSink;
import dev.harp.har.Har;
import dev.harp.har.HarRepair;
import dev.harp.proxy.ProxyServer;
import dev.harp.record.Recorder;
import dev.harp.replay.HarReplay;
import dev.harp.replay.MatchOptions;
import dev.harp.replay.Miss;
import dev.harp.replay.ReplayResponse;
import dev.harp.replay.ReplaySummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One HAR in one mode on a running proxy: what replays from it and what records into it. */
final class Session implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final Path har;
    private final ModeResolution mode;
    private final HarReplay replay;
    private final Recorder recorder;

    private Session(Path har, ModeResolution mode, HarReplay replay, Recorder recorder) {
        this.har = har;
        this.mode = mode;
        this.replay = replay;
        this.recorder = recorder;
    }

    /** Loads or prepares the HAR for the mode and points the server at it. */
    static Session open(ProxyServer server, HarpConfig config, Path har, ModeResolution mode) throws IOException {
        LOG.info("Harp mode {} ({}){}", mode.effective().cliName(), mode.source(),
                mode.effective() == Mode.PASSTHROUGH ? "" : ", HAR " + har);
        switch (mode.effective()) {
            case PASSTHROUGH -> {
                server.forward(FlowSink.NONE);
                return new Session(har, mode, null, null);
            }
            case RECORD -> {
                HarpServer.checkWritable(har);
                Recorder recorder = new Recorder(har, Har.newRecording(HarpServer.version()), config.redactor(),
                        config.flushInterval(), null);
                server.forward(recorder);
                return new Session(har, mode, null, recorder);
            }
            case REPLAY -> {
                boolean absent = config.replayMissingHar() && Files.notExists(har);
                HarReplay replay = absent
                        ? HarReplay.of(har, Har.newRecording(HarpServer.version()), config.matchOptions(), config.captureLimit())
                        : HarReplay.load(har, config.matchOptions(), config.captureLimit());
                server.replay(replay, config.latency(), null);
                LOG.info("Harp replays {} entries from {}{}", replay.summary().entries(), har,
                        absent ? " (it does not exist: every request is a miss)" : "");
                return new Session(har, mode, replay, null);
            }
            default -> {
                Har existing = Files.exists(har) ? HarRepair.read(har) : Har.newRecording(HarpServer.version());
                HarpServer.checkWritable(har);
                HarReplay replay = HarReplay.of(har, existing, config.matchOptions(), config.captureLimit());
                Recorder recorder = new Recorder(har, existing, config.redactor(), config.flushInterval(), replay::add);
                server.replay(replay, config.latency(), recorder);
                LOG.info("Harp replays {} entries from {} and records what is missing", replay.summary().entries(), har);
                return new Session(har, mode, replay, recorder);
            }
        }
    }

    Path har() {
        return har;
    }

    ModeResolution mode() {
        return mode;
    }

    /**
     * Whether this session may intercept HTTPS: every mode that forwards may, replay when its HAR has an {@code https:}
     * or {@code wss:} entry or host aliases may map a live host onto the recorded ones; a CONNECT to anything else can
     * only miss (it still gets its TLS, made then).
     *
     * @param options the matching options in force
     */
    boolean mayIntercept(MatchOptions options) {
        if (mode.effective() != Mode.REPLAY || !options.hostAliases().isEmpty()) {
            return true;
        }
        for (var entry : replay.har().entries()) {
            String url = entry.request().url();
            if (url.regionMatches(true, 0, "https:", 0, 6) || url.regionMatches(true, 0, "wss:", 0, 4)) {
                return true;
            }
        }
        return false;
    }

    /** Requests that found no recorded response; in auto mode none, since those are recorded instead. */
    List<Miss> misses() {
        return replay == null || recorder != null ? List.of() : replay.misses();
    }

    List<ReplayResponse> unused() {
        return replay == null ? List.of() : replay.unused();
    }

    ReplaySummary summary() {
        return replay == null ? new ReplaySummary(0, 0, 0, 0) : replay.summary();
    }

    /** Number of entries recorded in this session (0 when not recording). */
    int recorded() {
        if (recorder == null) {
            return 0;
        }
        int before = replay == null ? 0 : replay.har().entries().size();
        return recorder.size() - before;
    }

    /** Waits, boundedly, for forwarded exchanges in progress to reach the recorder. */
    boolean awaitInFlight(long limitMillis) {
        return recorder == null || recorder.awaitInFlight(limitMillis);
    }

    /** Writes what was recorded. */
    @Override
    public void close() throws IOException {
        if (recorder != null) {
            recorder.close();
        }
    }
}
