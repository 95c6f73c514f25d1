package dev.harp.integration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarReader;
import dev.harp.replay.HarReplay;
import dev.harp.replay.MatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static dev.harp.integration.HandMadeHar.content;
import static dev.harp.integration.HandMadeHar.header;
import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.send;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile HARs in replay: side files that leave the HAR's folder through a symbolic link, that are no regular file
 * (a FIFO, a link to {@code /dev/zero}) or larger than the capture limit are refused, compressed bodies decode only up
 * to the capture limit, Playwright's request side files ({@code postData._file}) are read under the same rules, and
 * the load summary says why each entry was skipped.
 */
@Timeout(60)
class HostileHarReplayTest {
    @TempDir
    Path dir;

    private Path folder() throws Exception {
        return Files.createDirectories(dir.resolve("fixtures"));
    }

    private HarpServer replay(HandMadeHar har, long captureLimit) throws Exception {
        return Proxied.harp(Mode.REPLAY, har.write(folder().resolve("hostile.har"))).captureLimit(captureLimit).start();
    }

    private static ObjectNode sideFile(HandMadeHar h, String url, String file) {
        return content(h.entry("GET", url, 200, "text/plain", null)).put("_file", file);
    }

    @Test
    void aSideFileLinkedOutOfTheHarsFolderIsRefused() throws Exception {
        Path folder = folder();
        Files.writeString(dir.resolve("secret.txt"), "outside the fixtures");
        Files.createDirectories(folder.resolve("sub"));
        Files.createSymbolicLink(folder.resolve("sub/link.txt"), dir.resolve("secret.txt"));
        Files.writeString(folder.resolve("inside.txt"), "inside the fixtures");
        Files.createSymbolicLink(folder.resolve("sub/inside-link.txt"), folder.resolve("inside.txt"));
        HandMadeHar h = new HandMadeHar();
        sideFile(h, "http://side.test/out", "sub/link.txt");
        sideFile(h, "http://side.test/in", "sub/inside-link.txt");
        try (HarpServer harp = replay(h, 16 << 20)) {
            HttpClient c = Proxied.client(harp);
            assertThat(text(get(c, "http://side.test/in"))).isEqualTo("inside the fixtures");
            assertThat(get(c, "http://side.test/out").statusCode()).isEqualTo(502);
            assertThat(text(get(c, "http://side.test/out"))).doesNotContain("outside the fixtures");
            assertThat(harp.replaySummary().entries()).isEqualTo(1);
        }
    }

    @Test
    void aFifoOrALinkToADeviceIsRefusedWithoutHangingTheLoad() throws Exception {
        Path folder = folder();
        Path fifo = folder.resolve("body.fifo");
        ChildProcess.Result mkfifo = ChildProcess.run(List.of("mkfifo", fifo.toString()), dir, Map.of(),
                Duration.ofSeconds(10));
        assertThat(mkfifo.exit()).as(mkfifo.both()).isZero();
        Files.createSymbolicLink(folder.resolve("zeros.bin"), Path.of("/dev/zero"));
        HandMadeHar h = new HandMadeHar();
        sideFile(h, "http://side.test/fifo", "body.fifo");
        sideFile(h, "http://side.test/zeros", "zeros.bin");
        h.entry("GET", "http://side.test/ok", 200, "text/plain", "fine");
        HarReplay replay = HarReplay.load(h.write(folder.resolve("devices.har")), MatchOptions.defaults());
        assertThat(replay.skipped()).isEqualTo(2);
        assertThat(replay.skippedReasons()).isEqualTo("2 refused or missing side files");
    }

    @Test
    void sideFilesAreReadUpToTheCaptureLimit() throws Exception {
        Path folder = folder();
        Files.write(folder.resolve("small.bin"), new byte[1024]);
        Files.write(folder.resolve("large.bin"), new byte[1025]);
        HandMadeHar h = new HandMadeHar();
        sideFile(h, "http://side.test/small", "small.bin");
        sideFile(h, "http://side.test/large", "large.bin");
        try (HarpServer harp = replay(h, 1024)) {
            HttpClient c = Proxied.client(harp);
            assertThat(get(c, "http://side.test/small").body()).hasSize(1024);
            assertThat(get(c, "http://side.test/large").statusCode()).isEqualTo(502);
            assertThat(harp.replaySummary().entries()).isEqualTo(1);
        }
    }

