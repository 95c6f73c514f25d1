package dev.harp.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.drift.Change.Kind;
import dev.harp.drift.Change.Severity;
import dev.harp.har.JsonTrees;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON bodies compared as JSON: structure is breaking, values are changes, moments and redacted values are not. */
class JsonDriftTest {

    private static Changes diff(String before, String after, DriftOptions options) throws IOException {
        JsonNode b = JsonTrees.read(before, true, true);
        JsonNode a = JsonTrees.read(after, true, true);
        Changes out = new Changes();
        JsonDrift.compare(b, a, options, out);
        assertThat(JsonTrees.toJson(b)).as("the old tree is not modified").isEqualTo(JsonTrees.toJson(JsonTrees.read(before, true, true)));
        return out;
    }

    private static List<Change> diff(String before, String after) throws IOException {
        return diff(before, after, DriftOptions.defaults()).list();
    }

    @Test
    void membersAddedAndRemovedAndTypesChangedAreBreakingWithTheirPaths() throws IOException {
        List<Change> changes = diff("""
                {"items":[{"price":12.5,"name":"a"}],"total":1,"meta":{"v":1}}""", """
                {"items":[{"price":"12.5","name":"a","sku":"x"}],"total":1}""");

        assertThat(changes).containsExactly(
                new Change(Severity.BREAKING, Kind.TYPE_CHANGED, "$.items[0].price", "number 12.5", "string \"12.5\""),
                new Change(Severity.BREAKING, Kind.MEMBER_ADDED, "$.items[0].sku", Change.ABSENT, "string \"x\""),
                new Change(Severity.BREAKING, Kind.MEMBER_REMOVED, "$.meta", "object {1 member}", Change.ABSENT));
        assertThat(changes.get(0).describe()).isEqualTo("$.items[0].price: type changed, number 12.5 -> string \"12.5\"");
        assertThat(changes.get(2).describe()).isEqualTo("$.meta: member removed (was object {1 member})");
    }

    @Test
    void valuesAndArrayLengthsAreChangesNotBreaking() throws IOException {
        assertThat(diff("{\"a\":1,\"list\":[1,2],\"s\":\"x\"}", "{\"a\":2,\"list\":[1,5,3],\"s\":\"x\"}")).containsExactly(
                new Change(Severity.CHANGED, Kind.VALUE_CHANGED, "$.a", "1", "2"),
                new Change(Severity.CHANGED, Kind.VALUE_CHANGED, "$.list[1]", "2", "5"),
                new Change(Severity.CHANGED, Kind.LENGTH_CHANGED, "$.list", "2 elements", "3 elements"));
    }

    @Test
    void nullAgainstAValueIsAValueChangeNotATypeChange() throws IOException {
        assertThat(diff("{\"nick\":null}", "{\"nick\":\"bo\"}")).containsExactly(
                new Change(Severity.CHANGED, Kind.TYPE_CHANGED, "$.nick", "null", "string \"bo\""));
    }

    @Test
    void memberOrderWhiteSpaceAndNumberSpellingDoNotCount() throws IOException {
        assertThat(diff("{\"a\":1.0,\"b\":[2e0, {\"c\":true}]}", "{ \"b\" : [2, {\"c\":true}], \"a\" : 1 }")).isEmpty();
    }

    @Test
    void timestampsDatesAndRedactedValuesAreNotCompared() throws IOException {
        String before = """
                {"createdAt":"2026-01-01T10:00:00Z","day":"2026-01-01","ts":1700000000000,"updated_at":1700000000,
                 "when":"Mon, 07 Dec 2026 22:00:00 GMT","expiryTime":"1700000000","token":"REDACTED","count":5}""";
        String after = """
                {"createdAt":"2026-12-08T11:30:00.123+01:00","day":"2026-12-08","ts":1765000000000,"updated_at":1765000000,
                 "when":"Tue, 08 Dec 2026 01:02:03 GMT","expiryTime":"1765000000","token":"s3cr3t-value","count":6}""";

        assertThat(diff(before, after)).extracting(Change::where).containsExactly("$.count");
        assertThat(diff(before, after, DriftOptions.builder().timestamps(true).build()).list())
                .extracting(Change::where)
                .containsExactly("$.createdAt", "$.day", "$.ts", "$.updated_at", "$.when", "$.expiryTime", "$.count");
    }

    @Test
    void aLargeNumberInAMemberWhoseNameSaysNothingOfTimeIsCompared() throws IOException {
        assertThat(diff("{\"views\":1700000000000}", "{\"views\":1765000000000}")).extracting(Change::where)
                .containsExactly("$.views");
    }

    @Test
    void aTimestampThatChangesTypeIsStillATypeChange() throws IOException {
        assertThat(diff("{\"createdAt\":\"2026-01-01T10:00:00Z\"}", "{\"createdAt\":1765000000000}"))
                .extracting(Change::severity, Change::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.BREAKING, Kind.TYPE_CHANGED));
    }

    @Test
    void ignoredJsonPathsAreLeftOutOnBothSides() throws IOException {
        DriftOptions options = DriftOptions.builder().ignoreJsonPaths("$.meta", "$.items[*].id").build();

        assertThat(diff("{\"meta\":{\"build\":1},\"items\":[{\"id\":1,\"n\":\"a\"}]}",
                "{\"items\":[{\"id\":\"x9\",\"n\":\"b\"}]}", options).list()).containsExactly(
                new Change(Severity.CHANGED, Kind.VALUE_CHANGED, "$.items[0].n", "\"a\"", "\"b\""));
    }

    @Test
    void namesThatAreNoPlainWordAreQuotedAsIgnoreJsonPathsReadsThem() throws IOException {
        assertThat(diff("{\"a b\":{\"it's\":1}}", "{\"a b\":{\"it's\":2}}")).extracting(Change::where)
                .containsExactly("$['a b']['it\\'s']");
    }

    @Test
    void longValuesAreShortenedAndSecretShapesHidden() throws IOException {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkLXVzZXIifQ.c2lnbmF0dXJlLXBsYW50ZWQ";
        List<Change> changes = diff("{\"note\":\"" + "x".repeat(200) + "\",\"id\":\"a\"}",
                "{\"note\":\"y\",\"id\":\"" + jwt + "\"}");

        assertThat(changes.get(0).before()).hasSize(60).endsWith("...");
        assertThat(changes.get(1).after()).doesNotContain("c2lnbmF0dXJlLXBsYW50ZWQ");
    }

    @Test
    void atMostAHundredChangesAreListedAndTheRestCounted() throws IOException {
        StringBuilder before = new StringBuilder("{");
        for (int i = 0; i < 150; i++) {
            before.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":").append(i);
        }
        Changes changes = diff(before.append('}').toString(), "{}", DriftOptions.defaults());

        assertThat(changes.list()).hasSize(DriftOptions.MAX_CHANGES_PER_REQUEST);
        assertThat(changes.more()).isEqualTo(50);
    }
}
