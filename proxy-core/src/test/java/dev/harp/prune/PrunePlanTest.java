package dev.harp.prune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.harp.har.Har;
import dev.harp.har.HarCreator;
import dev.harp.har.HarEntry;
import dev.harp.har.HarLog;
import dev.harp.har.HarPage;
import dev.harp.har.HarPageTimings;
import dev.harp.har.HarReader;
import dev.harp.har.HarWriter;
import dev.harp.replay.HarReplay;
import dev.harp.replay.Lookup;
import dev.harp.replay.MatchOptions;
import dev.harp.replay.MatchRequest;
import dev.harp.replay.ReplayResponse;
import dev.harp.usage.BuildUsage;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.harp.usage.UsageFixtures.classId;
import static dev.harp.usage.UsageFixtures.entry;
import static dev.harp.usage.UsageFixtures.har;
import static dev.harp.usage.UsageFixtures.hashes;
import static dev.harp.usage.UsageFixtures.side;
import static dev.harp.usage.UsageFixtures.sideEntry;
import static dev.harp.usage.UsageFixtures.testId;
import static dev.harp.usage.UsageFixtures.urls;
import static dev.harp.usage.UsageFixtures.use;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link PrunePlan} on real fixture folders and usage files: what it plans, what a dry run leaves, what apply does. */
class PrunePlanTest {
    @TempDir
    Path dir;

    private Path root() {
        return dir.resolve("src/test/resources");
    }

    private UsageLog log() {
        return UsageLog.at(dir.resolve("target/harp"));
    }

    private PrunePlan plan() throws IOException {
        // no compiled test classes: a class folder whose class did not run reads as a deleted class
        Path testClasses = Files.createDirectories(dir.resolve("target/test-classes"));
        return PrunePlan.of(BuildUsage.of(log().read(), List.of(root()), List.of(testClasses)));
    }

    private Path fixture(String name, String... paths) throws IOException {
        String[] urls = new String[paths.length];
        for (int i = 0; i < paths.length; i++) {
            urls[i] = "https://api.test/" + paths[i];
        }
        return har(root().resolve("harp").resolve(name), urls);
    }

