package dev.harp.replay;

import static dev.harp.replay.Fixtures.form;
import static dev.harp.replay.Fixtures.get;
import static dev.harp.replay.Fixtures.index;
import static dev.harp.replay.Fixtures.json;
import static dev.harp.replay.Fixtures.post;
import static dev.harp.replay.Fixtures.withUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a miss says: the request, the three closest recorded entries, what differs, and which option helps. */
class MissDescriptionTest {

    private static final String ORDERS = "https://api.example.com/v1/orders";

    private static Miss missOf(ReplayIndex<String> index, MatchRequest live) {
        Lookup<String> lookup = index.find(live);
        assertThat(lookup.isHit()).as("expected a miss").isFalse();
        return lookup.miss();
    }

    @Test
    void namesTheRequestAndTheThreeClosestEntriesWithWhatDiffersAndTheOptionThatHelps() {
        ReplayIndex<String> index = index(
                get("https://api.example.com/v1/customers"), "customers",
                get(ORDERS + "?page=1&size=20"), "page 1",
                get(ORDERS + "?page=1&size=20"), "page 1 again",
                MatchRequest.of("DELETE", ORDERS + "/7"), "deleted",
                get("https://api.example.com/v2/orders?page=2&size=20"), "v2");

        Miss miss = missOf(index, get(ORDERS + "?size=20&page=2&_=1712"));

        assertThat(miss.reason()).isEqualTo(Miss.Reason.NO_MATCH);
        assertThat(miss.closest()).extracting(NearMiss::entryIndex).containsExactly(1, 4, 0);
        assertThat(miss.describe()).isEqualTo("""
                No recorded response matches GET https://api.example.com/v1/orders?size=20&page=2&_=1712
                Closest of 5 recorded entries:
                  entries #1, #2 (2 identical): GET https://api.example.com/v1/orders?page=1&size=20
                    - query parameter "page": live "2", recorded "1"
                      option: --ignore-query-param page / ignoreQueryParams("page")
                    - query parameter "_" not recorded: live "1712"
                      option: --ignore-query-param _ / ignoreQueryParams("_")
                  entry #4: GET https://api.example.com/v2/orders?page=2&size=20
                    - path: live "/v1/orders", recorded "/v2/orders"
                    - query parameter "_" not recorded: live "1712"
                  entry #0: GET https://api.example.com/v1/customers
                    - path: live "/v1/orders", recorded "/v1/customers"
                    - query parameter "size" not recorded: live "20"
                    - query parameter "page" not recorded: live "2"
                    - query parameter "_" not recorded: live "1712"
                """);
    }

    @Test
    void aMissingQueryParameterIsNamed() {
        ReplayIndex<String> index = index(get(ORDERS + "?page=1&size=20"), "page 1");

        assertThat(missOf(index, get(ORDERS + "?page=1")).describe())
                .contains("- query parameter \"size\" missing: recorded \"20\"")
                .contains("option: --ignore-query-param size / ignoreQueryParams(\"size\")");
    }

    @Test
    void aJsonBodyMissNamesTheFirstDifferingPathAndShowsTheLiveBody() {
        ReplayIndex<String> index = index(json(ORDERS, "{\"items\":[{\"id\":7},{\"id\":8}],\"note\":\"x\"}"), "saved");

        Miss miss = missOf(index, json(ORDERS, "{\"note\":\"y\",\"items\":[{\"id\":7},{\"id\":9}]}"));

        assertThat(miss.closest().get(0).differences()).singleElement().satisfies(difference -> {
            assertThat(difference.aspect()).isEqualTo(Difference.Aspect.BODY);
            assertThat(difference.description()).isEqualTo("body differs at $.items[1].id: live 9, recorded 8");
            assertThat(difference.suggestion()).contains(
                    Suggestion.ignoreJsonPath("$.items[1].id"));
        });
        assertThat(miss.describe()).contains(
                "  body (40 bytes): {\"note\":\"y\",\"items\":[{\"id\":7},{\"id\":9}]}\n",
                "option: --ignore-json-path $.items[1].id / ignoreJsonPaths(\"$.items[1].id\")");
    }

    @Test
    void aJsonMemberMissingOnOneSideIsNamedByPath() {
        ReplayIndex<String> index = index(json(ORDERS, "{\"meta\":{\"requestId\":\"r-1\"},\"qty\":1}"), "saved");

        assertThat(missOf(index, json(ORDERS, "{\"meta\":{},\"qty\":1}")).describe())
                .contains("body differs at $.meta.requestId: live (absent), recorded \"r-1\"");
    }

    @Test
    void aFormMissNamesTheField() {
        ReplayIndex<String> index = index(form(ORDERS, "item=7&qty=1"), "ordered");

        assertThat(missOf(index, form(ORDERS, "qty=2&item=7")).describe())
                .contains("- form field \"qty\": live \"2\", recorded \"1\"")
                .contains("option: --ignore-body / ignoreBody(true)");
    }

