package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Deeply nested JSON anywhere in a HAR: up to the limit it is read (iteratively, so no stack overflow) and written
 * back; beyond it the reader fails with one line naming the position, never with a {@link StackOverflowError}.
 */
class HarNestingTest {
    private static final int ALLOWED = 990;
    private static final int TOO_DEEP = 5_000;

    private static String nested(int depth, boolean objects) {
        StringBuilder sb = new StringBuilder(depth * 8);
        for (int i = 0; i < depth; i++) {
            sb.append(objects ? "{\"a\":" : "[");
        }
        sb.append("1");
        for (int i = 0; i < depth; i++) {
            sb.append(objects ? "}" : "]");
        }
        return sb.toString();
    }

    private static String har(String entryMember, String topMember) {
        return "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"t\", \"version\": \"1\"},"
                + " \"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"http://x.test/\"},"
                + " \"response\": {\"status\": 200}, " + entryMember + "}]}" + topMember + "}";
    }

    @Test
    void nestingUpToTheLimitIsReadAndWrittenBack() throws Exception {
        String json = har("\"_deep\": " + nested(ALLOWED, false) + ", \"cache\": {\"beforeRequest\": "
                + nested(ALLOWED, true) + "}", ", \"_top\": " + nested(ALLOWED, true));
        Har har = HarReader.fromJson(json);
        JsonNode deep = har.entries().get(0).extensions().get("_deep");
        int depth = 0;
        for (JsonNode n = deep; n.isArray(); n = n.get(0)) {
            depth++;
        }
        assertThat(depth).isEqualTo(ALLOWED);
        Har again = HarReader.fromJson(HarWriter.toJson(har));
        assertThat(again.entries().get(0).cache().beforeRequest().isObject()).isTrue();
        assertThat(again.extensions()).containsKey("_top");
    }

    @Test
    void nestingBeyondTheLimitIsOneClearLine() {
        for (String json : new String[] {
                har("\"_deep\": " + nested(TOO_DEEP, false), ""),
                har("\"_deeper\": " + nested(100_000, true), ""),
                har("\"cache\": {\"afterRequest\": " + nested(TOO_DEEP, true) + "}", ""),
                har("\"comment\": " + nested(TOO_DEEP, true), ""),
                har("\"time\": 1", ", \"_top\": " + nested(TOO_DEEP, false))}) {
            HarFormatException e = catchThrowableOfType(HarFormatException.class, () -> HarReader.fromJson(json));
            assertThat(e).as("the reader's failure").isNotNull();
            assertThat(e.getMessage()).matches("<string>:1:\\d+: JSON nested deeper than 1000 levels.*")
                    .hasSizeLessThan(300).doesNotContain("\n").doesNotContain("StreamReadConstraints");
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isGreaterThan(100);
        }
    }
}
