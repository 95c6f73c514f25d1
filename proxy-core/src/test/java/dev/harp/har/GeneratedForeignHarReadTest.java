package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.testing.ForeignHar;
import dev.harp.testing.ForeignHars;
import dev.harp.testing.HarSchema;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link HarCorpusTest} checks on the outside corpus, on the repository's own tool-shaped files
 * ({@link ForeignHars}): each parses with its entry count, survives read, write, read with only the
 * documented normalisations, gains no HAR 1.2 violation from the writer, and its base64 bodies decode;
 * the tools' quirks are read as they are.
 */
class GeneratedForeignHarReadTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyGeneratedFileReadsAndRoundTrips() throws Exception {
        return ForeignHars.all(dir).stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            parsesWithTheRightEntryCount(g);
            readWriteReadKeepsTheTree(g);
            base64BodiesDecodeToTheirSize(g);
        }));
    }

    private static void parsesWithTheRightEntryCount(ForeignHar.Generated g) throws Exception {
        Har har = HarReader.read(g.file());
        assertThat(har.entries()).as(g.name()).hasSize(g.entries());
        assertThat(har.log().creator().name()).isNotEmpty();
    }

    private static void readWriteReadKeepsTheTree(ForeignHar.Generated g) throws Exception {
        JsonNode original = JsonDiff.withEntriesSortedByStart(JsonDiff.readTree(g.file()));
        String written = HarWriter.toJson(HarReader.read(g.file()));
        Set<String> differences = new TreeSet<>();
        for (String d : JsonDiff.diff(original, JsonDiff.readTree(written))) {
            differences.add(d.replaceAll("\\[\\d+\\]", "[]"));
        }
        assertThat(differences).as("changes made to " + g.name()).isEqualTo(g.normalised());
        assertThat(HarSchema.violations(written)).as(g.name() + ": HAR 1.2 violations after writing")
                .isSubsetOf(HarSchema.violations(JsonDiff.PLAIN.writeValueAsString(original)));
        assertThat(HarWriter.toJson(HarReader.fromJson(written))).as("writing is a fixed point").isEqualTo(written);
    }

    private static void base64BodiesDecodeToTheirSize(ForeignHar.Generated g) throws Exception {
        for (HarEntry e : HarReader.read(g.file()).entries()) {
            HarContent c = e.response().content();
            if (c.isBase64()) {
                assertThatCode(c::bodyBytes).as(e.request().url()).doesNotThrowAnyException();
                if (c.size() > 0) { // Safari writes 0
                    assertThat(c.bodyBytes()).as(e.request().url()).hasSize((int) c.size());
                } else {
                    assertThat(c.bodyBytes()).as(e.request().url()).isNotEmpty();
                }
            }
        }
    }

    @Test
    void toolQuirksAreReadAsTheyAre() throws Exception {
        HarEntry failed = read("chrome-devtools").entries().stream()
                .filter(e -> e.response().status() == 0).findFirst().orElseThrow();
        assertThat(failed.response().httpVersion()).isEmpty();
        assertThat(failed.response().extensions().get("_error").asText()).isEqualTo("net::ERR_INTERNET_DISCONNECTED");
        Har playwright = read("playwright-recordhar");
        HarEntry minusOne = playwright.entries().stream().filter(e -> e.response().status() == -1).findFirst().orElseThrow();
        assertThat(minusOne.time()).isEqualTo(-1);
        HarContent attached = playwright.entries().get(1).response().content();
        assertThat(attached.text()).isNull();
        assertThat(attached.extensions().get("_file").asText()).endsWith(".txt");
        Har firebug = read("firebug-netexport");
        assertThat(firebug.log().version()).isEqualTo("1.1");
        assertThat(firebug.log().pages()).hasSize(3);
        Har charles = read("charles");
        assertThat(charles.log().pages()).isNull();
        assertThat(charles.entries().get(0).startedInstant()).isPresent();
        assertThat(read("insomnia").entries().get(0).request().extensions()).containsKey("settingEncodeUrl");
        assertThat(read("fiddler-4.6").entries()).allMatch(e -> e.startedInstant().isPresent());
        assertThat(read("fiddler-2.3").log().pages()).isEmpty();
        assertThat(read("pollyjs-1").log().extensions()).containsKey("_recordingName");
        assertThat(read("mitmproxy-savehar").entries()).anyMatch(e -> e.extensions().containsKey("_webSocketMessages"));
    }

    /** The file Playwright itself recorded (test resource, see har/README.md) passes the same checks and the schema. */
    @Test
    void theHarPlaywrightRecordedReadsAndRoundTrips() throws Exception {
        Path file = dir.resolve("playwright-recorded.har");
        try (var in = GeneratedForeignHarReadTest.class.getResourceAsStream("/har/playwright-recorded.har")) {
            java.nio.file.Files.copy(in, file);
        }
        ForeignHar.Generated recorded = new ForeignHar.Generated("playwright-recorded", file,
                JsonDiff.readTree(file).get("log").get("entries").size(), java.util.List.of(), Set.of());
        parsesWithTheRightEntryCount(recorded);
        readWriteReadKeepsTheTree(recorded);
        base64BodiesDecodeToTheirSize(recorded);
        // a file written by the tool itself is strict HAR 1.2: the schema is not stricter than real writers
        HarSchema.assertValid(java.nio.file.Files.readString(file));
    }

    private Har read(String name) throws Exception {
        return HarReader.read(ForeignHars.named(dir, name).file());
    }
}