    @Test
    void anyOtherBodyMissNamesTheFirstDifferingByteAndTheSizes() {
        ReplayIndex<String> index = index(post(ORDERS, "text/plain", "hello world"), "ok");

        assertThat(missOf(index, post(ORDERS, "text/plain", "hello there!")).describe())
                .contains("- body differs at byte 6: live 12 bytes, recorded 11 bytes");
    }

    @Test
    void aBinaryOrLongLiveBodyIsShownBySizeOrCut() {
        ReplayIndex<String> index = index(get(ORDERS), "orders");
        byte[] binary = {0, 1, 2, (byte) 0xff};
        MatchRequest upload = withUrl("PUT", ORDERS).body(binary).build();

        assertThat(missOf(index, upload).describe()).contains("  body (4 bytes, binary)\n");
        assertThat(missOf(index, post(ORDERS, "text/plain", "x".repeat(500))).describe())
                .contains("  body (500 bytes): " + "x".repeat(200) + "...\n");
    }

    @Test
    void aHeaderNamedInMatchHeadersIsNamedWithHowToStopMatchingIt() {
        MatchOptions options = MatchOptions.builder().matchHeaders("Accept").build();
        ReplayIndex<String> index = index(options, withUrl("GET", ORDERS).header("Accept", "application/json").build(), "json");

        assertThat(missOf(index, withUrl("GET", ORDERS).header("Accept", "text/csv").build()).describe())
                .contains("- header \"accept\": live \"text/csv\", recorded \"application/json\"")
                .contains("option: drop --match-header accept / remove \"accept\" from matchHeaders");
    }

    @Test
    void anotherOriginSuggestsTheHostAlias() {
        ReplayIndex<String> index = index(get(ORDERS), "orders");

        Miss miss = missOf(index, get("http://localhost:9999/v1/orders"));

        assertThat(miss.closest().get(0).differences()).extracting(Difference::aspect)
                .containsExactly(Difference.Aspect.HOST, Difference.Aspect.SCHEME);
        assertThat(miss.describe())
                .contains("- host: live localhost:9999, recorded api.example.com:443")
                .contains("- scheme: live http, recorded https")
                .contains("option: --host-alias localhost:9999=api.example.com:443"
                        + " / hostAlias(\"localhost:9999\", \"api.example.com:443\")");
    }

    @Test
    void optionsAreOnlySuggestedWhenTheyCanMakeTheEntryMatch() {
        ReplayIndex<String> index = index(get(ORDERS + "?page=1"), "orders");

        String text = missOf(index, MatchRequest.of("POST", ORDERS + "?page=2")).describe();

        assertThat(text).contains("- method: live POST, recorded GET", "- query parameter \"page\"")
                .doesNotContain("option:");
    }

    @Test
    void aUsedUpSequenceUnderFailAfterLastSaysWhichPolicyRepeats() {
        MatchOptions options = MatchOptions.builder().sequence(SequencePolicy.FAIL_AFTER_LAST).build();
        ReplayIndex<String> index = index(options, get(ORDERS), "A", get(ORDERS), "B", get(ORDERS), "C");
        index.find(get(ORDERS));
        index.find(get(ORDERS));
        index.find(get(ORDERS));

        Miss miss = missOf(index, get(ORDERS));

        assertThat(miss.reason()).isEqualTo(Miss.Reason.SEQUENCE_EXHAUSTED);
        assertThat(miss.closest()).singleElement().extracting(NearMiss::entryIndices).isEqualTo(List.of(0, 1, 2));
        assertThat(miss.describe()).isEqualTo("""
                No recorded response left for GET https://api.example.com/v1/orders
                  all 3 recorded responses for this request were already used (#0, #1, #2);
                  use sequence policy `sequence` (last repeats) or `reuse-first`
                    option: --sequence sequence / sequence(SequencePolicy.SEQUENCE)
                """);
    }

    @Test
    void anEmptyIndexSaysSo() {
        ReplayIndex<String> index = ReplayIndex.empty(MatchOptions.defaults());

        Miss miss = missOf(index, get(ORDERS));

        assertThat(miss.reason()).isEqualTo(Miss.Reason.EMPTY_INDEX);
        assertThat(miss.closest()).isEmpty();
        assertThat(miss.describe())
                .isEqualTo("No recorded response for GET https://api.example.com/v1/orders: the recording has no entries.\n");
    }

    @Test
    void anAliasedRequestShowsWhatItWasComparedAs() {
        MatchOptions options = MatchOptions.builder().hostAlias("localhost:9999", "api.example.com:443").build();
        ReplayIndex<String> index = index(options, get(ORDERS + "?page=1"), "page 1");

        assertThat(missOf(index, get("http://localhost:9999/v1/orders?page=2")).describe())
                .startsWith("No recorded response matches GET http://localhost:9999/v1/orders?page=2\n"
                        + "  (host alias applied: compared as https://api.example.com/v1/orders?page=2)\n")
                .contains("- query parameter \"page\": live \"2\", recorded \"1\"");
    }
}
