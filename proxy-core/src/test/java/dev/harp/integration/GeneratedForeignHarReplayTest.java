package dev.harp.integration;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.ForeignHar;
import dev.harp.testing.ForeignHars;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's own proof that Harp replays other tools' HAR files: every file {@link ForeignHars} generates in a
 * tool's shape goes through a real Harp in replay mode and a real client, over CONNECT and TLS for https. Two
 * independent expectations are checked: the corpus test's, worked out from the raw JSON
 * ({@link ForeignHarReplayTest#replayWholeFile}), and the generator's, kept from the bytes it started from.
 */
class GeneratedForeignHarReplayTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyGeneratedFileReplays() throws IOException {
        return ForeignHars.all(dir).stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            ForeignHarReplayTest.replayWholeFile(g.file());
            replayTheGeneratorsExpectations(g);
        }));
    }

    private static void replayTheGeneratorsExpectations(ForeignHar.Generated g) throws Exception {
        assertThat(g.expectations()).as(g.name()).isNotEmpty();
        List<String> problems = new ArrayList<>();
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, g.file()).start()) {
            HttpClient c = Proxied.client(harp);
            for (ForeignHar.Expect x : g.expectations()) {
                String what = x.method() + " " + x.url();
                HttpResponse<byte[]> r = x.requestType() == null
                        ? Proxied.send(c, x.method(), x.url(), x.requestBody())
                        : Proxied.send(c, x.method(), x.url(), x.requestBody(), "Content-Type", x.requestType());
                if (r.statusCode() != x.status()) {
                    problems.add(what + ": status " + r.statusCode() + ", expected " + x.status() + " " + text(r));
                    continue;
                }
                if (x.body() != null && !java.util.Arrays.equals(r.body(), x.body())) {
                    problems.add(what + ": body \"" + text(r) + "\" (" + r.body().length + " bytes), expected "
                            + x.body().length + " bytes");
                }
                x.headers().forEach((name, value) -> {
                    var actual = r.headers().firstValue(name);
                    if (value == null ? actual.isPresent() : !actual.equals(java.util.Optional.of(value))) {
                        problems.add(what + ": header " + name + " " + actual + ", expected " + (value == null ? "none" : value));
                    }
                });
                if (r.headers().map().keySet().stream().anyMatch(n -> n.startsWith(":"))) {
                    problems.add(what + ": a pseudo-header was served: " + r.headers().map().keySet());
                }
                boolean hit = x.status() != 502;
                if (hit && r.headers().firstValue("Harp-Miss").isPresent()) {
                    problems.add(what + ": Harp-Miss on a recorded entry");
                }
                if (hit && !x.headers().containsKey("Content-Length") && x.status() != 204 && x.status() != 304
                        && !r.headers().firstValue("Content-Length").equals(java.util.Optional.of(Integer.toString(r.body().length)))) {
                    problems.add(what + ": Content-Length " + r.headers().firstValue("Content-Length") + " for "
                            + r.body().length + " bytes");
                }
            }
        }
        assertThat(problems).as(g.name() + " problems").isEmpty();
    }

    /**
     * Each quirk the README names for other tools' files is in at least one generated file, so dropping a generator
     * or a quirk from it turns this red.
     */
    @Test
    void theGeneratedFilesHoldEveryQuirkTheReadmeNames() throws Exception {
        List<ForeignHar.Generated> all = ForeignHars.all(dir);
        assertThat(all).extracting(g -> ForeignHarReplayTest.readJson(g.file()).get("log").get("creator").get("name").asText())
                .contains("WebInspector", "Firefox", "WebKit Web Inspector", "Playwright", "mitmproxy", "Charles Proxy",
                        "Fiddler", "Polly.JS", "Insomnia REST Client", "WebPagetest", "Firebug");
        List<String> found = new ArrayList<>();
        for (ForeignHar.Generated g : all) {
            byte[] bytes = Files.readAllBytes(g.file());
            if (bytes.length > 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
                found.add("BOM");
            }
            JsonNode log = ForeignHarReplayTest.readJson(g.file()).get("log");
            if (log.has("pages") && log.get("pages").isEmpty()) {
                found.add("empty pages");
            }
            if (!log.has("pages")) {
                found.add("no pages");
            }
            if (!log.get("version").asText().equals("1.2")) {
                found.add("HAR 1.1");
            }
            for (JsonNode e : log.get("entries")) {
                JsonNode res = e.get("response");
                JsonNode content = res.path("content");
                String version = res.path("httpVersion").asText();
                int status = res.path("status").asInt();
                if (e.path("timings").path("receive").asDouble() == -1 || e.path("time").asDouble() == -1) {
                    found.add("-1 timings");
                }
                if (e.get("request").get("headers").toString().contains("\":authority\"")) {
                    found.add("pseudo-headers");
                }
                if (status == 0 && res.has("_error")) {
                    found.add("status 0 with _error");
                }
                if (status == -1) {
                    found.add("status -1");
                }
                if (content.has("_file")) {
                    found.add("side file");
                }
                if (content.path("encoding").asText().equals("base64")) {
                    found.add("base64");
                }
                if (g.name().startsWith("pollyjs") && content.path("text").asText().matches("[0-9a-f]+")) {
                    found.add("Polly hex");
                }
                if (content.path("_isBinary").asBoolean()) {
                    found.add("Polly hex chunks");
                }
                if (!ForeignHarReplayTest.header(res, "Content-Encoding").isEmpty() && content.path("text").isTextual()
                        && !content.has("encoding") && !content.has("_isBinary")) {
                    found.add("Content-Encoding beside a decoded body");
                }
                if (e.has("_webSocketMessages") && status == 101) {
                    found.add("WebSocket");
                }
                if (List.of("h2", "h3", "http/2.0", "HTTP/2", "HTTP/3", "").contains(version)) {
                    found.add("httpVersion " + version);
                }
                if (version.endsWith(":")) {
                    found.add("garbage httpVersion");
                }
                if (status > 0 && !content.has("text") && !content.has("_file")) {
                    found.add("no body");
                }
                if (e.get("request").has("settingEncodeUrl")) {
                    found.add("unknown member without _");
                }
                if (e.get("startedDateTime").asText().matches(".*\\.\\d{7}[+-].*")) {
                    found.add("7-digit fraction");
                }
            }
        }
        assertThat(found.stream().map(s -> s.toLowerCase(Locale.ROOT)).distinct().toList()).containsAll(Stream.of(
                "BOM", "empty pages", "no pages", "HAR 1.1", "-1 timings", "pseudo-headers", "status 0 with _error",
                "status -1", "side file", "base64", "Polly hex", "Polly hex chunks", "Content-Encoding beside a decoded body",
                "WebSocket", "httpVersion h2", "httpVersion h3", "httpVersion http/2.0", "httpVersion HTTP/2", "httpVersion HTTP/3",
                "httpVersion ", "garbage httpVersion", "no body", "unknown member without _", "7-digit fraction")
                .map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }

    /** Auto mode appends to a Chrome file and leaves its entries, pages and creator exactly as they were. */
    @Test
    void appendingToAnotherToolsHarKeepsItsEntriesAsTheyWere() throws Exception {
        Path har = ForeignHars.named(dir, "chrome-devtools").file();
        AutoModeTest.appendsOneEntryKeepingTheRest(har);
        assertThat(new String(Files.readAllBytes(har), StandardCharsets.UTF_8)).contains("_webSocketMessages", "sameSite");
    }
}