    private static List<String> api(String... paths) {
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            out.add("https://api.test/" + p);
        }
        return out;
    }

    @Test
    void aCompleteBuildPrunesToExactlyTheUsedSetAndTheUsedRequestsStillReplay() throws IOException {
        Path weather = fixture("WeatherTest/forecast.har", "today", "tomorrow", "week", "radar", "alerts");
        Path shared = fixture("shared/api.har", "login", "me", "logout");
        Path full = fixture("WeatherTest/now.har", "now");
        Path orphan = fixture("OldTest/gone.har", "old");
        Path sideHar = har(root().resolve("harp/OldTest/sides.har"), List.of(sideEntry(0, "https://api.test/s", "s.bin")));
        Path sideBody = side(root().resolve("harp/OldTest/s.bin"), "side body");
        Path unrelated = side(root().resolve("harp/OldTest/notes.txt"), "not a fixture");
        log().write(use(weather, testId("WeatherTest", "forecast"), 0, 2, 4).build());
        log().write(use(shared, testId("WeatherTest", "forecast"), 0).build());
        log().write(use(shared, testId("WeatherTest", "now"), 1).build());
        log().write(use(full, testId("WeatherTest", "now"), 0).build());

        PrunePlan plan = plan();

        assertThat(plan.rewrites()).extracting(PrunePlan.Rewrite::file)
                .containsExactly(weather.toRealPath(), shared.toRealPath());
        assertThat(plan.removals()).extracting(PrunePlan.Removal::file)
                .containsExactlyInAnyOrder(orphan.toRealPath(), sideHar.toRealPath());
        assertThat(plan.sideFiles()).containsExactly(sideBody.toRealPath());
        assertThat(plan.kept()).isEmpty();
        assertThat(plan.fullyUsed()).isEqualTo(1);
        assertThat(plan.entriesRemoved()).isEqualTo(3);
        String text = plan.describe(dir);
        assertThat(text).contains("remove 2 of 5 entries from src/test/resources/harp/WeatherTest/forecast.har:\n"
                        + "  entry 1: GET https://api.test/tomorrow -> 200\n  entry 3: GET https://api.test/radar -> 200\n")
                .contains("delete src/test/resources/harp/OldTest/gone.har (no test opened it)")
                .contains("delete side file src/test/resources/harp/OldTest/s.bin")
                .endsWith("would remove 3 entries from 2 fixtures, 2 fixture files and 1 side file; "
                        + "0 fixtures left alone, 1 fully used\n");
        byte[] fullBefore = Files.readAllBytes(full);

        PruneResult result = plan.apply();

        assertThat(result.refused()).isEmpty();
        assertThat(result.summary()).isEqualTo("removed 3 entries, 2 fixture files and 1 side file");
        assertThat(urls(weather)).isEqualTo(api("today", "week", "alerts"));
        assertThat(urls(shared)).isEqualTo(api("login", "me"));
        assertThat(Files.readAllBytes(full)).isEqualTo(fullBefore);
        assertThat(orphan).doesNotExist();
        assertThat(sideHar).doesNotExist();
        assertThat(sideBody).doesNotExist();
        assertThat(unrelated).exists();
        // what the tests asked for still replays from the pruned file; what they never asked for is gone
        HarReplay replay = HarReplay.load(weather, MatchOptions.defaults());
        for (String url : api("today", "week", "alerts")) {
            Lookup<ReplayResponse> hit = replay.find(MatchRequest.of("GET", url));
            assertThat(hit.isHit()).as(url).isTrue();
            assertThat(StandardCharsets.UTF_8.decode(hit.payload().body()).toString()).isEqualTo("body of " + url);
        }
        assertThat(replay.find(MatchRequest.of("GET", "https://api.test/radar")).isHit()).isFalse();
        // the rewritten file is in Harp's stable format, and pruning again finds nothing: its uses no longer match
        assertThat(Files.readString(weather)).isEqualTo(HarWriter.toJson(HarReader.read(weather)));
    }

    @Test
    void aDryRunChangesNothing() throws IOException {
        Path weather = fixture("WeatherTest/forecast.har", "today", "tomorrow");
        fixture("OldTest/gone.har", "old");
        side(root().resolve("harp/OldTest/s.bin"), "side");
        log().write(use(weather, testId("WeatherTest", "forecast"), 0).build());
        Map<Path, String> before = hashes(dir);

        PrunePlan plan = plan();
        plan.describe(dir);

        assertThat(plan.isEmpty()).isFalse();
        assertThat(hashes(dir)).isEqualTo(before);
    }

    @Test
    void aFixtureChangedAfterThePlanIsRefusedAndKeepsItsSideFiles() throws IOException {
        Path weather = har(root().resolve("harp/WeatherTest/forecast.har"), List.of(entry(0, "https://api.test/a"),
                sideEntry(1, "https://api.test/b", "b.bin")));
        Path body = side(root().resolve("harp/WeatherTest/b.bin"), "b");
        log().write(use(weather, testId("WeatherTest", "forecast"), 0).build());
        PrunePlan plan = plan();
        assertThat(plan.sideFiles()).containsExactly(body.toRealPath());
        fixture("WeatherTest/forecast.har", "a", "b", "c"); // re-recorded meanwhile
        byte[] now = Files.readAllBytes(weather);

        PruneResult result = plan.apply();

        assertThat(result.complete()).isFalse();
        assertThat(result.refused()).hasSize(2);
        assertThat(result.refused().get(0)).contains("forecast.har: it changed since the plan");
        assertThat(Files.readAllBytes(weather)).isEqualTo(now);
        assertThat(body).exists();
    }

    @Test
    void aFileChangedAfterTheBuildIsLeftAlone() throws IOException {
        Path weather = fixture("WeatherTest/forecast.har", "a", "b");
        log().write(use(weather, testId("WeatherTest", "forecast"), 0).build());
        fixture("WeatherTest/forecast.har", "a", "c");
        byte[] now = Files.readAllBytes(weather);

        PrunePlan plan = plan();
        plan.apply();

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.kept()).singleElement().satisfies(k -> assertThat(k.reason()).startsWith("the file changed"));
        assertThat(Files.readAllBytes(weather)).isEqualTo(now);
    }

    @Test
    void failedAbortedOrSkippedUsesBlock() throws IOException {
        for (var outcome : List.of(dev.harp.usage.FixtureUse.Outcome.FAILED, dev.harp.usage.FixtureUse.Outcome.ABORTED,
                dev.harp.usage.FixtureUse.Outcome.SKIPPED)) {
            log().clear();
            Path weather = fixture("WeatherTest/forecast.har", "a", "b");
            Path other = fixture("WeatherTest/other.har", "a", "b");
            log().write(use(weather, testId("WeatherTest", "forecast"), 0).outcome(outcome).build());
            log().write(use(other, testId("WeatherTest", "other"), 0).build());
            byte[] before = Files.readAllBytes(weather);

            PrunePlan plan = plan();
            plan.apply();

            assertThat(plan.kept()).as(outcome.name()).extracting(PrunePlan.Kept::file)
                    .containsExactly(weather.toRealPath());
            assertThat(Files.readAllBytes(weather)).as(outcome.name()).isEqualTo(before);
            assertThat(urls(other)).as(outcome.name()).isEqualTo(api("a"));
        }
    }

    @Test
    void aNarrowedRunPrunesOnlyTheSingleTestFixtureThatRanAndPassed() throws IOException {
        String narrowed = "test=WeatherTest#forecast";
        Path own = fixture("WeatherTest/forecast.har", "today", "tomorrow");
        Path beforeAll = fixture("WeatherTest/beforeAll.har", "token", "config");
        Path shared = fixture("shared/api.har", "login", "me");
        Path allUnused = fixture("WeatherTest/forecast_1_x.har", "x");
        Path orphan = fixture("OtherTest/other.har", "other");
        log().write(use(own, testId("WeatherTest", "forecast"), 0).selection(narrowed).build());
        log().write(use(beforeAll, classId("WeatherTest"), 0).selection(narrowed).build());
        log().write(use(shared, testId("WeatherTest", "forecast"), 0).selection(narrowed).build());
        String invocation = classId("WeatherTest") + "/[test-template:forecast(int)]/[test-template-invocation:#1]";
        log().write(use(allUnused, invocation).selection(narrowed).build());
        Map<Path, String> before = hashes(root());

        PrunePlan plan = plan();
        PruneResult result = plan.apply();

        assertThat(result.refused()).isEmpty();
        assertThat(urls(own)).isEqualTo(api("today"));
        Map<Path, String> after = hashes(root());
        for (Path untouched : List.of(beforeAll, shared, allUnused, orphan)) {
            assertThat(after.get(untouched)).as(untouched.toString()).isEqualTo(before.get(untouched));
        }
        assertThat(plan.kept()).extracting(PrunePlan.Kept::reason).anySatisfy(r -> assertThat(r)
                .startsWith("every entry went unused, but the run was narrowed"));
    }

    @Test
    void aFixtureWhoseEveryEntryWentUnusedIsDeletedInACompleteBuild() throws IOException {
        Path idle = fixture("WeatherTest/idle.har", "a", "b");
        log().write(use(idle, testId("WeatherTest", "idle")).build());

        PrunePlan plan = plan();

        assertThat(plan.removals()).singleElement().satisfies(r -> assertThat(r.why())
                .isEqualTo("every test that opened it left all 2 entries unused"));
        plan.apply();
        assertThat(idle).doesNotExist();
    }

    @Test
    void sideFilesGoOnlyWhenNothingThatRemainsNamesThemAndNeverOutsideTheFolder() throws IOException {
        Path folder = root().resolve("harp/Api");
        Path outside = side(dir.resolve("outside.bin"), "outside");
        Path target = side(root().resolve("harp/target.bin"), "linked to");
        Path own = side(folder.resolve("own.bin"), "own");
        Path sharedBody = side(folder.resolve("shared.bin"), "shared");
        Path link = Files.createSymbolicLink(folder.resolve("link.bin"), target);
        Path orphan = har(folder.resolve("orphan.har"), List.of(sideEntry(0, "https://api.test/own", "own.bin"),
                sideEntry(1, "https://api.test/shared", "shared.bin"),
                sideEntry(2, "https://api.test/out", "../../../../outside.bin"),
                sideEntry(3, "https://api.test/link", "link.bin")));
        Path kept = har(folder.resolve("kept.har"), List.of(sideEntry(0, "https://api.test/shared", "./shared.bin")));
        log().write(use(kept, testId("Api", "kept"), 0).build());

        PrunePlan plan = plan();

        assertThat(plan.sideFiles()).containsExactly(own.toRealPath());
        plan.apply();
        assertThat(orphan).doesNotExist();
        assertThat(own).doesNotExist();
        assertThat(sharedBody).exists();
        assertThat(outside).exists();
        assertThat(link).exists();
        assertThat(target).exists();
        assertThat(kept).exists();
    }

    @Test
    void noSideFileGoesWhileAFixtureCannotBeRead() throws IOException {
        Path orphan = har(root().resolve("harp/Api/orphan.har"), List.of(sideEntry(0, "https://api.test/a", "a.bin")));
        Path body = side(root().resolve("harp/Api/a.bin"), "a");
        Path broken = root().resolve("harp/Api/broken.har");
        Files.writeString(broken, "{\"log\": [");
        Path used = fixture("Api/used.har", "u");
        log().write(use(used, testId("Api", "used"), 0).build());

        PrunePlan plan = plan();

        assertThat(plan.removals()).extracting(PrunePlan.Removal::file).containsExactly(orphan.toRealPath());
        assertThat(plan.sideFiles()).isEmpty();
        assertThat(plan.sideFilesKept()).contains("broken.har");
        plan.apply();
        assertThat(body).exists();
        assertThat(broken).exists();
    }

    @Test
    void aRewriteKeepsPagesCreatorCommentsOrderAndExtensions() throws IOException {
        Map<String, JsonNode> ext = Map.of("_note", TextNode.valueOf("kept"));
        List<HarEntry> entries = List.of(entry(0, "https://api.test/a").toBuilder().pageref("p1").comment("first")
                        .extension("_priority", TextNode.valueOf("high")).build(),
                entry(1, "https://api.test/b"), entry(2, "https://api.test/c").toBuilder().pageref("p1").build());
        HarLog log = new HarLog("1.2", new HarCreator("Harp", "0.9", "creator comment", null),
                HarCreator.of("Firefox", "120"), List.of(new HarPage("2026-01-02T03:04:05Z", "p1", "Page",
                HarPageTimings.empty(), "page comment", ext)), entries, "log comment", ext);
        Path file = root().resolve("harp/Api/rich.har");
        Files.createDirectories(file.getParent());
        Har original = new Har(log, Map.of("_top", TextNode.valueOf("level")));
        HarWriter.write(file, original);
        log().write(use(file, testId("Api", "rich"), 0, 2).build());

        plan().apply();

        Har expected = original.withEntries(List.of(entries.get(0), entries.get(2)));
        assertThat(Files.readString(file)).isEqualTo(HarWriter.toJson(expected));
        assertThat(HarReader.read(file)).isEqualTo(expected);
    }

    @Test
    void entriesOutOfStartOrderAreLeftAloneRatherThanReordered() throws IOException {
        Path file = root().resolve("harp/Api/foreign.har");
        Files.createDirectories(file.getParent());
        // another tool's HAR: written as is (not through Harp's writer, which would sort it)
        String json = HarWriter.toJson(Har.newRecording("1").withEntries(List.of(entry(0, "https://api.test/x"))));
        Har har = HarReader.fromJson(json).withEntries(List.of(entry(5, "https://api.test/late"),
                entry(1, "https://api.test/early"), entry(2, "https://api.test/unused")));
        String text = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(HarWriter.toJson(har)));
        // swap the first two entries back into the order the other tool wrote
        Files.writeString(file, reorder(text));
        assertThat(urls(file)).isEqualTo(api("late", "early", "unused"));
        log().write(use(file, testId("Api", "foreign"), 0, 1).build());
        byte[] before = Files.readAllBytes(file);

        PrunePlan plan = plan();
        plan.apply();

        assertThat(plan.kept()).singleElement().satisfies(k -> assertThat(k.reason()).contains("not in start order"));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    /** Puts the entry of {@code /late} first, as a tool that does not sort would. */
    private static String reorder(String json) throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = mapper.readTree(json);
        var entries = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("log").get("entries");
        var late = entries.remove(2);
        entries.insert(0, late);
        return mapper.writeValueAsString(root);
    }

    @Test
    void aLinkOutOfTheFixtureFolderIsNeverFollowed() throws IOException {
        Path outsideHar = har(dir.resolve("outside/elsewhere.har"), "https://api.test/a");
        Path outsideDir = Files.createDirectories(dir.resolve("outside/dir"));
        Path inOutsideDir = har(outsideDir.resolve("deep.har"), "https://api.test/d");
        Files.createDirectories(root().resolve("harp"));
        Files.createSymbolicLink(root().resolve("harp/link.har"), outsideHar);
        Files.createSymbolicLink(root().resolve("harp/dirlink"), outsideDir);
        Path used = fixture("Api/used.har", "u");
        log().write(use(used, testId("Api", "used"), 0).build());
        Map<Path, String> before = hashes(dir.resolve("outside"));

        PrunePlan plan = plan();
        plan.apply();

        assertThat(plan.isEmpty()).isTrue();
        assertThat(hashes(dir.resolve("outside"))).isEqualTo(before);
        assertThat(inOutsideDir).exists();
        assertThat(root().resolve("harp/link.har")).isSymbolicLink();
    }

    @Test
    void aHarLinkToAFileThatIsNotAHarIsNeverDeletedThroughIt() throws IOException {
        Path data = har(root().resolve("harp/Api/data.json"), "https://api.test/x");
        Path used = fixture("Api/used.har", "u");
        Path link = Files.createSymbolicLink(root().resolve("harp/Api/old.har"), data); // in a class folder that ran
        log().write(use(used, testId("Api", "used"), 0).build());
        byte[] before = Files.readAllBytes(data);

        PrunePlan plan = plan();
        plan.apply();

        assertThat(plan.removals()).isEmpty();
        assertThat(plan.kept()).singleElement().satisfies(k -> assertThat(k.reason()).startsWith("it is not a *.har"));
        assertThat(Files.readAllBytes(data)).isEqualTo(before);
        assertThat(link).isSymbolicLink();
    }
}
