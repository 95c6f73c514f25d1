package dev.harp.lint;

import dev.harp.lint.LintFinding.Kind;
import dev.harp.record.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.harp.lint.LintHars.JWT;
import static dev.harp.lint.LintHars.TEXT_OK;
import static dev.harp.lint.LintHars.entry;
import static dev.harp.lint.LintHars.get;
import static dev.harp.lint.LintHars.har;
import static dev.harp.lint.LintHars.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fixture lint on real files: parse errors, secrets, and what replay would skip, checked one kind at a time. */
public class FixtureLintTest {
    private static final String TOKEN = "tok-planted-123";
    private static final String PASSWORD = "pw-planted-456";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private LintReport lint(Path what) throws Exception {
        return FixtureLint.builder().relativeTo(dir).build().lint(what);
    }

    private static List<String> lines(LintReport report) {
        return report.findings().stream().map(LintFinding::toString).toList();
    }

    /** A HAR with a token in a query, a password in a JSON body and a JWT in a header, one per entry. */
    public static String leaky() {
        return har(
                get("https://api.test/items?token=" + TOKEN + "&page=1"),
                entry("POST", "https://api.test/login", header("Content-Type", "application/json"),
                        "\"postData\":{\"mimeType\":\"application/json\",\"text\":\"{\\\"user\\\":\\\"ann\\\",\\\"password\\\":\\\""
                                + PASSWORD + "\\\"}\"},", 200, "", TEXT_OK),
                entry("GET", "https://api.test/me", header("X-Trace", JWT), "", 200, "", TEXT_OK));
    }

    @Test
    void cleanFixturesGiveNoFindings() throws Exception {
        write("fixtures/a.har", har(get("https://api.test/a?token=REDACTED"),
                entry("GET", "https://api.test/b", header("Authorization", "REDACTED"), "", 200,
                        header("Content-Type", "image/png"), "{\"size\":3,\"mimeType\":\"image/png\",\"encoding\":\"base64\",\"text\":\""
                                + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\"}")));
        write("fixtures/sub/b.har", har(entry("GET", "https://api.test/z", "", "", 200, header("Content-Encoding", "gzip"),
                "{\"size\":2,\"mimeType\":\"text/plain\",\"encoding\":\"base64\",\"text\":\""
                        + LintHars.gzipBase64("ok".getBytes(StandardCharsets.UTF_8)) + "\"}")));
        write("fixtures/notes.txt", "not a HAR, not read");

        LintReport report = lint(dir.resolve("fixtures"));

        assertThat(lines(report)).isEmpty();
        assertThat(report.isClean()).isTrue();
        assertThat(report.filesChecked()).isEqualTo(2);
        assertThat(report.summary()).isEqualTo("Harp checked 2 files: 0 findings");
    }

    @Test
    void aBrokenFileAndPlantedSecretsGiveExactlyTheirFindingsAndNoValues() throws Exception {
        write("fixtures/broken.har", "{\"log\":{\"version\":\"1.2\",\"entries\":[\n{\"request\":{\"method\":\"GET\",");
        write("fixtures/leaky.har", leaky());

        LintReport report = lint(dir.resolve("fixtures"));

        assertThat(lines(report)).containsExactly(
                "fixtures/broken.har:2:28: unexpected end-of-input within/between Object entries inside an entry "
                        + "(log.entries[0].request.method)",
                "fixtures/leaky.har: entry #1: unredacted secret in query parameter token (value under a secret name)",
                "fixtures/leaky.har: entry #2: unredacted secret in request body JSON member $.password (value under a secret name)",
                "fixtures/leaky.har: entry #3: unredacted secret in request header X-Trace (JWT)");
        assertThat(report.findings()).extracting(LintFinding::kind)
                .containsExactly(Kind.MALFORMED, Kind.SECRET, Kind.SECRET, Kind.SECRET);
        assertThat(report.findings().get(0)).extracting(LintFinding::line, LintFinding::column).containsExactly(2, 28);
        assertThat(report.filesChecked()).isEqualTo(2);
        assertThat(report.counts()).isEqualTo(Map.of(Kind.MALFORMED, 1, Kind.SECRET, 3));
        assertThat(report.summary()).isEqualTo("Harp checked 2 files: 4 findings (1 malformed file, 3 secrets)");
        assertThat(String.join("\n", lines(report)) + report.summary())
                .doesNotContain(TOKEN).doesNotContain(PASSWORD).doesNotContain(JWT).doesNotContain("eyJ");
    }

