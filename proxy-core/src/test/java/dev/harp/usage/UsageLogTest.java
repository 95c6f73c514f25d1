package dev.harp.usage;

import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.record.Redactor;
import dev.harp.replay.Lookup;
import dev.harp.replay.MatchOptions;
import dev.harp.replay.MatchRequest;
import dev.harp.replay.Recorded;
import dev.harp.replay.ReplayIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage files go in and come back out whole; what cannot be read is named, never dropped. */
class UsageLogTest {
    private static final String ORDERS = "https://api.example.test/v1/orders";

    @TempDir
    Path folder;

    /** A real miss: the live request has another page and a cache-buster the recorded one lacks. */
    static MissView plantedMiss(Face face) {
        ReplayIndex<String> index = ReplayIndex.of(List.of(
                Recorded.of(MatchRequest.of("GET", ORDERS + "?page=1"), "page 1"),
                Recorded.of(MatchRequest.of("GET", ORDERS + "/7"), "order 7")), MatchOptions.defaults());
        Lookup<String> lookup = index.find(MatchRequest.of("GET", ORDERS + "?page=1&ts=1712"));
        assertThat(lookup.isHit()).as("planted miss").isFalse();
        return MissView.of(lookup.miss(), face, Redactor.defaults());
    }

    static FixtureUse use(Path fixture, String user) {
        return FixtureUse.builder(fixture, Face.JUNIT, user)
                .userId("[engine:junit-jupiter]/[class:WeatherTest]/[method:forecast()]")
                .outcome(FixtureUse.Outcome.FAILED)
                .mode(Mode.REPLAY, "@Harp(mode)")
                .started(Instant.parse("2026-12-07T10:00:00.123Z"))
                .finished(Instant.parse("2026-12-07T10:00:01.456Z"))
                .existed(true)
                .sha256("ab".repeat(32))
                .entries(5)
                .hits(3)
                .unused(List.of(4, 1))
                .miss(plantedMiss(Face.JUNIT))
                .recorded(0)
                .selection("test=WeatherTest#forecast")
                .build();
    }

