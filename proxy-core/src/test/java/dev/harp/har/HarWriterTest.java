package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import dev.harp.testing.HarSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarWriterTest {
    @TempDir
    Path dir;

    /** Serialization of this bean throws, which lets a test break a write half-way. */
    public static final class Exploding {
        public String getBoom() {
            throw new IllegalStateException("boom");
        }
    }

    private static Har sample() {
        byte[] body = "{\"name\":\"Zürich ☃\"}".getBytes(StandardCharsets.UTF_8);
        HarEntry entry = HarEntry.builder()
                .startedDateTime(Instant.parse("2024-05-01T10:00:00.123Z"))
                .time(12.5)
                .request(HarRequest.builder("GET", "https://api.test/items?q=zürich")
                        .header("Accept", "application/json").queryParam("q", "zürich").build())
                .response(HarResponse.builder(200).statusText("OK")
                        .header("Content-Type", "application/json")
                        .content(HarContent.ofBytes(body, "application/json"))
                        .bodySize(body.length).build())
                .timings(new HarTimings(null, -1.0, -1.0, 0.25, 5.397000045232475, 1.0, null,
                        null, null))
                .extension("_harp", JsonNodeFactory.instance.objectNode()
                        .set("redacted", JsonNodeFactory.instance.arrayNode()))
                .build();
        return Har.newRecording("0.1.0").withEntry(entry);
    }

    private static final String SAMPLE_JSON = """
            {
              "log": {
                "version": "1.2",
                "creator": {
                  "name": "Harp",
                  "version": "0.1.0"
                },
                "entries": [
                  {
                    "startedDateTime": "2024-05-01T10:00:00.123Z",
                    "time": 12.5,
                    "request": {
                      "method": "GET",
                      "url": "https://api.test/items?q=zürich",
                      "httpVersion": "HTTP/1.1",
                      "cookies": [],
                      "headers": [
                        {
                          "name": "Accept",
                          "value": "application/json"
                        }
                      ],
                      "queryString": [
                        {
                          "name": "q",
                          "value": "zürich"
                        }
                      ],
                      "headersSize": -1,
                      "bodySize": -1
                    },
                    "response": {
                      "status": 200,
                      "statusText": "OK",
                      "httpVersion": "HTTP/1.1",
                      "cookies": [],
                      "headers": [
                        {
                          "name": "Content-Type",
                          "value": "application/json"
                        }
                      ],
                      "content": {
                        "size": 22,
                        "mimeType": "application/json",
                        "text": "{\\"name\\":\\"Zürich ☃\\"}"
                      },
                      "redirectURL": "",
                      "headersSize": -1,
                      "bodySize": 22
                    },
                    "cache": {},
                    "timings": {
                      "dns": -1,
                      "connect": -1,
                      "send": 0.25,
                      "wait": 5.397000045232475,
                      "receive": 1
                    },
                    "_harp": {
                      "redacted": []
                    }
                  }
                ]
              }
            }
            """;

    @Test
    void writesTheSpecLayout() {
        assertThat(HarWriter.toJson(sample())).isEqualTo(SAMPLE_JSON);
    }

    @Test
    void fileBytesAreUtf8WithoutBomWithLfAndATrailingNewline() throws Exception {
        Path f = dir.resolve("sample.har");
        HarWriter.write(f, sample());
        byte[] bytes = Files.readAllBytes(f);
        assertThat(bytes).isEqualTo(SAMPLE_JSON.getBytes(StandardCharsets.UTF_8));
        assertThat(bytes[0]).isEqualTo((byte) '{');
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        assertThat(bytes[bytes.length - 2]).isEqualTo((byte) '}');
        assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("\r", "\\u");
    }

    @Test
    void sameHarGivesIdenticalBytes() throws Exception {
        Har har = HarReader.fromJson(HarWriter.toJson(sample()));
        Path a = dir.resolve("a.har");
        Path b = dir.resolve("b.har");
        HarWriter.write(a, har);
        HarWriter.write(b, HarReader.read(a));
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
        assertThat(HarWriter.toJson(har)).isEqualTo(HarWriter.toJson(har));
    }

    @Test
    void entriesAreSortedByParsedStartTime() throws Exception {
        Har har = Har.newRecording("1").withEntries(List.of(
                entry("2024-01-01T00:00:03Z", "/c"),
                entry("2024-01-01T01:00:01+01:00", "/a"),
                entry("not a date", "/garbage"),
                entry("2024-01-01T00:00:02.000Z", "/b1"),
                entry("2024-01-01T00:00:02Z", "/b2")));
        Har back = HarReader.fromJson(HarWriter.toJson(har));
        assertThat(back.entries()).extracting(e -> e.request().url())
                .containsExactly("/a", "/b1", "/garbage", "/b2", "/c");
        assertThat(har.entries().get(0).request().url()).isEqualTo("/c");
    }

    @Test
    void numbersAreWrittenWithoutExponentOrSpuriousFraction() {
        assertThat(HarEmitter.formatNumber(-1.0)).isEqualTo("-1");
        assertThat(HarEmitter.formatNumber(-0.0)).isEqualTo("0");
        assertThat(HarEmitter.formatNumber(5.397000045232475)).isEqualTo("5.397000045232475");
        assertThat(HarEmitter.formatNumber(1.0E-4)).isEqualTo("0.0001");
        assertThat(HarEmitter.formatNumber(12345678.9)).isEqualTo("12345678.9");
        assertThat(HarEmitter.formatNumber(1.5e20)).isEqualTo("150000000000000000000");
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                String s = HarEmitter.formatNumber(d);
                assertThat(Double.parseDouble(s)).as(s).isEqualTo(d == 0 ? 0.0 : d);
                assertThat(s).doesNotContain("E", "e");
            }
        }
    }

    @Test
    void requiredMembersAreAlwaysWrittenAndAbsentOptionalsStayAbsent() throws Exception {
        Har minimal = HarReader.fromJson("{\"log\": {\"entries\": [{}]}}");
        String json = HarWriter.toJson(minimal);
        // every required member is there with its type; what is left are the empty values the input gave
        assertThat(HarSchema.violations(json)).allSatisfy(v -> assertThat(v).doesNotContain(" required:", " type:"))
                .extracting(v -> v.substring(0, v.indexOf(' ')))
                .containsExactlyInAnyOrder("/log/version", "/log/entries/0/startedDateTime",
                        "/log/entries/0/request/method", "/log/entries/0/request/url");
        assertThat(json).doesNotContain("\"pageref\"", "\"postData\"", "\"compression\"",
                "\"blocked\"", "\"ssl\"", "\"comment\"", "\"pages\"", "\"browser\"", "null");
        HarSchema.assertValid(HarWriter.toJson(sample()));
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("fixture.har");
        Files.writeString(f, "old");
        HarWriter.write(f, sample());
        assertThat(Files.readString(f)).isEqualTo(SAMPLE_JSON);
        assertThat(listing()).containsExactly("fixture.har");
    }

    @Test
    void serializerFailureKeepsThePreviousFile() throws Exception {
        Path f = dir.resolve("fixture.har");
        HarWriter.write(f, sample());
        byte[] before = Files.readAllBytes(f);
        HarEntry bad = sample().entries().get(0).toBuilder()
                .extension("_explodes", new POJONode(new Exploding())).build();
        IOException e = catchThrowableOfType(IOException.class,
                () -> HarWriter.write(f, Har.newRecording("2").withEntry(bad)));
        assertThat(e).hasMessageStartingWith("cannot write HAR file " + f + ": ")
                .hasMessageContaining("boom");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        assertThat(listing()).containsExactly("fixture.har");
    }

    @Test
    void failureAfterTheTemporaryFileIsCompleteKeepsThePreviousFile() throws Exception {
        Path f = dir.resolve("fixture.har");
        HarWriter.write(f, sample());
        byte[] before = Files.readAllBytes(f);
        Har next = Har.newRecording("2");
        Path[] seen = new Path[1];
        IOException e = catchThrowableOfType(IOException.class, () -> HarWriter.write(f, next,
                temporary -> {
                    seen[0] = temporary;
                    assertThat(temporary.getParent()).isEqualTo(dir.toAbsolutePath());
                    assertThat(temporary.getFileName().toString())
                            .startsWith(".fixture.har.tmp-");
                    assertThat(Files.readString(temporary)).isEqualTo(HarWriter.toJson(next));
                    throw new IOException("disk full");
                }));
        assertThat(e).hasMessage("cannot write HAR file " + f + ": IOException: disk full");
        assertThat(seen[0]).isNotNull().doesNotExist();
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        assertThat(listing()).containsExactly("fixture.har");
    }

    @Test
    void missingDirectoryIsReportedWithTheFileName() {
        Path f = dir.resolve("no-such-dir").resolve("x.har");
        assertThatThrownBy(() -> HarWriter.write(f, sample())).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write HAR file " + f + ": ");
    }

    @Test
    void keepsThePermissionsOfTheReplacedFile() throws Exception {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        Path f = dir.resolve("fixture.har");
        Files.writeString(f, "old");
        PosixFileAttributeView view = Files.getFileAttributeView(f, PosixFileAttributeView.class);
        view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
        HarWriter.write(f, sample());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-r-----");
    }

    @Test
    void writingToAStreamDoesNotCloseIt() throws Exception {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        HarWriter.write(out, sample());
        assertThat(closed[0]).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(SAMPLE_JSON);
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static HarEntry entry(String started, String url) {
        return HarEntry.builder().startedDateTime(started)
                .request(HarRequest.builder("GET", url).build())
                .response(HarResponse.builder(200).build()).build();
    }

    @Test
    void leftoversOfAKilledWriteAreRemovedButAWriteInProgressIsNot() throws IOException {
        Path har = dir.resolve("fixture.har");
        Path old = Files.writeString(dir.resolve(".fixture.har.tmp-3k2j1"), "{\"log\": {\"ver");
        Path recent = Files.writeString(dir.resolve(".fixture.har.tmp-9x8y7"), "{\"log\": {");
        Path unrelated = Files.writeString(dir.resolve(".other.har.tmp-3k2j1"), "{");
        Instant processStart = Instant.now().minusSeconds(60);
        for (Path p : List.of(old, unrelated)) {
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(processStart.minusSeconds(3600)));
        }

        assertThat(HarWriter.removeLeftovers(har, processStart)).isEqualTo(1);

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(unrelated).exists();
    }
}
