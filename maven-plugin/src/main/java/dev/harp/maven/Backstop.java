package dev.harp.maven;

import dev.harp.usage.FixtureUse;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stops proxies that {@code harp:stop} did not: a build that failed between {@code start} and {@code stop}, a
 * {@code mvn integration-test} that ends before {@code post-integration-test}, an interrupted build.
 *
 * <p>Maven tears down the plugin's class realm before JVM shutdown hooks run after a normal end, so a shutdown hook
 * alone is not enough. This listener is chained in front of the session request's {@link ExecutionListener}, which
 * Maven 3.9 reads anew for every event ({@code DefaultExecutionEventCatapult}), and it stops a project's proxies when
 * that project's build ends ({@code projectSucceeded}, {@code projectFailed}) and every proxy left when the session
 * ends ({@code sessionEnded}, fired in a {@code finally}), all while the realm is alive. It needs no
 * {@code <extensions>true</extensions>} from the user. For Ctrl-C a JVM shutdown hook, whose classes are loaded when
 * it is created, stops what is left (the build's thread is still running then, so the realm is still there; the HAR
 * is in any case rewritten atomically, never left half-written).
 *
 * <p>One instance per session and plugin realm, kept in the session's data (never static state).
 */
final class Backstop implements ExecutionListener {
    private static final Logger LOG = LoggerFactory.getLogger(Backstop.class);

    private final ExecutionListener delegate;
    private final List<RunningProxy> proxies = new CopyOnWriteArrayList<>();
    private final Hook hook = new Hook(proxies);

    private Backstop(ExecutionListener delegate) {
        this.delegate = delegate;
    }

    /**
     * The session's backstop, chained in front of its execution listener on first use.
     *
     * @param session the build session
     * @return the backstop proxies are registered with
     */
    static Backstop of(MavenSession session) {
        Object backstop = session.getRepositorySession().getData().computeIfAbsent(Backstop.class, () -> {
            MavenExecutionRequest request = session.getRequest();
            synchronized (request) {
                Backstop created = new Backstop(request.getExecutionListener());
                request.setExecutionListener(created);
                Runtime.getRuntime().addShutdownHook(created.hook);
                return created;
            }
        });
        return (Backstop) backstop;
    }

    /** Stops {@code proxy} at the latest when its project's build, or the session, ends. */
    void register(RunningProxy proxy) {
        proxies.removeIf(p -> !p.running());
        proxies.add(proxy);
    }

    private void stopAll(MavenProject project, String why, FixtureUse.Outcome outcome) {
        Path directory = project == null ? null : directory(project.getBasedir());
        for (RunningProxy proxy : proxies) {
            if (proxy.running() && (directory == null || directory.equals(proxy.projectDirectory()))) {
                stop(proxy, why, outcome);
            }
        }
    }

    private static void stop(RunningProxy proxy, String why, FixtureUse.Outcome usageOutcome) {
        try {
            RunningProxy.Outcome outcome = proxy.stop();
            if (outcome == null) {
                return;
            }
            ProxyReport report = new ProxyReport(proxy, outcome);
            LOG.warn("Harp proxy '{}' of {} was still running when {}; stopped by the backstop. {}", proxy.id(),
                    proxy.project(), why, report.line());
            if (!outcome.misses().isEmpty()) {
                LOG.warn("{}", report.misses());
            }
            try {
                report.writeSummary("backstop");
            } catch (IOException e) {
                LOG.warn("Harp could not write its summary under {}: {}", proxy.directory(), e.getMessage());
            }
            // usage data: a session no harp:stop ended is written too, so pruning knows the HAR was in use
            UsageData.write(LOG::warn, LOG::debug, proxy.usageDir(), proxy.projectDirectory(), proxy.usage(),
                    proxy.harp(), proxy.user(), proxy.executionId(),
                    usageOutcome == FixtureUse.Outcome.UNKNOWN ? proxy.testOutcome() : usageOutcome, proxy.selection());
        } catch (RuntimeException e) {
            LOG.error("Harp proxy '{}' of {} could not be stopped cleanly: {}", proxy.id(), proxy.project(), e.toString());
        }
    }

    static Path directory(File basedir) {
        return basedir == null ? null : basedir.toPath().toAbsolutePath().normalize();
    }