    @Test
    void aUseWithMissesComesBackEqual() throws IOException {
        FixtureUse use = use(folder.resolve("fixtures/WeatherTest/forecast.har"), "WeatherTest.forecast()");
        MissView miss = use.misses().get(0);
        assertThat(miss.closest()).isNotEmpty();
        assertThat(miss.closest().get(0).differences())
                .anySatisfy(d -> {
                    assertThat(d.aspect()).isEqualTo("QUERY");
                    assertThat(d.suggestion()).isNotNull();
                    assertThat(d.suggestion().junit()).contains("ignoreQueryParams");
                    assertThat(d.suggestion().cli()).contains("--ignore-query-param");
                    assertThat(d.suggestion().maven()).contains("<ignoreQueryParams>");
                });
        assertThat(miss.text()).contains("ignoreQueryParams");

        UsageLog log = UsageLog.at(folder.resolve("target/harp"));
        Path file = log.write(use);
        assertThat(file.getParent()).isEqualTo(log.folder().resolve(UsageLog.USES));
        assertThat(Files.readString(file)).startsWith("{").contains("\"harpUsage\" : 1").endsWith("\n");

        UsageLog.Contents contents = log.read();
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.complete()).isTrue();
        assertThat(contents.uses()).containsExactly(use);
        assertThat(contents.uses().get(0).unused()).containsExactly(1, 4);
        assertThat(contents.firstStarted()).contains(use.started());
    }

    @Test
    void aMissingFolderReadsAsEmptyAndClearLeavesOtherFiles() throws IOException {
        UsageLog log = UsageLog.at(folder.resolve("nowhere"));
        assertThat(log.read().uses()).isEmpty();
        assertThat(log.clear()).isZero();

        UsageLog here = UsageLog.at(folder);
        here.write(use(folder.resolve("a.har"), "A"));
        here.write(use(folder.resolve("b.har"), "B"));
        Files.writeString(folder.resolve("report.html"), "<html>");
        assertThat(here.clear()).isEqualTo(2);
        assertThat(here.read().uses()).isEmpty();
        assertThat(folder.resolve("report.html")).exists();
    }

    @Test
    void manyThreadsWritingAtOnceLoseNothing() throws Exception {
        int threads = 8;
        int each = 40;
        UsageLog log = UsageLog.at(folder);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Path>>> written = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                written.add(pool.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    List<Path> files = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        // the same finish time for all: file names must still differ
                        files.add(log.write(use(folder.resolve("f" + thread + ".har"), "t" + thread + "-" + i)));
                    }
                    return files;
                }));
            }
            go.countDown();
            Set<Path> files = new HashSet<>();
            for (Future<List<Path>> f : written) {
                files.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(files).hasSize(threads * each);
        } finally {
            pool.shutdownNow();
        }
        UsageLog.Contents contents = log.read();
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.uses()).hasSize(threads * each);
        assertThat(contents.uses().stream().map(FixtureUse::user).distinct()).hasSize(threads * each);
        try (Stream<Path> left = Files.list(folder.resolve(UsageLog.USES))) {
            assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".json"));
        }
    }

    @Test
    void unreadableFilesAreNamedWithWhatIsWrongAndTheRestIsRead() throws IOException {
        UsageLog log = UsageLog.at(folder);
        Path good = log.write(use(folder.resolve("a.har"), "A"));
        Path uses = good.getParent();
        String json = Files.readString(good);

        Path truncated = Files.writeString(uses.resolve("truncated.json"), json.substring(0, json.length() / 2));
        Path garbage = Files.write(uses.resolve("garbage.json"), new byte[]{(byte) 0xff, 0x00, 0x13, 0x37});
        Path empty = Files.writeString(uses.resolve("empty.json"), "");
        Path array = Files.writeString(uses.resolve("array.json"), "[1, 2]");
        Path version = Files.writeString(uses.resolve("version.json"), json.replace("\"harpUsage\" : 1", "\"harpUsage\" : 99"));
        Path field = Files.writeString(uses.resolve("field.json"), json.replace("\"face\" : \"junit\"", "\"face\" : \"gradle\""));
        Path index = Files.writeString(uses.resolve("index.json"), json.replace("\"entries\" : 5", "\"entries\" : 2"));
        Path deep = Files.writeString(uses.resolve("deep.json"), "[".repeat(5000) + "]".repeat(5000));
        Path large = uses.resolve("large.json");
        try (RandomAccessFile raf = new RandomAccessFile(large.toFile(), "rw")) {
            raf.setLength(UsageLog.MAX_FILE_BYTES + 1); // sparse: costs no disk
        }
        Files.writeString(uses.resolve(".writing-123.tmp"), "half"); // a write in progress is not a usage file
        Path relative = Files.writeString(uses.resolve("relative.json"),
                json.replace("\"fixture\" : \"" + folder.resolve("a.har"), "\"fixture\" : \"../../a.har"));
        Path outside = Files.writeString(folder.resolve("outside.json"), json);
        Path link = Files.createSymbolicLink(uses.resolve("link.json"), outside);

        UsageLog.Contents contents = log.read();
        assertThat(contents.uses()).extracting(FixtureUse::user).containsExactly("A");
        assertThat(contents.complete()).isFalse();
        assertThat(contents.problems()).hasSize(11);
        assertThat(problem(contents, truncated)).startsWith("line ").contains(", column ");
        assertThat(problem(contents, garbage)).startsWith("line 1, column ");
        assertThat(problem(contents, relative)).contains("\"fixture\" is not an absolute path");
        assertThat(problem(contents, link)).contains("not a regular file");
        assertThat(problem(contents, empty)).contains("not a JSON object");
        assertThat(problem(contents, array)).contains("not a JSON object");
        assertThat(problem(contents, version)).contains("harpUsage is 99, expected 1");
        assertThat(problem(contents, field)).containsIgnoringCase("gradle");
        assertThat(problem(contents, index)).contains("unused entry 4 is not one of the 2 entries");
        assertThat(problem(contents, deep)).containsIgnoringCase("depth");
        assertThat(problem(contents, large)).contains("larger than " + UsageLog.MAX_FILE_BYTES + " bytes");
        assertThat(contents.problems()).allSatisfy(p -> assertThat(p).doesNotContain("\n"));
    }

    @Test
    void aMissingMemberIsNamed() throws IOException {
        UsageLog log = UsageLog.at(folder);
        Path good = log.write(use(folder.resolve("a.har"), "A"));
        Files.writeString(good, Files.readString(good).replace("\"user\" :", "\"person\" :"));
        assertThat(log.read().problems()).singleElement().asString()
                .startsWith(good.toString()).contains("\"user\" is missing or not a string");
    }

    @Test
    void sha256IsTheFilesDigestOrEmptyWhenItDoesNotExist() throws IOException {
        Path file = Files.write(folder.resolve("x.har"), "abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(UsageLog.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(UsageLog.sha256(folder.resolve("absent.har"))).isEmpty();
    }

    private static String problem(UsageLog.Contents contents, Path file) {
        return contents.problems().stream().filter(p -> p.startsWith(file + ": ")).findFirst()
                .map(p -> p.substring(file.toString().length() + 2))
                .orElseThrow(() -> new AssertionError("no problem named " + file + " in " + contents.problems()));
    }
}