    @Test
    void theRedactionOptionsDecideWhatIsASecret() throws Exception {
        Path file = write("tenant.har", har(entry("GET", "https://api.test/x", header("X-Tenant", "acme"), "", 200, "",
                "{\"size\":20,\"mimeType\":\"application/json\",\"text\":\"{\\\"password\\\":\\\"p\\\"}\"}")));

        assertThat(lines(lint(file))).containsExactly(
                "tenant.har: entry #1: unredacted secret in response body JSON member $.password (value under a secret name)");
        assertThat(lines(FixtureLint.builder().relativeTo(dir).redact(List.of("x-tenant")).keepValues(List.of("password"))
                .build().lint(file)))
                .containsExactly("tenant.har: entry #1: unredacted secret in request header X-Tenant (value under a secret name)");
        assertThat(FixtureLint.builder().redactor(Redactor.off()).build().lint(file).isClean()).isTrue();
    }

    @Test
    void undecodableBodiesAreReportedWithReplaysReason() throws Exception {
        byte[] zeros = new byte[64 * 1024];
        Path file = write("bodies.har", har(
                entry("GET", "https://api.test/b64", "", "", 200, "",
                        "{\"size\":4,\"mimeType\":\"image/png\",\"encoding\":\"base64\",\"text\":\"%%%not base64\"}"),
                entry("GET", "https://api.test/bomb", "", "", 200, header("Content-Encoding", "gzip"),
                        "{\"size\":65536,\"mimeType\":\"text/plain\",\"encoding\":\"base64\",\"text\":\""
                                + LintHars.gzipBase64(zeros) + "\"}"),
                get("https://api.test/fine")));

        LintReport report = FixtureLint.builder().relativeTo(dir).captureLimit(1024).build().lint(file);

        assertThat(report.findings()).extracting(LintFinding::kind).containsExactly(Kind.UNDECODABLE_BODY, Kind.UNDECODABLE_BODY);
        assertThat(lines(report).get(0)).startsWith("bodies.har: entry #1: replay skips it: the response body (content.text) "
                + "is not valid base64: ");
        assertThat(lines(report).get(1)).matches("bodies\\.har: entry #2: replay skips it: the \\d+-byte response body \\(gzip\\) "
                + "decodes to more than 1024 bytes, the capture limit; raise the capture limit to replay it");
        assertThat(FixtureLint.defaults().lint(file).findings()).hasSize(1); // the default limit holds 64 KiB
    }

    @Test
    void entriesReplayCannotServeAreReportedWithReplaysReason() throws Exception {
        Path file = write("unservable.har", har(
                entry("GET", "https://api.test/gone", "", "", 0, "", TEXT_OK),
                entry("GET", "https://api.test/h2c", header("Upgrade", "h2c"), "", 101, "", TEXT_OK),
                entry("CONNECT", "api.test:443", "", "", 200, "", TEXT_OK),
                get("https://api.test/fine")));

        assertThat(lines(lint(file))).containsExactly(
                "unservable.har: entry #1: replay skips it: a failed request (status 0)",
                "unservable.har: entry #2: replay skips it: a protocol upgrade other than WebSocket, which replay does not serve",
                "unservable.har: entry #3: replay skips it: a CONNECT record");
        assertThat(lint(file).summary()).isEqualTo("Harp checked 1 file: 3 findings (3 unservable entries)");
    }

