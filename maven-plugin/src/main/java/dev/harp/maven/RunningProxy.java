package dev.harp.maven;

import dev.harp.HarpServer;
import dev.harp.replay.Miss;
import dev.harp.replay.ReplayResponse;
import dev.harp.replay.ReplaySummary;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.ServerUse;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Harp proxy started by {@code harp:start} for one project: the server, where its files went, and who stops it.
 * Kept in the plugin context (per project) under {@link #contextKey(String)}, and registered with the session's
 * {@link Backstop}. Stopping it is idempotent and thread-safe: {@code harp:stop}, the backstop at the end of the
 * project or the session, and the JVM shutdown hook may race, and exactly one of them stops it.
 */
final class RunningProxy {
    private final String id;
    private final String project;
    private final Path projectDirectory;
    private final HarpServer harp;
    private final Path directory;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ServerUse usage;
    private final String executionId;
    private final String usageDir;
    private final String selection;
    private final Path buildDirectory;
    private final Instant started = Instant.now();
    private volatile Outcome outcome;

    /**
     * What a stopped proxy did, read right before it was closed (in-flight exchanges awaited).
     *
     * @param summary  hits, misses and unused entries
     * @param misses   the requests replay could not answer
     * @param unused   recorded entries never served
     * @param recorded entries the HAR holds from recording (record and auto modes)
     */
    record Outcome(ReplaySummary summary, List<Miss> misses, List<ReplayResponse> unused, int recorded) {
    }

    RunningProxy(String id, String project, Path projectDirectory, HarpServer harp, Path directory) {
        this(id, project, projectDirectory, harp, directory, null, id, null, "", null);
    }

    /**
     * @param usage the use of the HAR begun before the proxy opened it, or null
     * @param executionId the id of the {@code harp:start} execution that started it, for usage data
     * @param usageDir where the backstop writes the use when no {@code harp:stop} does (null: nowhere)
     * @param selection how the Maven run was narrowed ({@code it.test=OrderIT}), or empty
     * @param buildDirectory the project's {@code ${project.build.directory}}, where Failsafe's summary is (null: none)
     */
    RunningProxy(String id, String project, Path projectDirectory, HarpServer harp, Path directory, ServerUse usage,
                 String executionId, String usageDir, String selection, Path buildDirectory) {
        this.usage = usage;
        this.selection = selection == null ? "" : selection;
        this.buildDirectory = buildDirectory;
        this.executionId = executionId;
        this.usageDir = usageDir;
        this.id = id;
        this.project = project;
        this.projectDirectory = projectDirectory;
        this.harp = harp;
        this.directory = directory;
    }

    /** @return the plugin-context key of the proxy with this id */
    static String contextKey(String id) {
        return "dev.harp.maven.proxy." + id;
    }

    String id() {
        return id;
    }

    /** @return the project's id ({@code groupId:artifactId:packaging:version}), for log lines */
    String project() {
        return project;
    }

    /** @return the project's base directory: what the backstop matches a project event against */
    Path projectDirectory() {
        return projectDirectory;
    }

    HarpServer harp() {
        return harp;
    }

    /** @return {@code target/harp/<id>}: the CA PEM, the trust store and the summary */
    Path directory() {
        return directory;
    }

    /** @return the use of the HAR begun at the start, or null */
    ServerUse usage() {
        return usage;
    }

    /** @return who started it, e.g. {@code harp:start (default)} */
    String user() {
        return "harp:start (" + executionId + ")";
    }

    /** @return the id of the {@code harp:start} execution that started it */
    String executionId() {
        return executionId;
    }

    /** @return the usage folder as {@code harp:start} saw it ({@code -Dharp.usageDir}, else target/harp), or null */
    String usageDir() {
        return usageDir;
    }

    /** @return how the Maven run that started it was narrowed ({@code it.test=OrderIT}), or empty */
    String selection() {
        return selection;
    }

    /**
     * @return how the integration tests went, as Failsafe's summary written during this session says; UNKNOWN
     *         without one
     */
    FixtureUse.Outcome testOutcome() {
        return buildDirectory == null ? FixtureUse.Outcome.UNKNOWN
                : FailsafeSummary.outcome(FailsafeSummary.file(buildDirectory), started);
    }

    boolean running() {
        return !stopped.get();
    }

    /**
     * Stops the proxy (the HAR is written completely) unless someone else already did.
     *
     * @return what it did, or null when it had already been stopped
     */
    Outcome stop() {
        if (!stopped.compareAndSet(false, true)) {
            return null;
        }
        try {
            harp.awaitInFlight(Duration.ofSeconds(5));
            outcome = new Outcome(harp.replaySummary(), List.copyOf(harp.misses()), List.copyOf(harp.unusedEntries()),
                    harp.recordedEntries());
        } finally {
            harp.close();
        }
        return outcome;
    }
}
