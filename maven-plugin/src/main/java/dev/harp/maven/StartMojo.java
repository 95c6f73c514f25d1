package dev.harp.maven;

import dev.harp.HarpConfig;
import dev.harp.HarpServer;
import dev.harp.options.Face;
import dev.harp.tls.CertificateAuthority;
import dev.harp.usage.ServerUse;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import javax.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code harp:start}: starts Harp inside Maven's JVM before the integration tests and publishes where it listens and
 * how to trust it as <em>project</em> properties ({@code harp.port}, {@code harp.host}, {@code harp.proxyUrl},
 * {@code harp.caPem}, {@code harp.trustStore}, {@code harp.trustStorePassword}, {@code harp.argLine}; for an
 * {@code id} other than {@code default}, {@code harp.<id>.port} and so on). Failsafe takes them as
 * {@code <argLine>@{harp.argLine}</argLine>} and {@code ${harp.port}} in {@code systemPropertyVariables}.
 * {@code harp:stop} stops it; a backstop stops it if the build ends or fails first.
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class StartMojo extends ProxyMojo {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Port to listen on, 0 for any free port. No {@code -D} property: {@code harp.port} is what this goal publishes. */
    @Parameter(defaultValue = "0")
    Integer port;

    /** Skip harp:start and harp:stop (also skipped by skipITs, skipTests and maven.test.skip). */
    @Parameter(property = "harp.skip", defaultValue = "false")
    boolean skip;

    /** Names the proxy when one project starts several; harp:stop stops the one with its id. */
    @Parameter(property = "harp.id", defaultValue = "default")
    String id;

    private final MavenProject project;
    private final MavenSession session;
    /** This execution (its id names the user in usage data); null when the goal is run outside Maven (tests). */
    @Inject
    MojoExecution execution;

    /**
     * @param project the project the proxy belongs to (its properties receive the published values)
     * @param session the build session (command-line properties, the backstop)
     */
    @Inject
    public StartMojo(MavenProject project, MavenSession session) {
        this.project = project;
        this.session = session;
    }

    @Override
    Integer port() {
        return port;
    }

    @Override
    Face defaultsFace() {
        return Face.MAVEN;
    }

    @Override
    public void execute() throws MojoExecutionException {
        String skipped = Skips.reason(skip, session, project);
        if (skipped != null) {
            getLog().info("Harp: skipped (" + skipped + ")");
            return;
        }
        String proxyId = checkedId(id);
        String key = RunningProxy.contextKey(proxyId);
        @SuppressWarnings("unchecked")
        Map<Object, Object> context = getPluginContext();
        if (context.get(key) instanceof RunningProxy running && running.running()) {
            throw new MojoExecutionException("Harp: a proxy with id '" + proxyId + "' is already running for "
                    + project.getId() + " on port " + running.harp().port() + "; run harp:stop first, or give this "
                    + "execution another <id>");
        }
        Path basedir = project.getBasedir().toPath();
        HarpConfig.Builder builder = configuration(session, System.getenv(), basedir);
        if (caDirectory == null) {
            builder.certificateAuthority(CertificateAuthority.inMemory());
        }
        HarpConfig config = builder.build();
        ServerUse usage = ServerUse.begin(config.har(), config.modeResolution().effective());
        HarpServer harp;
        PluginLogging.routeJbossLoggingToMaven();
        try {
            harp = HarpServer.start(config);
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException("Harp: cannot start proxy '" + proxyId + "': " + e.getMessage(), e);
        }
        Path directory = Path.of(project.getBuild().getDirectory(), "harp", proxyId).toAbsolutePath().normalize();
        usage.opened(harp);
        String executionId = execution != null ? execution.getExecutionId() : proxyId;
        RunningProxy proxy = new RunningProxy(proxyId, project.getId(), Backstop.directory(project.getBasedir()), harp,
                directory, usage, executionId, properties(session).getOrDefault("harp.usageDir",
                Path.of(project.getBuild().getDirectory(), "harp").toString()),
                selection(session),
                Path.of(project.getBuild().getDirectory()).toAbsolutePath().normalize());
        Published published;
        try {
            Backstop.of(session).register(proxy);
            published = Published.write(proxy);
            published.publishTo(project.getProperties());
            context.put(key, proxy);
        } catch (IOException | RuntimeException e) {
            proxy.stop();
            throw new MojoExecutionException("Harp: cannot publish proxy '" + proxyId + "' (stopped again): "
                    + e.getMessage(), e);
        }
        getLog().info("Harp proxy '" + proxyId + "' started: mode " + harp.mode().effective().cliName() + " ("
                + harp.mode().source() + "), HAR " + harp.har() + ", proxy " + published.proxyUrl() + ", CA SHA-256 "
                + harp.certificateAuthority().sha256Fingerprint());
    }

    /** An id names a folder and properties: letters, digits, {@code _ . -}, not starting with a dot. */
    static String checkedId(String id) throws MojoExecutionException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new MojoExecutionException("Harp: <id> '" + id + "' is not valid: use letters, digits, '_', '.' and "
                    + "'-' (at most 64, starting with a letter or digit)");
        }
        return id;
    }
}