    @Test
    void sideFilesMustExistInsideTheHarsFolder() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("body.bin"), "ok");
        Path folder = Files.createDirectories(dir.resolve("fixtures"));
        Files.writeString(folder.resolve("present.bin"), "ok");
        Files.createSymbolicLink(folder.resolve("linked.bin"), outside);
        String sideFile = "{\"size\":2,\"mimeType\":\"text/plain\",\"_file\":\"%s\"}";
        Path file = write("fixtures/side.har", har(
                entry("GET", "https://api.test/1", "", "", 200, "", sideFile.formatted("present.bin")),
                entry("GET", "https://api.test/2", "", "", 200, "", sideFile.formatted("missing.bin")),
                entry("GET", "https://api.test/3", "", "", 200, "", sideFile.formatted("../elsewhere/body.bin")),
                entry("GET", "https://api.test/4", "", "", 200, "", sideFile.formatted("linked.bin"))));

        LintReport report = lint(file);

        assertThat(report.findings()).extracting(LintFinding::entry).containsExactly(2, 3, 4);
        assertThat(report.findings()).extracting(LintFinding::kind).containsOnly(Kind.SIDE_FILE);
        assertThat(lines(report).get(0)).isEqualTo("fixtures/side.har: entry #2: replay skips it: response body side file "
                + folder.toRealPath().resolve("missing.bin") + " does not exist");
        assertThat(lines(report).get(1)).isEqualTo("fixtures/side.har: entry #3: replay skips it: response body side file "
                + "../elsewhere/body.bin lies outside the HAR's folder");
        assertThat(lines(report).get(2)).startsWith("fixtures/side.har: entry #4: replay skips it: response body side file "
                + "linked.bin is a link to ").endsWith(", outside the HAR's folder");
    }

    @Test
    void linksOutOfTheFolderAreReportedNotRead() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path leakyOutside = Files.writeString(outside.resolve("leaky.har"), leaky());
        Path folder = Files.createDirectories(dir.resolve("fixtures"));
        Path inside = write("fixtures/real.har", har(get("https://api.test/a")));
        Files.createSymbolicLink(folder.resolve("escape.har"), leakyOutside);
        Files.createSymbolicLink(folder.resolve("alias.har"), inside);
        Files.createSymbolicLink(folder.resolve("linked-dir"), outside);

        LintReport report = lint(folder);

        assertThat(lines(report)).containsExactly("fixtures/escape.har: a link to a file outside " + folder + ", not checked");
        assertThat(report.findings().get(0).kind()).isEqualTo(Kind.OUTSIDE_FOLDER);
        assertThat(report.filesChecked()).as("real.har and the link to it inside the folder").isEqualTo(2);
    }

    @Test
    void aFifoNamedLikeAHarIsSkippedNotRead() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fixtures"));
        write("fixtures/ok.har", har(get("https://api.test/a")));
        Process mkfifo = new ProcessBuilder("mkfifo", folder.resolve("pipe.har").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();

        LintReport report = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> lint(folder));

        assertThat(report.isClean()).isTrue();
        assertThat(report.filesChecked()).isEqualTo(1);
    }

    @Test
    void oneHostileFileDoesNotStopTheOthers() throws Exception {
        write("fixtures/a-deep.har", "{\"log\":{\"entries\":[{\"_x\":" + "[".repeat(5000) + "]".repeat(5000) + "}]}}");
        write("fixtures/b-empty.har", "");
        write("fixtures/c-leaky.har", leaky());
        String githubToken = "ghp_" + "A1b2C3d4E5".repeat(4);
        write("fixtures/d-token.har", "{\"log\": " + githubToken + "}");

        LintReport report = lint(dir.resolve("fixtures"));

        assertThat(report.findings()).extracting(f -> f.file().toString() + " " + f.kind()).containsExactly(
                "fixtures/a-deep.har MALFORMED", "fixtures/b-empty.har MALFORMED", "fixtures/c-leaky.har SECRET",
                "fixtures/c-leaky.har SECRET", "fixtures/c-leaky.har SECRET", "fixtures/d-token.har MALFORMED");
        assertThat(lines(report).get(0)).contains("JSON nested deeper than 1000 levels");
        assertThat(lines(report).get(5)).as("the parse error quotes the token, shape hidden")
                .startsWith("fixtures/d-token.har:1:9: unrecognized token ").doesNotContain(githubToken);
        assertThat(report.filesChecked()).isEqualTo(4);
    }

    @Test
    void aMissingPathIsBadInputAndPathsAreReportedAsGivenByDefault() throws Exception {
        assertThatThrownBy(() -> FixtureLint.defaults().lint(dir.resolve("nope")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");
        Path file = write("one.har", har(entry("GET", "https://api.test/gone", "", "", 0, "", TEXT_OK)));
        assertThat(lines(FixtureLint.defaults().lint(file)))
                .containsExactly(file + ": entry #1: replay skips it: a failed request (status 0)");
    }
}
