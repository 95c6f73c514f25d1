package dev.harp.drift;

import dev.harp.har.HarFormatException;
import dev.harp.drift.Change.Kind;
import dev.harp.drift.Change.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static dev.harp.lint.LintHars.entry;
import static dev.harp.lint.LintHars.har;
import static dev.harp.lint.LintHars.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Two hand-made recordings compared: pairing, headers, bodies of every kind, folders, and bad input. */
class HarDriftTest {
    @TempDir
    Path dir;

    private static String text(String body) {
        return "{\"size\":" + body.length() + ",\"mimeType\":\"text/plain\",\"text\":\"" + body + "\"}";
    }

    private static String json(String body) {
        return "{\"size\":1,\"mimeType\":\"application/json\",\"text\":\"" + body.replace("\"", "\\\"") + "\"}";
    }

    private static String post(String url, String body, String responseBody) {
        return entry("POST", url, "", "\"postData\":{\"mimeType\":\"text/plain\",\"text\":\"" + body + "\"},", 200, "",
                text(responseBody));
    }

    private Path write(String name, String... entries) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, har(entries));
    }

    @Test
    void repeatedRequestsPairInOrderAndRequestsOnOneSideAreAddedOrRemoved() throws IOException {
        Path before = write("old.har", post("https://api.test/a", "q", "one"), post("https://api.test/a", "q", "two"),
                entry("GET", "https://api.test/gone", "", "", 200, "", text("x")));
        Path after = write("new.har", post("https://api.test/a", "q", "one"), post("https://api.test/a", "q", "two"),
                post("https://api.test/a", "q", "three"), entry("GET", "https://api.test/new", "", "", 200, "", text("y")));

        DriftReport report = HarDrift.compare(before, after);

        assertThat(report.drift()).extracting(RequestDrift::title).containsExactly(
                "new.har: GET https://api.test/gone: only in OLD (entry #3)",
                "new.har: POST https://api.test/a: only in NEW (entry #3)",
                "new.har: GET https://api.test/new: only in NEW (entry #4)");
        assertThat(report.requests()).isEqualTo(2);
        assertThat(report.hasDrift()).isTrue();
        assertThat(report.summary()).isEqualTo(
                "Harp compared 1 file, 2 requests: drift in 3 requests (2 requests added, 1 request removed)");
    }

    @Test
    void requestsDifferingInBodyDoNotPair() throws IOException {
        Path before = write("old.har", post("https://api.test/a", "q=1", "r"));
        Path after = write("new.har", post("https://api.test/a", "q=2", "r"));

        assertThat(HarDrift.compare(before, after).drift()).extracting(RequestDrift::removed, RequestDrift::added)
                .containsExactly(tuple(true, false), tuple(false, true));
    }

    @Test
    void cacheBustersAndOtherMomentsInTheQueryDoNotKeepRequestsApart() throws IOException {
        Path before = write("old.har", entry("GET", "https://api.test/w?city=Oslo&_ts=1796622930745", "", "", 200, "", text("a")),
                entry("GET", "https://api.test/w?city=Rome&since=2026-12-06", "", "", 200, "", text("b")));
        Path after = write("new.har", entry("GET", "https://api.test/w?city=Oslo&_ts=1796709330123", "", "", 200, "", text("a")),
                entry("GET", "https://api.test/w?city=Lima&since=2026-12-07", "", "", 200, "", text("b")));

        DriftReport report = HarDrift.compare(before, after);
        assertThat(report.requests()).isEqualTo(1);
        assertThat(report.drift()).extracting(RequestDrift::url).containsExactly(
                "https://api.test/w?city=Rome&since=2026-12-06", "https://api.test/w?city=Lima&since=2026-12-07");

        DriftReport strict = HarDrift.compare(before, after, DriftOptions.builder().timestamps(true).build());
        assertThat(strict.requests()).isZero();
    }

    @Test
    void ignoredJsonPathsAlsoLeaveRequestBodyPartsOutOfPairing() throws IOException {
        String oldBody = "\"postData\":{\"mimeType\":\"application/json\",\"text\":\"{\\\"q\\\":1,\\\"nonce\\\":\\\"a1\\\"}\"},";
        String newBody = oldBody.replace("a1", "b2");
        Path before = write("old.har", entry("POST", "https://api.test/s", "", oldBody, 200, "", json("{\"n\":\"a1\"}")));
        Path after = write("new.har", entry("POST", "https://api.test/s", "", newBody, 200, "", json("{\"n\":\"b2\"}")));

        assertThat(HarDrift.compare(before, after).requests()).isZero();
        DriftReport report = HarDrift.compare(before, after, DriftOptions.builder().ignoreJsonPaths("$.nonce", "$.n").build());
        assertThat(report.requests()).isEqualTo(1);
        assertThat(report.drift()).isEmpty();
    }

    @Test
    void headersThatMatterAreComparedAndVolatileOnesAreNot() throws IOException {
        String oldHeaders = String.join(",", header("Content-Type", "application/json"), header("Date", "Mon, 07 Dec 2026 10:00:00 GMT"),
                header("X-Request-Id", "r-1"), header("ETag", "\\\"v1\\\""), header("Cache-Control", "max-age=60"),
                header("Set-Cookie", "sid=REDACTED; Path=/"), header("X-RateLimit-Remaining", "99"),
                header("Location", "/v1/next"));
        String newHeaders = String.join(",", header("content-type", "text/html; charset=utf-8"), header("Date", "Tue, 08 Dec 2026 10:00:00 GMT"),
                header("X-Request-Id", "r-2"), header("ETag", "\\\"v2\\\""), header("Cache-Control", "max-age=30"),
                header("Set-Cookie", "session=REDACTED; Path=/"), header("X-RateLimit-Remaining", "98"),
                header("Location", "/v2/next"), header("Deprecation", "true"));
        Path before = write("old.har", entry("GET", "https://api.test/h", "", "", 200, oldHeaders, text("same")));
        Path after = write("new.har", entry("GET", "https://api.test/h", "", "", 200, newHeaders, text("same")));

        List<Change> changes = HarDrift.compare(before, after).drift().get(0).changes();

        assertThat(changes).extracting(Change::severity, Change::kind, Change::where).containsExactly(
                tuple(Severity.CHANGED, Kind.HEADER_CHANGED, "header Cache-Control"),
                tuple(Severity.BREAKING, Kind.HEADER_CHANGED, "header content-type"),
                tuple(Severity.BREAKING, Kind.HEADER_ADDED, "header Deprecation"),
                tuple(Severity.BREAKING, Kind.HEADER_CHANGED, "header Location"),
                tuple(Severity.BREAKING, Kind.HEADER_CHANGED, "header Set-Cookie"));
        assertThat(changes.get(4).before()).isEqualTo("sid=...");
        assertThat(changes.get(4).after()).isEqualTo("session=...");
    }

    @Test
    void aCharsetAloneInContentTypeIsAValueChange() throws IOException {
        Path before = write("old.har", entry("GET", "https://api.test/c", "", "", 200,
                header("Content-Type", "text/plain"), text("same")));
        Path after = write("new.har", entry("GET", "https://api.test/c", "", "", 200,
                header("Content-Type", "text/plain; charset=utf-8"), text("same")));

        DriftReport report = HarDrift.compare(before, after);

        assertThat(report.drift().get(0).changes()).extracting(Change::severity).containsExactly(Severity.CHANGED);
        assertThat(report.hasDrift()).isFalse();
        assertThat(report.describe()).isEqualTo("Harp compared 1 file, 1 request: no drift; "
                + "1 value change not counted as drift (option values)");
        DriftReport counted = HarDrift.compare(before, after, DriftOptions.builder().values(true).build());
        assertThat(counted.hasDrift()).isTrue();
        assertThat(counted.describe()).isEqualTo("""
                new.har: GET https://api.test/c (entry #1)
                  changed header Content-Type: text/plain -> text/plain; charset=utf-8
                Harp compared 1 file, 1 request: drift in 1 request (1 value change)""");
    }

    @Test
    void textBodiesShowWhereTheyFirstDifferAndBinaryBodiesTheirHashes() throws IOException {
        byte[] png1 = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
        byte[] png2 = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 3, (byte) 0xff};
        Path before = write("old.har", entry("GET", "https://api.test/t", "", "", 200, "", text("line one\\nline two")),
                entry("GET", "https://api.test/b", "", "", 200, "", binary(png1)));
        Path after = write("new.har", entry("GET", "https://api.test/t", "", "", 200, "", text("line one\\nline 2")),
                entry("GET", "https://api.test/b", "", "", 200, "", binary(png2)));

        DriftReport report = HarDrift.compare(before, after, DriftOptions.builder().values(true).build());

        assertThat(report.drift()).flatExtracting(RequestDrift::changes).extracting(Change::describe).containsExactly(
                "body (text, line 2, column 6): \"two\" -> \"2\"",
                "body (bytes): 8 bytes, sha256 " + sha(png1) + " -> 8 bytes, sha256 " + sha(png2));
    }

    @Test
    void aBodyThatStopsBeingJsonIsBreaking() throws IOException {
        Path before = write("old.har", entry("GET", "https://api.test/j", "", "", 200, "", json("{\"a\":1}")));
        Path after = write("new.har", entry("GET", "https://api.test/j", "", "", 200, "", text("<html>oops</html>")));

        assertThat(HarDrift.compare(before, after).drift().get(0).changes()).containsExactly(
                new Change(Severity.BREAKING, Kind.BODY_CHANGED, "body", "JSON object", "text (17 bytes)"));
    }

    @Test
    void compressedAndBase64BodiesAreComparedDecoded() throws IOException {
        String gzip = dev.harp.lint.LintHars.gzipBase64("{\"a\":1,\"b\":2}".getBytes());
        Path before = write("old.har", entry("GET", "https://api.test/z", "", "", 200, header("Content-Encoding", "gzip"),
                "{\"size\":13,\"mimeType\":\"application/json\",\"encoding\":\"base64\",\"text\":\"" + gzip + "\"}"));
        Path after = write("new.har", entry("GET", "https://api.test/z", "", "", 200, "", json("{\"b\":2}")));

        assertThat(HarDrift.compare(before, after).drift().get(0).changes()).extracting(Change::kind, Change::where)
                .contains(tuple(Kind.MEMBER_REMOVED, "$.a"));
    }

    @Test
    void aBodyNestedDeeperThanTheParsersBoundIsComparedAsText() throws IOException {
        String deep = "[".repeat(5000) + "1" + "]".repeat(5000);
        Path before = write("old.har", entry("GET", "https://api.test/d", "", "", 200, "", text(deep)));
        Path after = write("new.har", entry("GET", "https://api.test/d", "", "", 200, "", text(deep.replace("1", "2"))));

        assertThat(HarDrift.compare(before, after, DriftOptions.builder().values(true).build()).drift().get(0).changes())
                .extracting(Change::describe).containsExactly("body (text, line 1, column 5001): \"1" + "]".repeat(29)
                        + "...\" -> \"2" + "]".repeat(29) + "...\"");
    }

    @Test
    void foldersArePairedByRelativePathAndFilesOnOneSideReported() throws IOException {
        write("old/a.har", entry("GET", "https://api.test/a", "", "", 200, "", json("{\"a\":1}")));
        write("old/sub/b.har", entry("GET", "https://api.test/b", "", "", 200, "", text("b")));
        write("old/gone.har", entry("GET", "https://api.test/g", "", "", 200, "", text("g")));
        write("new/a.har", entry("GET", "https://api.test/a", "", "", 200, "", json("{\"a\":\"1\"}")));
        write("new/sub/b.har", entry("GET", "https://api.test/b", "", "", 200, "", text("b")));
        write("new/fresh.har", entry("GET", "https://api.test/f", "", "", 200, "", text("f")));

        DriftReport report = HarDrift.compare(dir.resolve("old"), dir.resolve("new"));

        assertThat(report.files()).isEqualTo(2);
        assertThat(report.onlyInOld()).containsExactly("gone.har");
        assertThat(report.onlyInNew()).containsExactly("fresh.har");
        assertThat(report.describe()).isEqualTo("""
                a.har: GET https://api.test/a (entry #1)
                  breaking $.a: type changed, number 1 -> string "1"
                gone.har: only in OLD
                fresh.har: only in NEW
                Harp compared 2 files, 2 requests: drift in 1 request (1 breaking change, 2 files on one side only)""");
    }

    @Test
    void entriesThatCannotBeComparedAreNotedAndFailedRequestsCountAsRemoved() throws IOException {
        Path before = write("old.har", entry("GET", "https://api.test/a", "", "", 200, "", text("a")));
        Path after = write("new.har", entry("GET", "https://api.test/a", "", "", 0, "", text("")));

        DriftReport report = HarDrift.compare(before, after);

        assertThat(report.notes()).containsExactly("new.har (NEW): entry #1 not compared: a failed request (status 0)");
        assertThat(report.drift()).extracting(RequestDrift::removed).containsExactly(true);
    }

    @Test
    void aMalformedHarIsAnErrorNamingFileLineAndColumn() throws IOException {
        Path good = write("good.har", entry("GET", "https://api.test/a", "", "", 200, "", text("a")));
        Path bad = Files.writeString(dir.resolve("bad.har"), "{\"log\":{\"entries\":[\n{\"request\": nope");

        assertThatThrownBy(() -> HarDrift.compare(good, bad)).isInstanceOf(HarFormatException.class)
                .hasMessageStartingWith(bad + ":2:");
    }

    @Test
    void aHarCutShortIsReportedAndLeftByteForByteUnchanged() throws IOException {
        Path good = write("good.har", entry("GET", "https://api.test/a", "", "", 200, "", text("a")));
        // a recording in Harp's own layout cut off inside its last entry: what a killed recorder leaves behind, and
        // exactly what HarRepair would truncate in place
        Path two = write("two.har", entry("GET", "https://api.test/a", "", "", 200, "", text("a")),
                entry("GET", "https://api.test/b", "", "", 200, "", text("b")));
        byte[] whole = dev.harp.har.HarWriter.toJson(dev.harp.har.HarReader.read(two))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path cut = Files.write(dir.resolve("cut.har"), java.util.Arrays.copyOf(whole, whole.length * 3 / 4));
        byte[] before = Files.readAllBytes(cut);

        assertThatThrownBy(() -> HarDrift.compare(good, cut)).isInstanceOf(HarFormatException.class)
                .hasMessageMatching(java.util.regex.Pattern.quote(cut.toString()) + ":\\d+:\\d+: (?s).*");
        assertThatThrownBy(() -> HarDrift.compare(cut, good)).isInstanceOf(HarFormatException.class);
        assertThat(Files.readAllBytes(cut)).as("diff never repairs in place").isEqualTo(before);
    }

    @Test
    void missingPathsAndAFolderAgainstAFileAreErrors() throws IOException {
        Path good = write("good.har", entry("GET", "https://api.test/a", "", "", 200, "", text("a")));

        assertThatThrownBy(() -> HarDrift.compare(good, dir.resolve("none.har"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("none.har");
        assertThatThrownBy(() -> HarDrift.compare(dir, good)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot compare a folder with a file");
        assertThatThrownBy(() -> DriftOptions.builder().ignoreJsonPaths("items")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid JSON path 'items'");
    }

    private static String binary(byte[] bytes) {
        return "{\"size\":" + bytes.length + ",\"mimeType\":\"image/png\",\"encoding\":\"base64\",\"text\":\""
                + Base64.getEncoder().encodeToString(bytes) + "\"}";
    }

    private static String sha(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