    @Test
    void aDecompressionBombIsRefusedAndSmallCompressedBodiesStillDecode() throws Exception {
        HandMadeHar h = new HandMadeHar();
        ObjectNode bomb = h.entry("GET", "http://bomb.test/zeros", 200, "application/octet-stream",
                Base64.getEncoder().encodeToString(gzip(new byte[64 << 20])));
        content(bomb).put("encoding", "base64");
        header(bomb, "response", "Content-Encoding", "gzip");
        ObjectNode small = h.entry("GET", "http://bomb.test/small", 200, "text/plain",
                Base64.getEncoder().encodeToString(gzip("small and compressed".getBytes(StandardCharsets.UTF_8))));
        content(small).put("encoding", "base64");
        header(small, "response", "Content-Encoding", "gzip");
        Path file = h.write(folder().resolve("bomb.har"));
        assertThat(Files.size(file)).isLessThan(200_000);
        HarReplay replay = HarReplay.load(file, MatchOptions.defaults(), 16 << 20);
        assertThat(replay.skippedReasons()).isEqualTo("1 body over the capture limit");
        try (HarpServer harp = replay(h, 16 << 20)) {
            HttpClient c = Proxied.client(harp);
            assertThat(text(get(c, "http://bomb.test/small"))).isEqualTo("small and compressed");
            assertThat(get(c, "http://bomb.test/zeros").statusCode()).isEqualTo(502);
        }
    }

    @Test
    void playwrightRequestBodiesInSideFilesMatch() throws Exception {
        Path folder = folder();
        Files.writeString(folder.resolve("0a1b2c.json"), "{\"query\": \"hello\"}");
        Files.writeString(dir.resolve("elsewhere.json"), "{\"query\": \"outside\"}");
        Files.createSymbolicLink(folder.resolve("9f8e7d.json"), dir.resolve("elsewhere.json"));
        HandMadeHar h = new HandMadeHar();
        ObjectNode search = h.entry("POST", "http://pw.test/search", 200, "application/json", "{\"found\": 1}");
        ((ObjectNode) search.get("request")).putObject("postData").put("mimeType", "application/json")
                .put("_file", "0a1b2c.json");
        header(search, "request", "Content-Type", "application/json");
        ObjectNode linked = h.entry("POST", "http://pw.test/linked", 200, "application/json", "{\"found\": 2}");
        ((ObjectNode) linked.get("request")).putObject("postData").put("mimeType", "application/json")
                .put("_file", "9f8e7d.json");
        try (HarpServer harp = replay(h, 16 << 20)) {
            HttpClient c = Proxied.client(harp);
            byte[] body = "{\"query\": \"hello\"}".getBytes(StandardCharsets.UTF_8);
            assertThat(text(send(c, "POST", "http://pw.test/search", body, "Content-Type", "application/json")))
                    .isEqualTo("{\"found\": 1}");
            assertThat(send(c, "POST", "http://pw.test/search", "{\"query\": \"other\"}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json").statusCode()).isEqualTo(502);
            assertThat(harp.replaySummary().entries()).as("the linked request side file is refused").isEqualTo(1);
        }
    }

    @Test
    void theSkipSummarySaysWhyEachEntryWasSkipped() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "http://why.test/failed", 0, null, null);
        h.entry("GET", "http://why.test/failed-too", -1, null, null);
        h.entry("CONNECT", "https://why.test:443", 200, null, null);
        content(h.entry("GET", "http://why.test/b64", 200, "image/png", "not *base64*")).put("encoding", "base64");
        sideFile(h, "http://why.test/missing", "missing.txt");
        sideFile(h, "http://why.test/escape", "../escape.txt");
        h.entry("GET", "http://why.test/ok", 200, "text/plain", "ok");
        Path file = h.write(folder().resolve("why.har"));
        HarReplay replay = HarReplay.of(file, HarReader.read(file), MatchOptions.defaults());
        assertThat(replay.skipped()).isEqualTo(6);
        assertThat(replay.skippedReasons()).isEqualTo(
                "2 failed requests, 1 CONNECT record, 2 refused or missing side files, 1 bad base64 body");
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }
}
