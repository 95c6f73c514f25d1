package dev.harp.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import javax.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code harp:stop}: stops the proxy {@code harp:start} started for this project (the HAR is written completely),
 * prints hits, misses (with the diagnostic) and unused entries, writes {@code target/harp/<id>/summary.json}, and fails
 * the build on misses ({@code failOnMiss}) and, if asked, on unused entries ({@code failOnUnused}). Idempotent: with
 * nothing running it says so and succeeds.
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class StopMojo extends AbstractMojo {

    /** Skip harp:start and harp:stop (also skipped by skipITs, skipTests and maven.test.skip). */
    @Parameter(property = "harp.skip", defaultValue = "false")
    boolean skip;

    /** Names the proxy when one project starts several; harp:stop stops the one with its id. */
    @Parameter(property = "harp.id", defaultValue = "default")
    String id;

    /** A replay miss fails the test (the build) with the diagnostic. */
    @Parameter(property = "harp.failOnMiss", defaultValue = "true")
    boolean failOnMiss;

    /** Recorded entries the test (the build) never requested fail it. */
    @Parameter(property = "harp.failOnUnused", defaultValue = "false")
    boolean failOnUnused;

    /** Folder of usage data: one JSON file per use of a fixture, for the report and pruning (off: none written). */
    @Parameter(property = "harp.usageDir", defaultValue = "${project.build.directory}/harp")
    String usageDir;

    private final MavenProject project;
    private final MavenSession session;

    /**
     * @param project the project whose proxy is stopped
     * @param session the build session (command-line properties)
     */
    @Inject
    public StopMojo(MavenProject project, MavenSession session) {
        this.project = project;
        this.session = session;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        String skipped = Skips.reason(skip, session, project);
        if (skipped != null) {
            getLog().info("Harp: skipped (" + skipped + ")");
            return;
        }
        String proxyId = StartMojo.checkedId(id);
        @SuppressWarnings("unchecked")
        Map<Object, Object> context = getPluginContext();
        Object found = context.remove(RunningProxy.contextKey(proxyId));
        RunningProxy proxy = found instanceof RunningProxy p ? p : null;
        RunningProxy.Outcome outcome = proxy == null ? null : proxy.stop();
        if (outcome == null) {
            getLog().info("Harp: no Harp proxy running with id '" + proxyId + "' for " + project.getId()
                    + " (nothing to stop)");
            return;
        }
        ProxyReport report = new ProxyReport(proxy, outcome);
        getLog().info(report.line());
        try {
            Path summary = report.writeSummary("harp:stop");
            getLog().info("Harp summary: " + summary);
        } catch (IOException e) {
            getLog().warn("Harp could not write its summary under " + proxy.directory() + ": " + e.getMessage());
        }
        // the selection (-Dit.test=OrderIT) keeps pruning off entries other tests need; Failsafe's summary says whether
        // the tests passed (Failsafe itself fails the build only at verify, after this goal)
        UsageData.write(getLog(), usageDir, project.getBasedir().toPath(), proxy.usage(), proxy.harp(), proxy.user(),
                proxy.executionId(), proxy.testOutcome(), proxy.selection());
        StringBuilder failure = new StringBuilder();
        if (!outcome.misses().isEmpty()) {
            if (failOnMiss) {
                failure.append(report.misses());
            } else {
                getLog().warn(report.misses());
            }
        }
        if (!outcome.unused().isEmpty()) {
            if (failOnUnused) {
                failure.append(failure.length() > 0 ? "\n\n" : "").append(report.unused());
            } else {
                getLog().info(report.unused());
            }
        }
        if (failure.length() > 0) {
            throw new MojoFailureException(failure.toString());
        }
    }
}
