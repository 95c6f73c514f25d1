package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.testing.HarSchema;
import dev.harp.testing.prerequisites.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real HAR file in the shared corpus ({@code shared/har-corpus}, see SOURCES.md there) must
 * parse, keep its entry count, and survive read, write, read: the written tree equals the
 * original except for the documented normalisations of malformed members.
 */
class HarCorpusTest {
    /** Entry counts, counted independently when the corpus was collected. */
    private static final Map<String, Integer> ENTRY_COUNTS = Map.ofEntries(
            Map.entry("brave-chromium-fromcache.har", 18),
            Map.entry("charles-4.6-nonascii.har", 1),
            Map.entry("chrome-h3-redirect-failed.har", 3),
            Map.entry("chrome-timed-out-failures.har", 33),
            Map.entry("chrome-utf8-bom-post.har", 1),
            Map.entry("fiddler-2.3-empty-pages.har", 87),
            Map.entry("fiddler-4.6-ie11-bom.har", 11),
            Map.entry("firebug-multiple-pages-post-params.har", 9),
            Map.entry("firefox-111-http3-redirects.har", 14),
            Map.entry("firefox-head-content-length.har", 1),
            Map.entry("insomnia-2022-export.har", 1),
            Map.entry("mitmproxy-savehar-corrupted-gzip.har", 1),
            Map.entry("mitmproxy-savehar-error-log.har", 2),
            Map.entry("mitmproxy-savehar-h2-brotli-protobuf.har", 5),
            Map.entry("mitmproxy-savehar-websocket.har", 3),
            Map.entry("playwright-attach-sha1.har", 1),
            Map.entry("playwright-fulfill.har", 5),
            Map.entry("playwright-redirect-h2.har", 3),
            Map.entry("playwright-unstable-network.har", 2),
            Map.entry("pollyjs-binary-png-hex.har", 1),
            Map.entry("pollyjs-isbinary-gzip-chunks.har", 1),
            Map.entry("pollyjs-post-json-gzip-decoded.har", 1),
            Map.entry("safari-webkit-base64.har", 19),
            Map.entry("webpagetest-3.0-h2-odd-httpversion.har", 20));

