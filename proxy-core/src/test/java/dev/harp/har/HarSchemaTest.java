package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harp.testing.HarSchema;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The HAR 1.2 schema the other tests validate with can fail: a valid document passes, and each kind of defect the
 * specification rules out (missing required member, wrong JSON type, unknown member without '_', value out of range)
 * is reported at its place.
 */
class HarSchemaTest {
    private static final String VALID = """
            {"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "pages": [],
              "entries": [{"startedDateTime": "2024-05-01T10:00:00.123+02:00", "time": 12.5,
                "request": {"method": "GET", "url": "http://a.test/", "httpVersion": "HTTP/1.1",
                  "cookies": [{"name": "c", "value": "v", "httpOnly": true}],
                  "headers": [{"name": "Accept", "value": "*/*"}], "queryString": [],
                  "headersSize": -1, "bodySize": 0},
                "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                  "headers": [], "content": {"size": 2, "mimeType": "text/plain", "text": "hi"},
                  "redirectURL": "", "headersSize": -1, "bodySize": 2},
                "cache": {}, "timings": {"dns": -1, "send": 0, "wait": 10.25, "receive": 1},
                "_custom": {"any": ["thing"]}}]}}
            """;

    private static String mutated(Consumer<ObjectNode> change) throws Exception {
        ObjectNode root = (ObjectNode) JsonDiff.readTree(VALID);
        change.accept(root);
        return JsonDiff.PLAIN.writeValueAsString(root);
    }

    private static ObjectNode entry(ObjectNode root) {
        return (ObjectNode) root.get("log").get("entries").get(0);
    }

    @Test
    void aValidDocumentWithACustomMemberPasses() {
        assertThat(HarSchema.violations(VALID)).isEmpty();
    }

    @Test
    void missingRequiredMembersAreViolations() throws Exception {
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) r.get("log")).remove("version"))))
                .containsExactly("/log required: required property 'version' not found");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("response")).remove("redirectURL"))))
                .containsExactly("/log/entries/0/response required: required property 'redirectURL' not found");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("timings")).remove("wait"))))
                .containsExactly("/log/entries/0/timings required: required property 'wait' not found");
        assertThat(HarSchema.violations(mutated(r -> entry(r).remove("cache")))).hasSize(1);
        assertThat(HarSchema.violations("{}")).singleElement().asString()
                .endsWith("required: required property 'log' not found");
    }

    @Test
    void wrongTypesAreViolations() throws Exception {
        assertThat(HarSchema.violations(mutated(r -> entry(r).put("time", "12.5"))))
                .containsExactly("/log/entries/0/time type: string found, number expected");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("response")).put("status", "200"))))
                .containsExactly("/log/entries/0/response/status type: string found, integer expected");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("request")).putObject("headers"))))
                .containsExactly("/log/entries/0/request/headers type: object found, array expected");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("request").get("cookies").get(0))
                .put("httpOnly", "true"))))
                .containsExactly("/log/entries/0/request/cookies/0/httpOnly type: string found, boolean expected");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("response")).putNull("redirectURL"))))
                .containsExactly("/log/entries/0/response/redirectURL type: null found, string expected");
    }

    @Test
    void unknownMembersNeedTheUnderscore() throws Exception {
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("request")).put("settingEncodeUrl", true))))
                .singleElement().asString().startsWith("/log/entries/0/request additionalProperties:")
                .contains("'settingEncodeUrl'");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("request")).put("_settingEncodeUrl", true))))
                .isEmpty();
    }

    @Test
    void valuesOutOfRangeAreViolations() throws Exception {
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) r.get("log")).put("version", "1.1"))))
                .singleElement().asString().startsWith("/log/version const:");
        assertThat(HarSchema.violations(mutated(r -> ((ObjectNode) entry(r).get("response")).put("bodySize", -2))))
                .singleElement().asString().startsWith("/log/entries/0/response/bodySize minimum:");
        assertThat(HarSchema.violations(mutated(r -> entry(r).put("startedDateTime", "Fri, 08-May-2020 10:07:30 GMT"))))
                .singleElement().asString().startsWith("/log/entries/0/startedDateTime pattern:");
    }
}
