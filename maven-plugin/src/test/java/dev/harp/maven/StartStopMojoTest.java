package dev.harp.maven;

import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code harp:start} and {@code harp:stop} run in this JVM as Maven runs them (a real project, session and request;
 * a real proxy on an ephemeral loopback port): what is published, what is refused, what is rolled back, and what the
 * backstop stops. The invoker ITs cover the same goals inside real Maven builds.
 */
class StartStopMojoTest {
    @TempDir
    Path dir;

    private MavenProject project;
    private MavenSession session;
    private final Map<Object, Object> pluginContext = new HashMap<>();

    @BeforeEach
    void project() {
        project = new MavenProject();
        project.setGroupId("it.harp");
        project.setArtifactId("unit");
        project.setVersion("1");
        project.setFile(dir.resolve("pom.xml").toFile());
        project.getBuild().setDirectory(dir.resolve("target").toString());
        session = new MavenSession(null, new DefaultRepositorySystemSession(), new DefaultMavenExecutionRequest(),
                new DefaultMavenExecutionResult());
        session.setProjects(java.util.List.of(project));
    }

    @AfterEach
    void sessionEnds() {
        if (session.getRequest().getExecutionListener() != null) {
            session.getRequest().getExecutionListener().sessionEnded(event(null));
        }
    }

    private StartMojo start(String id) {
        StartMojo start = new StartMojo(project, session);
        start.setPluginContext(pluginContext);
        start.mode = "passthrough";
        start.har = dir.resolve("flows.har").toFile();
        start.port = 0;
        start.id = id;
        return start;
    }

    private StopMojo stop(String id) {
        StopMojo stop = new StopMojo(project, session);
        stop.setPluginContext(pluginContext);
        stop.id = id;
        stop.failOnMiss = true;
        return stop;
    }

    @Test
    void startPublishesProjectPropertiesAndStopClosesThePort() throws Exception {
        start("default").execute();
        Properties published = project.getProperties();
        int port = Integer.parseInt(published.getProperty("harp.port"));
        assertThat(port).isPositive();
        assertThat(published.getProperty("harp.host")).isEqualTo("127.0.0.1");
        assertThat(published.getProperty("harp.proxyUrl")).isEqualTo("http://127.0.0.1:" + port);
        assertThat(published.getProperty("harp.argLine")).contains("-Dhttp.proxyPort=" + port,
                "-Dhttps.proxyPort=" + port, "-Dhttp.nonProxyHosts= ", "-Djavax.net.ssl.trustStoreType=PKCS12");
        assertThat(Path.of(published.getProperty("harp.caPem"))).isRegularFile()
                .isEqualTo(dir.resolve("target/harp/default/ca.pem"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(published.getProperty("harp.trustStore")))) {
            trust.load(in, published.getProperty("harp.trustStorePassword").toCharArray());
        }
        assertThat(trust.getCertificate("harp-ca")).isNotNull();
        assertThat(listening(port)).isTrue();

        stop("default").execute();
        assertThat(listening(port)).isFalse();
        assertThat(Files.readString(dir.resolve("target/harp/default/summary.json")))
                .contains("\"mode\": \"passthrough\"", "\"port\": " + port, "\"stoppedBy\": \"harp:stop\"");
        stop("default").execute(); // idempotent: nothing running is an info line
    }

    @Test
    void anotherIdPublishesUnderItsOwnNames() throws Exception {
        start("api").execute();
        int port = Integer.parseInt(project.getProperties().getProperty("harp.api.port"));
        assertThat(project.getProperties()).doesNotContainKey("harp.port");
        assertThat(project.getProperties().getProperty("harp.api.caPem"))
                .isEqualTo(dir.resolve("target/harp/api/ca.pem").toString());
        stop("api").execute();
        assertThat(listening(port)).isFalse();
    }

    @Test
    void aSecondStartWithALiveIdIsRefused() throws Exception {
        start("default").execute();
        int port = Integer.parseInt(project.getProperties().getProperty("harp.port"));
        assertThatThrownBy(() -> start("default").execute()).isInstanceOf(MojoExecutionException.class)
                .hasMessage("Harp: a proxy with id 'default' is already running for it.harp:unit:jar:1 on port " + port
                        + "; run harp:stop first, or give this execution another <id>");
        assertThat(listening(port)).isTrue();
        stop("default").execute();
    }

    @Test
    void aStartThatCannotPublishLeavesNothingListening() throws Exception {
        Files.createDirectories(dir.resolve("target/harp"));
        Files.writeString(dir.resolve("target/harp/default"), "a file where the proxy's folder should go");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StartMojo start = start("default");
        start.port = port;
        assertThatThrownBy(start::execute).isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Harp: cannot publish proxy 'default' (stopped again): ");
        assertThat(listening(port)).isFalse();
        assertThat(project.getProperties()).doesNotContainKey("harp.port");
        stop("default").execute(); // nothing to stop
    }

    @Test
    void theBackstopStopsAProxyWhenItsProjectFails() throws Exception {
        start("default").execute();
        int port = Integer.parseInt(project.getProperties().getProperty("harp.port"));
        assertThat(session.getRequest().getExecutionListener()).isInstanceOf(Backstop.class);
        session.getRequest().getExecutionListener().projectFailed(event(project));
        assertThat(listening(port)).isFalse();
        assertThat(Files.readString(dir.resolve("target/harp/default/summary.json")))
                .contains("\"stoppedBy\": \"backstop\"");
        stop("default").execute(); // what the backstop stopped, harp:stop finds stopped
    }

    @Test
    void skipITsSkipsBothGoals() throws Exception {
        session.getRequest().getUserProperties().setProperty("skipITs", "true");
        start("default").execute();
        assertThat(project.getProperties()).doesNotContainKey("harp.port");
        assertThat(session.getRequest().getExecutionListener()).as("no backstop either").isNull();
        stop("default").execute();
    }

    private static boolean listening(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (ConnectException refused) {
            return false;
        }
    }

    private ExecutionEvent event(MavenProject of) {
        MavenSession current = session;
        return new ExecutionEvent() {
            @Override
            public Type getType() {
                return of == null ? Type.SessionEnded : Type.ProjectFailed;
            }

            @Override
            public MavenSession getSession() {
                return current;
            }

            @Override
            public MavenProject getProject() {
                return of;
            }

            @Override
            public MojoExecution getMojoExecution() {
                return null;
            }

            @Override
            public Exception getException() {
                return null;
            }
        };
    }
}
