package dev.harp.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.harp.har.Har;
import dev.harp.har.HarContent;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.har.HarRequest;
import dev.harp.har.HarResponse;
import dev.harp.har.HarWriter;
import dev.harp.options.Face;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Test fixtures for usage data as the faces leave it: real HAR files written by Harp's writer, and the uses a test
 * of the JUnit extension would record for them ({@link FixtureUse#builder}, written with {@link UsageLog#write}).
 */
public final class UsageFixtures {
    /** When the recorded entries start. */
    public static final Instant RECORDED = Instant.parse("2026-01-02T03:04:05Z");

    private UsageFixtures() {
    }

    /** An entry {@code GET url -> 200} with body {@code body of URL}, started {@code i} seconds after RECORDED. */
    public static HarEntry entry(int i, String url) {
        return entry(i, url, HarContent.ofText("body of " + url, "text/plain"));
    }

    /** An entry whose response body lives in side file {@code sideFile} ({@code content._file}). */
    public static HarEntry sideEntry(int i, String url, String sideFile) {
        return entry(i, url, new HarContent(0, null, "text/plain", null, null, null,
                Map.<String, JsonNode>of("_file", TextNode.valueOf(sideFile))));
    }

    private static HarEntry entry(int i, String url, HarContent content) {
        return HarEntry.builder().startedDateTime(RECORDED.plusSeconds(i))
                .request(HarRequest.builder("GET", url).build())
                .response(HarResponse.builder(200).statusText("OK").content(content).build())
                .build();
    }

    /** Writes a HAR in Harp's format with one GET entry per URL, in order; creates the folders. */
    public static Path har(Path file, String... urls) throws IOException {
        List<HarEntry> entries = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            entries.add(entry(i, urls[i]));
        }
        return har(file, entries);
    }

    /** Writes a HAR in Harp's format with these entries; creates the folders. */
    public static Path har(Path file, List<HarEntry> entries) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        HarWriter.write(file, Har.newRecording("1.0").withEntries(entries));
        return file;
    }

    /** The request URLs of a HAR file, in file order. */
    public static List<String> urls(Path file) throws IOException {
        return HarReader.read(file).entries().stream().map(e -> e.request().url()).toList();
    }

    /** The JUnit unique id of test method {@code method()} of class {@code com.example.<cls>}. */
    public static String testId(String cls, String method) {
        return classId(cls) + "/[method:" + method + "()]";
    }

    /** The JUnit unique id of class {@code com.example.<cls>} (a class phase: {@code @BeforeAll}, ...). */
    public static String classId(String cls) {
        return "[engine:junit-jupiter]/[class:com.example." + cls + "]";
    }

    /**
     * A passed replay use of the fixture as it is now, by the user with that unique id, that served the entries
     * {@code served} (every other entry unused).
     */
    public static FixtureUse.Builder use(Path har, String userId, int... served) throws IOException {
        int entries = HarReader.read(har).entries().size();
        List<Integer> unused = IntStream.range(0, entries)
                .filter(i -> IntStream.of(served).noneMatch(s -> s == i)).boxed().toList();
        String user = userId.replaceAll(".*\\[(?:class|method):(?:com\\.example\\.)?([^\\]]*)\\]$", "$1");
        return FixtureUse.builder(har, Face.JUNIT, user).userId(userId).outcome(FixtureUse.Outcome.PASSED)
                .mode(dev.harp.Mode.REPLAY, "default").existed(true).sha256(UsageLog.sha256(har))
                .entries(entries).hits(served.length).unused(unused).started(Instant.now());
    }

    /** Every regular file under {@code dir} (links not followed) with its SHA-256, by path. */
    public static Map<Path, String> hashes(Path dir) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                out.put(file, attrs.isSymbolicLink() ? "link to " + Files.readSymbolicLink(file)
                        : UsageLog.sha256(file) + " " + Files.getLastModifiedTime(file));
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** Writes a side file's body. */
    public static Path side(Path file, String body) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, body, StandardCharsets.UTF_8);
    }
}
