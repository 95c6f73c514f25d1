package dev.harp.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code harp:diff} run in this JVM as Maven runs it, on two fixture folders written here: it prints the drift,
 * fails the build only with {@code failOnDrift}, writes the JSON report when asked, and names a malformed file.
 */
class DiffMojoTest {
    @TempDir
    Path dir;

    private final List<String> logged = new ArrayList<>();

    /** Keeps what the goal logs, level first, instead of printing it. */
    private final SystemStreamLog log = new SystemStreamLog() {
        @Override
        public void info(CharSequence content) {
            logged.add("INFO " + content);
        }

        @Override
        public void warn(CharSequence content) {
            logged.add("WARN " + content);
        }

        @Override
        public void error(CharSequence content) {
            logged.add("ERROR " + content);
        }
    };

    private static String har(String url, int status, String json) {
        return """
                {"log":{"version":"1.2","creator":{"name":"Harp","version":"1"},"entries":[
                {"startedDateTime":"2026-01-01T00:00:00Z","time":1,
                 "request":{"method":"GET","url":"%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                   "queryString":[],"headersSize":-1,"bodySize":-1},
                 "response":{"status":%d,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                   "content":{"size":1,"mimeType":"application/json","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},
                 "cache":{},"timings":{"send":0,"wait":0,"receive":0}}
                ]}}
                """.formatted(url, status, json.replace("\"", "\\\""));
    }

    private void fixtures(String folder, int status, String json) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder).resolve("harp"));
        Files.writeString(d.resolve("api.har"), har("https://api.test/user", status, json));
    }

    private DiffMojo diff() {
        DiffMojo mojo = new DiffMojo();
        mojo.setLog(log);
        mojo.oldRecording = dir.resolve("old").toFile();
        mojo.newRecording = dir.resolve("new").toFile();
        return mojo;
    }

    @Test
    void driftIsPrintedAsWarningsAndDoesNotFailByDefault() throws Exception {
        fixtures("old", 200, "{\"name\":\"Ada\",\"nick\":\"ada\"}");
        fixtures("new", 200, "{\"name\":\"Ada\"}");

        diff().execute();

        assertThat(logged).containsExactly(
                "WARN harp/api.har: GET https://api.test/user (entry #1)",
                "WARN   breaking $.nick: member removed (was string \"ada\")",
                "WARN Harp compared 1 file, 1 request: drift in 1 request (1 breaking change)");
    }

    @Test
    void failOnDriftFailsTheBuildAndTheJsonReportIsWritten() throws Exception {
        fixtures("old", 200, "{\"name\":\"Ada\"}");
        fixtures("new", 500, "{\"name\":\"Ada\"}");
        DiffMojo mojo = diff();
        mojo.failOnDrift = true;
        mojo.jsonFile = dir.resolve("target/harp/drift.json").toFile();

        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
                .hasMessage("Harp compared 1 file, 1 request: drift in 1 request (1 breaking change) "
                        + "(-Dharp.failOnDrift=false only prints it)");
        assertThat(logged).containsExactly("ERROR harp/api.har: GET https://api.test/user (entry #1)",
                "ERROR   breaking status: 200 -> 500");
        assertThat(Files.readString(dir.resolve("target/harp/drift.json"))).contains("\"drift\" : true",
                "\"kind\" : \"status\"");
    }

    @Test
    void valueChangesCountOnlyWhenAskedAndNoDriftPasses() throws Exception {
        fixtures("old", 200, "{\"name\":\"Ada\",\"seen\":\"2026-01-01T00:00:00Z\"}");
        fixtures("new", 200, "{\"name\":\"Bob\",\"seen\":\"2026-12-07T23:00:00Z\"}");
        DiffMojo mojo = diff();
        mojo.failOnDrift = true;

        mojo.execute();
        assertThat(logged).containsExactly("INFO Harp compared 1 file, 1 request: no drift; "
                + "1 value change not counted as drift (option values)");

        mojo.values = true;
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class);
        assertThat(logged).contains("ERROR   changed $.name: \"Ada\" -> \"Bob\"");
    }

    @Test
    void theGoalNeedsNoProjectAndIsBoundToNoPhase() throws Exception {
        org.w3c.dom.Document descriptor = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("target/classes/META-INF/maven/plugin.xml").toFile());
        org.w3c.dom.NodeList mojos = descriptor.getElementsByTagName("mojo");
        org.w3c.dom.Element diff = null;
        for (int m = 0; m < mojos.getLength(); m++) {
            org.w3c.dom.Element mojo = (org.w3c.dom.Element) mojos.item(m);
            if (mojo.getElementsByTagName("goal").item(0).getTextContent().trim().equals("diff")) {
                diff = mojo;
            }
        }
        assertThat(diff).as("harp:diff in the descriptor").isNotNull();
        assertThat(diff.getElementsByTagName("requiresProject").item(0).getTextContent().trim()).isEqualTo("false");
        assertThat(diff.getElementsByTagName("phase").getLength()).isZero();
    }

    @Test
    void aMalformedFixtureStopsTheGoalNamingFileLineAndColumn() throws Exception {
        fixtures("old", 200, "{}");
        Files.createDirectories(dir.resolve("new/harp"));
        Files.writeString(dir.resolve("new/harp/api.har"), "{\"log\":{\"entries\":[\n{\"request\": nope");

        assertThatThrownBy(diff()::execute).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining(dir.resolve("new/harp/api.har") + ":2:");
    }
}
