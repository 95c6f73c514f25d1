package dev.harp.replay;

import dev.harp.har.Har;
import dev.harp.har.HarReader;
import dev.harp.lint.LintHars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.harp.lint.LintHars.TEXT_OK;
import static dev.harp.lint.LintHars.entry;
import static dev.harp.lint.LintHars.get;
import static dev.harp.lint.LintHars.har;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link HarReplay#skippedEntries} says exactly what loading the HAR for replay skips, and why. */
class SkippedEntriesTest {
    @TempDir
    Path dir;

    @Test
    void theEntriesReportedAreTheEntriesReplaySkips() throws Exception {
        Path file = Files.writeString(dir.resolve("mixed.har"), har(
                get("https://api.test/served"),
                entry("GET", "https://api.test/gone", "", "", 0, "", TEXT_OK),
                entry("GET", "https://api.test/b64", "", "", 200, "",
                        "{\"size\":4,\"mimeType\":\"image/png\",\"encoding\":\"base64\",\"text\":\"*not base64*\"}"),
                entry("GET", "https://api.test/side", "", "", 200, "",
                        "{\"size\":2,\"mimeType\":\"text/plain\",\"_file\":\"../out.bin\"}"),
                entry("GET", "https://api.test/bomb", "", "", 200, LintHars.header("Content-Encoding", "gzip"),
                        "{\"size\":4096,\"mimeType\":\"text/plain\",\"encoding\":\"base64\",\"text\":\""
                                + LintHars.gzipBase64(new byte[4096]) + "\"}"),
                get("https://api.test/served-too")));
        Har har = HarReader.read(file);

        var skipped = HarReplay.skippedEntries(file, har, 1024);
        HarReplay replay = HarReplay.of(file, har, MatchOptions.defaults(), 1024);

        assertThat(skipped).extracting(SkippedEntry::index).containsExactly(1, 2, 3, 4);
        assertThat(skipped).extracting(SkippedEntry::cause).containsExactly(SkippedEntry.Cause.NEVER_SERVED,
                SkippedEntry.Cause.UNDECODABLE_BODY, SkippedEntry.Cause.SIDE_FILE, SkippedEntry.Cause.UNDECODABLE_BODY);
        assertThat(skipped.get(0).message()).isEqualTo("a failed request (status 0)");
        assertThat(replay.skipped()).isEqualTo(skipped.size());
        assertThat(replay.skippedReasons()).isEqualTo("1 failed request, 1 refused or missing side file, "
                + "1 bad base64 body, 1 body over the capture limit");
        assertThat(replay.summary().entries()).isEqualTo(2);
    }
}