    @Override
    public void projectSucceeded(ExecutionEvent event) {
        if (event.getProject() != null) {
            stopAll(event.getProject(), "the build of " + event.getProject().getId() + " ended without harp:stop "
                    + "(mvn integration-test ends before post-integration-test: run mvn verify)",
                    FixtureUse.Outcome.UNKNOWN);
        }
        delegate(d -> d.projectSucceeded(event));
    }

    @Override
    public void projectFailed(ExecutionEvent event) {
        if (event.getProject() != null) {
            stopAll(event.getProject(), "the build of " + event.getProject().getId() + " failed before harp:stop",
                    FixtureUse.Outcome.FAILED);
        }
        delegate(d -> d.projectFailed(event));
    }

    @Override
    public void sessionEnded(ExecutionEvent event) {
        stopAll(null, "the build ended", FixtureUse.Outcome.FAILED);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run; nothing is left for it to do
        }
        delegate(d -> d.sessionEnded(event));
    }

    private interface Call {
        void on(ExecutionListener listener);
    }

    private void delegate(Call call) {
        if (delegate != null) {
            call.on(delegate);
        }
    }

    @Override
    public void projectDiscoveryStarted(ExecutionEvent event) {
        delegate(d -> d.projectDiscoveryStarted(event));
    }

    @Override
    public void sessionStarted(ExecutionEvent event) {
        delegate(d -> d.sessionStarted(event));
    }

    @Override
    public void projectSkipped(ExecutionEvent event) {
        delegate(d -> d.projectSkipped(event));
    }

    @Override
    public void projectStarted(ExecutionEvent event) {
        delegate(d -> d.projectStarted(event));
    }

    @Override
    public void mojoSkipped(ExecutionEvent event) {
        delegate(d -> d.mojoSkipped(event));
    }

    @Override
    public void mojoStarted(ExecutionEvent event) {
        delegate(d -> d.mojoStarted(event));
    }

    @Override
    public void mojoSucceeded(ExecutionEvent event) {
        delegate(d -> d.mojoSucceeded(event));
    }

    @Override
    public void mojoFailed(ExecutionEvent event) {
        delegate(d -> d.mojoFailed(event));
    }

    @Override
    public void forkStarted(ExecutionEvent event) {
        delegate(d -> d.forkStarted(event));
    }

    @Override
    public void forkSucceeded(ExecutionEvent event) {
        delegate(d -> d.forkSucceeded(event));
    }

    @Override
    public void forkFailed(ExecutionEvent event) {
        delegate(d -> d.forkFailed(event));
    }

    @Override
    public void forkedProjectStarted(ExecutionEvent event) {
        delegate(d -> d.forkedProjectStarted(event));
    }

    @Override
    public void forkedProjectSucceeded(ExecutionEvent event) {
        delegate(d -> d.forkedProjectSucceeded(event));
    }

    @Override
    public void forkedProjectFailed(ExecutionEvent event) {
        delegate(d -> d.forkedProjectFailed(event));
    }

    /**
     * Ctrl-C or a kill: stops what is still running. Loaded (with what it uses beyond the proxy's own close) when the
     * backstop is created, because a class cannot be loaded once Maven has disposed of the plugin's realm.
     */
    private static final class Hook extends Thread {
        /** Loaded with this class: resolving them later could fail once the realm is closed. */
        @SuppressWarnings("unused")
        private static final Class<?>[] PRELOADED = {RunningProxy.class, RunningProxy.Outcome.class};

        private final List<RunningProxy> proxies;

        Hook(List<RunningProxy> proxies) {
            super("harp-maven-shutdown");
            this.proxies = proxies;
        }

        @Override
        public void run() {
            for (RunningProxy proxy : proxies) {
                if (proxy.running()) {
                    try {
                        proxy.stop();
                        System.err.println("[WARNING] Harp proxy '" + proxy.id() + "' of " + proxy.project()
                                + " stopped by the shutdown hook (the build was interrupted); HAR " + proxy.harp().har());
                    } catch (RuntimeException | LinkageError e) {
                        System.err.println("[WARNING] Harp proxy '" + proxy.id() + "' could not be stopped: " + e);
                    }
                }
            }
        }
    }
}
