package dev.harp.usage;

import dev.harp.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.harp.usage.UsageFixtures.classId;
import static dev.harp.usage.UsageFixtures.har;
import static dev.harp.usage.UsageFixtures.hashes;
import static dev.harp.usage.UsageFixtures.testId;
import static dev.harp.usage.UsageFixtures.use;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BuildUsage} over real HAR files and usage files written as the faces write them: which entries every use of
 * the current content left unused, which files are orphans, and every rule that makes pruning leave a fixture alone.
 */
class BuildUsageTest {
    @TempDir
    Path dir;

    private Path fixtures() {
        return dir.resolve("src/test/resources");
    }

    private Path harp() {
        return dir.resolve("target/harp");
    }

    private UsageLog log() {
        return UsageLog.at(harp());
    }

    private Path fixture(String name, int entries) throws IOException {
        String[] urls = new String[entries];
        for (int i = 0; i < entries; i++) {
            urls[i] = "https://api.test/" + name.replace('/', '-') + "/" + i;
        }
        return har(fixtures().resolve("harp").resolve(name), urls);
    }

    /** The compiled test classes: none unless a test adds some (so a class folder's class reads as deleted). */
    private Path testClasses() throws IOException {
        return Files.createDirectories(dir.resolve("target/test-classes"));
    }