    /**
     * What the writer changes, by file (indices folded to []): malformed values become the spec
     * default or type, missing required members are added. Every other file must be unchanged.
     */
    private static final Map<String, Set<String>> NORMALISED = Map.of(
            "charles-4.6-nonascii.har", Set.of(
                    "log.entries[].response.redirectURL: null -> \"\""),
            "fiddler-2.3-empty-pages.har", Set.of(
                    "log.entries[].response.cookies[].httpOnly: \"true\" -> true"),
            "firefox-111-http3-redirects.har", Set.of(
                    "log.entries[].request.headersSize: null -> -1",
                    "log.entries[].response.headersSize: added -1",
                    "log.entries[].response.content.size: added -1",
                    "log.entries[].timings.send: added -1",
                    "log.entries[].timings.wait: added -1",
                    "log.entries[].timings.receive: added -1"),
            "mitmproxy-savehar-error-log.har", Set.of(
                    "log.entries[].response.content.size: added -1",
                    "log.entries[].response.content.mimeType: added \"\""));

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(Prerequisites.harCorpus())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".har")).sorted()
                    .toList().stream();
        }
    }

    @Test
    void theWholeCorpusIsThere() throws IOException {
        List<String> names = corpus().map(p -> p.getFileName().toString()).toList();
        assertThat(names).containsAll(ENTRY_COUNTS.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void parsesWithTheRightEntryCount(Path file) throws Exception {
        Har har = HarReader.read(file);
        int expected = ENTRY_COUNTS.getOrDefault(file.getFileName().toString(),
                JsonDiff.readTree(file).path("log").path("entries").size());
        assertThat(har.entries()).hasSize(expected);
        assertThat(har.log().creator().name()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void readWriteReadKeepsTheTree(Path file) throws Exception {
        JsonNode original = JsonDiff.withEntriesSortedByStart(JsonDiff.readTree(file));
        String written = HarWriter.toJson(HarReader.read(file));
        JsonNode rewritten = JsonDiff.readTree(written);
        Set<String> differences = new TreeSet<>();
        for (String d : JsonDiff.diff(original, rewritten)) {
            differences.add(d.replaceAll("\\[\\d+\\]", "[]"));
        }
        assertThat(differences).as("changes made to " + file.getFileName())
                .isEqualTo(NORMALISED.getOrDefault(file.getFileName().toString(), Set.of()));
        // the writer adds no HAR 1.2 violation; what is left is the file's own, kept as read
        // (members without '_', HAR 1.1's version, Firefox's cache members)
        assertThat(HarSchema.violations(written)).as("HAR 1.2 schema violations of the rewritten file")
                .isSubsetOf(HarSchema.violations(JsonDiff.PLAIN.writeValueAsString(original)));
        String again = HarWriter.toJson(HarReader.fromJson(written));
        assertThat(again).as("writing is a fixed point").isEqualTo(written);
    }

    /** Safari writes content.size 0 (and bodySize -1) for its base64 bodies. */
    private static final Set<String> SIZE_IS_NOT_THE_DECODED_SIZE =
            Set.of("safari-webkit-base64.har");

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void base64BodiesDecodeToTheirSize(Path file) throws Exception {
        boolean sizeKnown = !SIZE_IS_NOT_THE_DECODED_SIZE.contains(file.getFileName().toString());
        for (HarEntry e : HarReader.read(file).entries()) {
            HarContent c = e.response().content();
            if (c.isBase64()) {
                assertThatCode(c::bodyBytes).as(e.request().url()).doesNotThrowAnyException();
                if (sizeKnown) {
                    assertThat(c.bodyBytes()).as(e.request().url()).hasSize((int) c.size());
                } else {
                    assertThat(c.bodyBytes()).as(e.request().url()).isNotEmpty();
                }
            }
        }
    }

    @Test
    void corpusQuirksAreReadAsTheyAre() throws Exception {
        Path dir = Prerequisites.harCorpus();
        HarEntry failed = HarReader.read(dir.resolve("chrome-h3-redirect-failed.har")).entries()
                .stream().filter(e -> e.response().status() == 0).findFirst().orElseThrow();
        assertThat(failed.response().httpVersion()).isEmpty();
        assertThat(failed.response().extensions().get("_error").asText())
                .isEqualTo("net::ERR_INTERNET_DISCONNECTED");
        Har playwright = HarReader.read(dir.resolve("playwright-unstable-network.har"));
        assertThat(playwright.entries().get(0).response().status()).isEqualTo(-1);
        assertThat(playwright.entries().get(0).time()).isEqualTo(-1);
        HarContent attached = HarReader.read(dir.resolve("playwright-attach-sha1.har")).entries()
                .get(0).response().content();
        assertThat(attached.text()).isNull();
        assertThat(attached.extensions().get("_file").asText())
                .isEqualTo("har-sha1-main-response.txt");
        Har firebug = HarReader.read(dir.resolve("firebug-multiple-pages-post-params.har"));
        assertThat(firebug.log().version()).isEqualTo("1.1");
        assertThat(firebug.log().pages()).hasSize(3);
        Har charles = HarReader.read(dir.resolve("charles-4.6-nonascii.har"));
        assertThat(charles.log().pages()).isNull();
        assertThat(charles.entries().get(0).startedInstant()).isPresent();
        Har insomnia = HarReader.read(dir.resolve("insomnia-2022-export.har"));
        assertThat(insomnia.entries().get(0).request().extensions())
                .containsKey("settingEncodeUrl");
        Har fiddler = HarReader.read(dir.resolve("fiddler-4.6-ie11-bom.har"));
        assertThat(fiddler.entries()).allMatch(e -> e.startedInstant().isPresent());
    }
}
