package dev.harp.maven;

import dev.harp.HarpConfig;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.options.OptionCatalog;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.ServerUse;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import javax.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code mvn harp:run -Dharp.mode=record}: Harp in the foreground, for recording by hand (a browser, curl, a tool
 * you cannot start from a test) or trying a fixture. It behaves like the command line: port 8080, the CA in
 * {@code ~/.harp} (or {@code $HARP_CA_DIR}), {@code harp.har} in the current folder, and stops on Ctrl-C or after
 * {@code harp.timeout} seconds, writing the HAR. Needs no project; in a project, a relative {@code har} is resolved
 * against its folder.
 */
@Mojo(name = "run", requiresProject = false, threadSafe = true)
public class RunMojo extends ProxyMojo {

    /** Port to listen on, 0 for any free port. */
    @Parameter(property = "harp.port")
    Integer port;

    /** Harp:run stops after this many seconds (0: on Ctrl-C only). */
    @Parameter(property = "harp.timeout")
    Long timeout;

    /**
     * Folder of usage data: one JSON file per use of a fixture, for the report and pruning (off: none written).
     * Unset: the project's {@code target/harp}, or none outside a project.
     */
    @Parameter(property = "harp.usageDir")
    String usageDir;

    private final MavenSession session;

    /** @param session the build session (its properties carry {@code -Dharp.mode}) */
    @Inject
    public RunMojo(MavenSession session) {
        this.session = session;
    }

    @Override
    Integer port() {
        return port;
    }

    @Override
    Face defaultsFace() {
        return Face.CLI;
    }

    @Override
    public void execute() throws MojoExecutionException {
        Duration limit = timeout != null ? Duration.ofSeconds(timeout) : OptionCatalog.TIMEOUT.defaultIn(Face.MAVEN);
        if (limit.isNegative()) {
            throw new MojoExecutionException("Harp: <timeout> must be 0 (no limit) or a number of seconds, not " + timeout);
        }
        Path base = Path.of(session.getExecutionRootDirectory() != null ? session.getExecutionRootDirectory() : ".");
        HarpConfig config = configuration(session, System.getenv(), base).build();
        ServerUse usage = ServerUse.begin(config.har(), config.modeResolution().effective());
        HarpServer harp;
        PluginLogging.routeJbossLoggingToMaven();
        try {
            harp = HarpServer.start(config);
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException("Harp: " + e.getMessage(), e);
        }
        usage.opened(harp);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C ends the JVM while execute() still waits: the hook closes Harp (the HAR is written) while this
        // plugin's classes are still loaded, then lets execute() finish.
        Thread hook = new Thread(() -> {
            harp.close();
            stopped.countDown();
        }, "harp-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            describe(harp, config, limit);
            boolean interrupted = false;
            try {
                if (limit.isZero()) {
                    stopped.await();
                } else if (!stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    getLog().info("Harp: stopping after " + limit.toSeconds() + " s (harp.timeout)");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            harp.close();
            summarize(harp, config);
            UsageData.write(getLog(), usageFolder(), base, usage, harp, "harp:run", "", FixtureUse.Outcome.UNKNOWN,
                    selection(session));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it closed Harp.
            }
        }
    }

    /** @return {@code <usageDir>}, else the project's {@code target/harp}, else null (no project: nothing written) */
    private String usageFolder() {
        if (usageDir != null) {
            return usageDir;
        }
        MavenProject project = session.getCurrentProject();
        return project != null && project.getFile() != null ? Path.of(project.getBuild().getDirectory(), "harp").toString()
                : null;
    }

    private void describe(HarpServer harp, HarpConfig config, Duration limit) {
        Mode mode = harp.mode().effective();
        String host = config.bindAddress().indexOf(':') >= 0 ? "[" + config.bindAddress() + "]" : config.bindAddress();
        getLog().info("Harp " + HarpServer.version() + " listening on http://" + host + ":" + harp.port() + " (mode "
                + mode.cliName() + " from " + harp.mode().source()
                + (mode == Mode.PASSTHROUGH ? "" : ", HAR " + config.har()) + ")");
        String ca = harp.certificateAuthority().directory()
                .map(d -> d.resolve(dev.harp.tls.CertificateAuthority.CERTIFICATE_FILE).toString()).orElse("in memory");
        getLog().info("Harp CA " + ca + " (SHA-256 " + harp.certificateAuthority().sha256Fingerprint()
                + "): clients that call HTTPS through Harp must trust it (mvn harp:export-ca writes a copy)");
        getLog().info(limit.isZero() ? "Harp: press Ctrl-C to stop"
                : "Harp: stops after " + limit.toSeconds() + " s, or on Ctrl-C");
    }

    private void summarize(HarpServer harp, HarpConfig config) {
        Mode mode = harp.mode().effective();
        if (mode == Mode.REPLAY || mode == Mode.AUTO) {
            getLog().info("Harp replay summary: " + harp.replaySummary().describe());
        }
        if (mode == Mode.RECORD || mode == Mode.AUTO) {
            getLog().info("Harp wrote " + harp.recordedEntries() + " entries to " + config.har());
        }
    }
}