    private void compiled(String... classFiles) throws IOException {
        for (String name : classFiles) {
            Path file = testClasses().resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {(byte) 0xCA, (byte) 0xFE});
        }
    }

    private BuildUsage build() throws IOException {
        return BuildUsage.of(log().read(), List.of(fixtures()), List.of(testClasses()));
    }

    private static FixtureState state(BuildUsage usage, Path file) throws IOException {
        Path real = file.toRealPath();
        return usage.fixtures().stream().filter(f -> f.file().equals(real)).findFirst()
                .orElseThrow(() -> new AssertionError(file + " not among " + usage.fixtures()));
    }

    @Test
    void unusedIsWhatNoUseOfTheCurrentContentServed() throws IOException {
        Path api = fixture("shared/api.har", 5);
        log().write(use(api, testId("ApiTest", "one"), 0, 1).build());
        log().write(use(api, testId("ApiTest", "two"), 1, 3).build());

        FixtureState state = state(build(), api);

        assertThat(state.unusedKnown()).isTrue();
        assertThat(state.unused()).containsExactly(2, 4);
        assertThat(state.entries()).isEqualTo(5);
        assertThat(state.prunable()).as(state.blocker()).isTrue();
        assertThat(state.orphan()).isFalse();
        assertThat(state.uses()).hasSize(2);
    }

    @Test
    void aFileNoTestOpenedIsAnOrphanThatACompleteBuildMayRemove() throws IOException {
        Path used = fixture("ApiTest/one.har", 2);
        Path orphan = fixture("OldTest/gone.har", 3);
        log().write(use(used, testId("ApiTest", "one"), 0, 1).build());

        BuildUsage usage = build();

        assertThat(usage.orphans()).extracting(FixtureState::file).containsExactly(orphan.toRealPath());
        assertThat(state(usage, orphan).prunable()).as(state(usage, orphan).blocker()).isTrue();
        assertThat(state(usage, used).unused()).isEmpty();
        assertThat(usage.selection()).isEmpty();
    }

    @Test
    void withoutUsageDataNothingMayBePruned() throws IOException {
        Path orphan = fixture("OldTest/gone.har", 1);

        FixtureState state = state(build(), orphan);

        assertThat(state.prunable()).isFalse();
        assertThat(state.blocker()).contains("no usage data");
    }

    @Test
    void anOrphanWrittenAfterTheBuildBeganIsLeftAlone() throws IOException {
        Path used = fixture("ApiTest/one.har", 1);
        log().write(use(used, testId("ApiTest", "one"), 0).started(Instant.now().minusSeconds(60)).build());
        Path fresh = fixture("NewTest/fresh.har", 1);
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.now()));

        FixtureState state = state(build(), fresh);

        assertThat(state.orphan()).isTrue();
        assertThat(state.blocker()).contains("written after the build began");
    }

    @Test
    void failedAbortedAndSkippedUsesBlockAndNameTheTest() throws IOException {
        Map<FixtureUse.Outcome, String> expected = Map.of(
                FixtureUse.Outcome.FAILED, "one() failed",
                FixtureUse.Outcome.ABORTED, "one() was aborted",
                FixtureUse.Outcome.SKIPPED, "one() did not run");
        for (Map.Entry<FixtureUse.Outcome, String> e : expected.entrySet()) {
            log().clear();
            Path har = fixture("ApiTest/one.har", 3);
            log().write(use(har, testId("ApiTest", "one"), 0).outcome(e.getKey()).build());

            FixtureState state = state(build(), har);

            assertThat(state.prunable()).as(e.getKey().name()).isFalse();
            assertThat(state.blocker()).as(e.getKey().name()).startsWith(e.getValue());
        }
    }

    @Test
    void aClassThatDidNotRunProtectsEveryFixtureInItsFolder() throws IOException {
        Path used = fixture("ApiTest/one.har", 2);
        Path first = fixture("DisabledTest/first.har", 1);
        Path second = fixture("DisabledTest/nested/second.har", 1);
        Path orphan = fixture("GoneTest/gone.har", 1);
        log().write(use(used, testId("ApiTest", "one"), 0, 1).build());
        log().write(FixtureUse.builder(fixtures().resolve("harp/DisabledTest"), dev.harp.options.Face.JUNIT,
                        "DisabledTest").userId(classId("DisabledTest")).outcome(FixtureUse.Outcome.SKIPPED)
                .existed(true).build());

        BuildUsage usage = build();

        assertThat(usage.orphans()).extracting(FixtureState::file).containsExactly(orphan.toRealPath());
        for (Path file : List.of(first, second)) {
            FixtureState state = state(usage, file);
            assertThat(state.orphan()).isFalse();
            assertThat(state.prunable()).isFalse();
            assertThat(state.blocker()).startsWith("DisabledTest did not run");
        }
        assertThat(usage.fixtures()).extracting(FixtureState::file)
                .doesNotContain(fixtures().resolve("harp/DisabledTest").toRealPath());
    }

    @Test
    void aPassedOutcomeDoesNotBlockButAnUnknownOneDoes() throws IOException {
        Path har = fixture("ApiTest/one.har", 3);
        log().write(use(har, testId("ApiTest", "one"), 0).build());

        assertThat(state(build(), har).blocker()).isEmpty();

        log().write(use(har, "default-start", 1).outcome(FixtureUse.Outcome.UNKNOWN).build());
        FixtureState state = state(build(), har);

        assertThat(state.blocker()).startsWith("default-start cannot tell whether its tests made all their requests");
        assertThat(state.unused()).containsExactly(2);
    }

    @Test
    void anOrphanGoesOnlyWhenItsTestClassRanOrNoLongerExists() throws IOException {
        Path ran = fixture("ApiTest/one.har", 1);
        Path renamed = fixture("ApiTest/oldName.har", 1);
        Path deleted = fixture("GoneTest/gone.har", 1);
        Path notRun = fixture("OrderIT/create.har", 1);
        Path nestedNotRun = fixture("Outer_Inner/x.har", 1);
        Path loose = fixture("loose.har", 1);
        Path sharedFolder = fixture("shared/api.har", 1);
        compiled("it/ApiTest.class", "it/OrderIT.class", "it/Outer$Inner.class");
        log().write(use(ran, testId("ApiTest", "one"), 0).build());

        BuildUsage usage = build();

        assertThat(state(usage, renamed).blocker()).as("a test of a class that ran was renamed").isEmpty();
        assertThat(state(usage, deleted).blocker()).as("the class was deleted").isEmpty();
        assertThat(state(usage, notRun).blocker())
                .isEqualTo("no test opened it, but its test class OrderIT exists and did not run in this build "
                        + "(excluded, filtered, or run by another plugin)");
        assertThat(state(usage, nestedNotRun).blocker()).contains("its test class Outer_Inner exists");
        assertThat(state(usage, loose).blocker()).contains("it is not in a test class's folder (<Class>/loose.har)");
        assertThat(state(usage, sharedFolder).blocker()).contains("it is not in a test class's folder");
        assertThat(usage.orphans()).hasSize(6);
    }

    @Test
    void usageDataOlderThanTheCompiledTestsPrunesNothing() throws IOException {
        Path har = fixture("ApiTest/one.har", 2);
        Path orphan = fixture("GoneTest/gone.har", 1);
        log().write(use(har, testId("ApiTest", "one"), 0).finished(Instant.now().minusSeconds(60)).build());
        compiled("it/ApiTest.class"); // a test changed and compiled after the tests last ran

        BuildUsage usage = build();

        for (Path file : List.of(har, orphan)) {
            assertThat(state(usage, file).blocker()).startsWith("the test classes were compiled (")
                    .endsWith("after the last use in the usage data (" + usage.contents().uses().get(0).finished()
                            + "): run the tests again, then prune");
        }
        assertThat(state(usage, har).unused()).as("still reported").containsExactly(1);
    }

    /**
     * Writes a class file {@code it/<name>.class}: its name, superclass ({@code java/lang/Object} when null) and
     * flags, and in its constant pool, when asked, {@code Ldev/harp/junit/Harp;} (as {@code @Harp} puts it there) and
     * {@code Lorg/junit/jupiter/api/Test;} (a test method), and a long (two slots).
     */
    private void compiledClass(String name, String superName, int accessFlags, boolean harp, boolean test)
            throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(61);
        out.writeShort(9); // constants #1..#8, the long taking #7 and #8
        out.writeByte(1);
        out.writeUTF("it/" + name);                                       // #1
        out.writeByte(7);
        out.writeShort(1);                                                // #2 this
        out.writeByte(1);
        out.writeUTF(superName == null ? "java/lang/Object" : "it/" + superName); // #3
        out.writeByte(7);
        out.writeShort(3);                                                // #4 super
        out.writeByte(1);
        out.writeUTF(harp ? "Ldev/harp/junit/Harp;" : "Ljava/lang/Deprecated;"); // #5
        out.writeByte(1);
        out.writeUTF(test ? "Lorg/junit/jupiter/api/Test;" : "LNothing;"); // #6
        out.writeByte(5);
        out.writeLong(42);                                                // #7, #8
        out.writeShort(accessFlags);
        out.writeShort(2);
        out.writeShort(4);
        out.writeShort(0); // no interfaces
        out.flush();
        Path file = testClasses().resolve("it/" + name + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.toByteArray());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600))); // before the tests ran
    }

    @Test
    void aSharedFixtureLosesEntriesOnlyWhenEveryHarpTestClassRan() throws IOException {
        Path shared = fixture("shared/api.har", 3);
        Path own = fixture("ApiTest/one.har", 2);
        compiledClass("AbstractApiTest", null, 0x0421, true, false); // @Harp on an abstract base
        compiledClass("ApiTest", "AbstractApiTest", 0x0021, false, true);
        compiledClass("PaymentIT", "AbstractApiTest", 0x0021, false, true); // inherits @Harp: counts
        compiledClass("HarpHelper", null, 0x0021, true, false); // names Harp but has no test: JUnit never runs it
        compiledClass("PlainTest", null, 0x0021, false, true); // no Harp
        log().write(use(shared, testId("ApiTest", "one"), 0).build());
        log().write(use(own, testId("ApiTest", "one"), 0).build());

        BuildUsage usage = build();

        assertThat(state(usage, shared).blocker()).isEqualTo("Harp test classes did not run in this build (PaymentIT), "
                + "and a fixture not of one test alone may serve them");
        assertThat(state(usage, own).blocker()).as("one test's own fixture").isEmpty();

        log().write(FixtureUse.builder(fixtures().resolve("harp/PaymentIT"), dev.harp.options.Face.JUNIT, "PaymentIT")
                .userId(classId("PaymentIT")).outcome(FixtureUse.Outcome.PASSED).build());
        assertThat(state(build(), shared).blocker()).as("every Harp class ran").isEmpty();
    }

    @Test
    void aFolderTakesItsClassAsRunOnlyFromThatClasssOwnTests() throws IOException {
        Path borrowed = fixture("PaymentIT/login.har", 1);
        Path orphan = fixture("PaymentIT/charge.har", 1);
        compiled("it/PaymentIT.class", "it/OrderTest.class");
        Files.setLastModifiedTime(testClasses().resolve("it/PaymentIT.class"), FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(testClasses().resolve("it/OrderTest.class"), FileTime.from(Instant.now().minusSeconds(60)));
        log().write(use(borrowed, testId("OrderTest", "pay"), 0).build()); // @Harp(har = "PaymentIT/login.har")

        FixtureState state = state(build(), orphan);

        assertThat(state.blocker()).contains("its test class PaymentIT exists and did not run");
    }

    @Test
    void aCapitalisedFolderThatIsNoTestClassIsNotTakenForADeletedOne() throws IOException {
        Path used = fixture("ApiTest/one.har", 1);
        Path shared = fixture("Shared/auth.har", 1);
        Path deleted = fixture("GoneIT/x.har", 1);
        log().write(use(used, testId("ApiTest", "one"), 0).build());

        BuildUsage usage = build();

        assertThat(state(usage, shared).blocker()).contains("Shared is not named like a test class");
        assertThat(state(usage, deleted).blocker()).isEmpty();
    }

    @Test
    void withoutTheTestClassesOnlyOrphansOfClassesThatRanGo() throws IOException {
        Path ran = fixture("ApiTest/one.har", 1);
        Path renamed = fixture("ApiTest/oldName.har", 1);
        Path other = fixture("GoneTest/gone.har", 1);
        log().write(use(ran, testId("ApiTest", "one"), 0).build());

        BuildUsage usage = BuildUsage.of(log().read(), List.of(fixtures()));

        assertThat(state(usage, renamed).blocker()).isEmpty();
        assertThat(state(usage, other).blocker()).contains("its test class GoneTest did not run in this build")
                .contains("with the test classes folder Harp can tell a deleted class");
    }

    @Test
    void aUseThatDidNotReplayBlocks() throws IOException {
        for (Mode mode : List.of(Mode.RECORD, Mode.PASSTHROUGH)) {
            log().clear();
            Path har = fixture("ApiTest/one.har", 3);
            log().write(use(har, testId("ApiTest", "one")).mode(mode, "-Dharp.mode").build());

            FixtureState state = state(build(), har);

            assertThat(state.blocker()).as(mode.name()).contains("mode: it did not replay the fixture");
        }
    }

    @Test
    void aFileChangedAfterItsUseBlocksAndItsOldIndicesAreNotTrusted() throws IOException {
        Path har = fixture("ApiTest/one.har", 3);
        log().write(use(har, testId("ApiTest", "one"), 0).build());
        fixture("ApiTest/one.har", 4); // re-recorded after the test ran

        FixtureState state = state(build(), har);

        assertThat(state.prunable()).isFalse();
        assertThat(state.blocker()).startsWith("the file changed after one()");
        assertThat(state.unusedKnown()).isFalse();
        assertThat(state.unused()).isEmpty();
    }

    @Test
    void aUseOfAFileThatDidNotExistYetBlocks() throws IOException {
        Path har = fixtures().resolve("harp/ApiTest/one.har");
        log().write(use(fixture("ApiTest/one.har", 1), testId("ApiTest", "one"))
                .existed(false).sha256("").entries(0).unused(List.of()).mode(Mode.AUTO, "").recorded(1).build());

        assertThat(state(build(), har).blocker()).startsWith("the file changed after one()");
    }

    @Test
    void aDeletedFixtureIsReportedAndBlocked() throws IOException {
        Path har = fixture("ApiTest/one.har", 2);
        log().write(use(har, testId("ApiTest", "one"), 0).build());
        Path real = har.toRealPath();
        Files.delete(har);

        FixtureState state = build().fixtures().stream().filter(f -> f.file().equals(real)).findFirst().orElseThrow();

        assertThat(state.exists()).isFalse();
        assertThat(state.blocker()).isEqualTo("the file does not exist");
    }

    @Test
    void unreadableUsageDataBlocksEveryFixture() throws IOException {
        Path har = fixture("ApiTest/one.har", 2);
        Path orphan = fixture("OldTest/gone.har", 1);
        log().write(use(har, testId("ApiTest", "one"), 0).build());
        Files.writeString(harp().resolve("uses/broken.json"), "{\"fixture\": ");

        BuildUsage usage = build();

        assertThat(usage.contents().complete()).isFalse();
        assertThat(state(usage, har).blocker()).startsWith("some usage files could not be read");
        assertThat(state(usage, orphan).blocker()).startsWith("some usage files could not be read");
    }

    @Test
    void aNarrowedRunPrunesOnlyAFixtureNamedAfterTheOneTestThatRanAndLeavesOrphansAlone() throws IOException {
        String narrowed = "test=ApiTest#one";
        Path own = fixture("ApiTest/one.har", 3);
        Path classPhase = fixture("ApiTest/beforeAll.har", 2);
        Path shared = fixture("shared/api.har", 4);
        Path orphan = fixture("OtherTest/two.har", 2);
        log().write(use(own, testId("ApiTest", "one"), 0).selection(narrowed).build());
        log().write(use(classPhase, classId("ApiTest"), 0).selection(narrowed).build());
        log().write(use(shared, testId("ApiTest", "one"), 1).selection(narrowed).build());

        BuildUsage usage = build();

        assertThat(usage.selection()).isEqualTo(narrowed);
        assertThat(state(usage, own).blocker()).isEmpty();
        assertThat(state(usage, own).unused()).containsExactly(1, 2);
        assertThat(state(usage, classPhase).blocker()).startsWith("it is shared by ApiTest and the run was narrowed");
        assertThat(state(usage, shared).blocker()).contains("is not named after one() alone");
        assertThat(state(usage, orphan).blocker()).startsWith("no test opened it, but the run was narrowed");
    }

    @Test
    void aNarrowedRunLeavesAFixtureTwoTestsShared() throws IOException {
        Path own = fixture("ApiTest/one.har", 3);
        log().write(use(own, testId("ApiTest", "one"), 0).selection("test=ApiTest").build());
        log().write(use(own, testId("ApiTest", "two"), 1).selection("test=ApiTest").build());

        assertThat(state(build(), own).blocker()).startsWith("several tests share it");
    }

    @Test
    void namesOfTheJUnitExtensionAreRecognised() {
        Path root = Path.of("/r/harp");
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/one.har"), testId("ApiTest", "one"))).isTrue();
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/one.har"), testId("OtherTest", "one"))).isFalse();
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/one_more.har"), testId("ApiTest", "one"))).isFalse();
        assertThat(FixtureOwners.namedAfter(root.resolve("api.har"), testId("ApiTest", "one"))).isFalse();
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/one.har"), classId("ApiTest"))).isFalse();
        assertThat(FixtureOwners.namedAfter(root.resolve("Outer_Inner/deep.har"),
                "[engine:junit-jupiter]/[class:com.example.Outer]/[nested-class:Inner]/[method:deep()]")).isTrue();
        String invocation = "[engine:junit-jupiter]/[class:com.example.ApiTest]"
                + "/[test-template:city(java.lang.String)]/[test-template-invocation:#1]";
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/city_1_tokyo.har"), invocation)).isTrue();
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/city.har"), invocation)).isTrue();
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/cityX.har"), invocation)).isFalse();
        assertThat(FixtureOwners.namedAfter(root.resolve("ApiTest/one.har"), "")).isFalse();
    }

    @Test
    void aFixtureOpenedThroughALinkedFolderIsTheFileUnderTheRootNotAnOrphan() throws IOException {
        Path har = fixture("ApiTest/one.har", 2);
        Path link = Files.createSymbolicLink(dir.resolve("linked"), fixtures());
        log().write(use(link.resolve("harp/ApiTest/one.har"), testId("ApiTest", "one"), 0).build());

        for (BuildUsage usage : List.of(build(), BuildUsage.of(log().read(), List.of(link)))) {
            assertThat(usage.fixtures()).hasSize(1);
            assertThat(usage.orphans()).isEmpty();
            assertThat(state(usage, har).unused()).containsExactly(1);
            assertThat(state(usage, har).blocker()).isEmpty();
        }
    }

    @Test
    void unusedIndicesOfOneUseAreCheckedAgainstItsEntries() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FixtureUse.builder(dir.resolve("a.har"),
                        dev.harp.options.Face.JUNIT, "t").entries(2).unused(List.of(2)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFixtureOutsideTheFoldersGivenIsReportedButLeftAlone() throws IOException {
        Path elsewhere = har(dir.resolve("elsewhere/api.har"), "https://api.test/a", "https://api.test/b");
        fixture("ApiTest/one.har", 1);
        log().write(use(elsewhere, testId("ApiTest", "one"), 0).build());

        FixtureState state = state(build(), elsewhere);

        assertThat(state.unused()).containsExactly(1);
        assertThat(state.blocker()).isEqualTo("it lies outside the fixture folders given");
    }

    @Test
    void aRecordingCutShortIsReportedNotRepaired() throws IOException {
        Path har = fixture("ApiTest/one.har", 3);
        log().write(use(har, testId("ApiTest", "one"), 0).build());
        byte[] whole = Files.readAllBytes(har);
        Files.write(har, Arrays.copyOf(whole, whole.length - 40));
        Map<Path, String> before = hashes(dir);

        FixtureState state = state(build(), har);

        assertThat(state.readProblem()).isNotEmpty();
        assertThat(state.blocker()).startsWith("the file cannot be read as a HAR");
        assertThat(hashes(dir)).isEqualTo(before);
    }

    private static MissView miss(String url) {
        return new MissView("NO_MATCH", new RequestView("GET", url, List.of(), "", 0, false), List.of(), "miss " + url);
    }

    @Test
    void missesHitsUsersAndTheOrderOfFixtures() throws IOException {
        Path b = fixture("B/two.har", 2);
        Path a = fixture("A/one.har", 2);
        Instant t = Instant.parse("2026-03-01T00:00:00Z");
        log().write(use(a, testId("A", "one"), 0).started(t).miss(miss("https://api.test/x")).build());
        log().write(use(b, testId("B", "two"), 0, 1).started(t.plusSeconds(1)).outcome(FixtureUse.Outcome.FAILED)
                .miss(miss("https://api.test/y")).miss(miss("https://api.test/z")).build());
        log().write(use(a, testId("A", "one"), 1).started(t.plusSeconds(2)).build());

        BuildUsage usage = build();

        assertThat(usage.roots()).containsExactly(fixtures().toRealPath());
        assertThat(usage.fixtures()).extracting(FixtureState::file).containsExactly(a.toRealPath(), b.toRealPath());
        assertThat(usage.usesWithMisses()).extracting(FixtureUse::user).containsExactly("two()", "one()");
        assertThat(usage.byUser().keySet()).containsExactly("one()", "two()");
        assertThat(usage.byUser().get("one()")).hasSize(2);
        FixtureState one = state(usage, a);
        assertThat(one.hits()).isEqualTo(2);
        assertThat(one.misses()).extracting(m -> m.live().url()).containsExactly("https://api.test/x");
        assertThat(one.lastUse()).hasValueSatisfying(u -> assertThat(u.started()).isEqualTo(t.plusSeconds(2)));
        assertThat(one.unused()).isEmpty();
        assertThat(state(usage, b).misses()).hasSize(2);
    }
}
