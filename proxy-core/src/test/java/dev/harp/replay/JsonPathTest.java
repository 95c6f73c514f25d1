package dev.harp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What an ignored JSON path removes from a body. */
class JsonPathTest {

    private static String without(String path, String json) {
        JsonNode node = JsonDiff.parseObjectOrArray(json.getBytes(StandardCharsets.UTF_8));
        JsonPath.parse(path).removeFrom(node);
        return node.toString();
    }

    @Test
    void membersAreRemovedAtAnyDepth() {
        assertThat(without("$.meta.requestId", "{\"meta\":{\"requestId\":\"r\",\"v\":1},\"requestId\":2}"))
                .isEqualTo("{\"meta\":{\"v\":1},\"requestId\":2}");
    }

    @Test
    void arrayElementsBecomeNullSoLengthAndOtherIndicesStillCount() {
        assertThat(without("$.items[1]", "{\"items\":[1,2,3]}")).isEqualTo("{\"items\":[1,null,3]}");
        assertThat(without("$.items[*].id", "{\"items\":[{\"id\":1,\"n\":\"a\"},{\"id\":2}]}"))
                .isEqualTo("{\"items\":[{\"n\":\"a\"},{}]}");
    }

    @Test
    void quotedNamesAndStarWildcards() {
        assertThat(without("$['request-id']", "{\"request-id\":1,\"a\":2}")).isEqualTo("{\"a\":2}");
        assertThat(without("$.headers.*", "{\"headers\":{\"a\":1,\"b\":2},\"c\":3}")).isEqualTo("{\"headers\":{},\"c\":3}");
        assertThat(without("$[*].ts", "[{\"ts\":1,\"v\":1},{\"ts\":2,\"v\":2}]")).isEqualTo("[{\"v\":1},{\"v\":2}]");
    }

    @Test
    void pathsThatNameNothingChangeNothing() {
        assertThat(without("$.missing.deeper[3]", "{\"a\":[1]}")).isEqualTo("{\"a\":[1]}");
        assertThat(without("$.a[5]", "{\"a\":[1]}")).isEqualTo("{\"a\":[1]}");
    }

    @Test
    void differencePathsUseTheSameSyntax() {
        assertThat(JsonPath.child(JsonPath.element(JsonPath.child("$", "items"), 1), "id")).isEqualTo("$.items[1].id");
        assertThat(JsonPath.child("$", "odd key")).isEqualTo("$['odd key']");
    }
}
