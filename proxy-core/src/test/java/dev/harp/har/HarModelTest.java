package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HarModelTest {

    @Test
    void newRecordingIsAnEmptyHarpLog() {
        Har har = Har.newRecording("0.1.0");
        assertThat(har.log().version()).isEqualTo("1.2");
        assertThat(har.log().creator()).isEqualTo(HarCreator.of("Harp", "0.1.0"));
        assertThat(har.log().browser()).isNull();
        assertThat(har.log().pages()).isNull();
        assertThat(har.entries()).isEmpty();
        assertThat(har.extensions()).isEmpty();
    }

    @Test
    void requestBuilderDefaultsAndAppends() {
        HarRequest r = HarRequest.builder("POST", "https://api.test/items?a=1&a=2")
                .header("Accept", "*/*").header("X-Dup", "1").header("x-dup", "2")
                .queryParam("a", "1").queryParam("a", "2")
                .postData(HarPostData.ofText("application/json", "{}"))
                .build();
        assertThat(r.httpVersion()).isEqualTo("HTTP/1.1");
        assertThat(r.headersSize()).isEqualTo(-1);
        assertThat(r.bodySize()).isEqualTo(-1);
        assertThat(r.cookies()).isEmpty();
        assertThat(r.headers()).extracting(HarHeader::name).containsExactly("Accept", "X-Dup",
                "x-dup");
        assertThat(r.queryString()).containsExactly(HarHeader.of("a", "1"), HarHeader.of("a", "2"));
        assertThat(r.firstHeader("X-DUP")).contains("1");
        assertThat(r.firstHeader("missing")).isEmpty();
        assertThat(r.toBuilder().build()).isEqualTo(r);
    }

    @Test
    void responseBuilderDefaults() {
        HarResponse r = HarResponse.builder(404).build();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.statusText()).isEmpty();
        assertThat(r.redirectURL()).isEmpty();
        assertThat(r.content().size()).isZero();
        assertThat(r.content().text()).isNull();
        assertThat(r.toBuilder().status(200).build().status()).isEqualTo(200);
    }

    @Test
    void entryBuilderFormatsTheInstantAndDefaultsTimings() {
        HarEntry e = entry(Instant.parse("2024-05-01T10:00:00.1234Z"));
        assertThat(e.startedDateTime()).isEqualTo("2024-05-01T10:00:00.123Z");
        assertThat(e.cache()).isEqualTo(HarCache.empty());
        assertThat(e.timings()).isEqualTo(HarTimings.of(0, 0, 0));
        assertThat(e.toBuilder().build()).isEqualTo(e);
        HarResponse other = HarResponse.builder(500).build();
        assertThat(e.withResponse(other).response()).isEqualTo(other);
        assertThat(e.withRequest(e.request().toBuilder().url("https://x.test/").build())
                .request().url()).isEqualTo("https://x.test/");
    }

    @Test
    void entryBuilderRequiresRequestResponseAndStart() {
        assertThatThrownBy(() -> HarEntry.builder().build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("startedDateTime");
        assertThatThrownBy(() -> HarRequest.builder(null, "u").build())
                .hasMessageContaining("request method");
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        assertThatThrownBy(() -> HarTimings.of(0, Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait");
        assertThatThrownBy(() -> entry(Instant.EPOCH).toBuilder()
                .time(Double.POSITIVE_INFINITY).build())
                .hasMessageContaining("entry time");
    }

    @Test
    void extensionsKeepOrderAndAreUnmodifiable() {
        Map<String, JsonNode> ext = new LinkedHashMap<>();
        ext.put("_z", IntNode.valueOf(1));
        ext.put("_a", IntNode.valueOf(2));
        ext.put("lastFetched", TextNode.valueOf(""));
        HarHeader h = new HarHeader("n", "v", null, ext);
        assertThat(h.extensions().keySet()).containsExactly("_z", "_a", "lastFetched");
        assertThatThrownBy(() -> h.extensions().put("_b", IntNode.valueOf(3)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void extensionsAreCopiedOnConstruction() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("type", "script");
        Map<String, JsonNode> ext = new LinkedHashMap<>();
        ext.put("_initiator", node);
        HarEntry e = entry(Instant.EPOCH).toBuilder().extensions(ext).build();
        node.put("type", "changed");
        ext.put("_later", IntNode.valueOf(1));
        assertThat(e.extensions()).containsOnlyKeys("_initiator");
        assertThat(e.extensions().get("_initiator").get("type").asText()).isEqualTo("script");
    }

    @Test
    void anExtensionNamedLikeAMemberIsRejected() {
        assertThatThrownBy(() -> HarRequest.builder("GET", "https://x.test/")
                .extension("url", TextNode.valueOf("other")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"url\"");
        assertThatThrownBy(() -> new HarTimings(null, null, null, 1, 1, 1, null, null,
                Map.of("wait", IntNode.valueOf(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsAreCopiedAndImmutable() {
        List<HarHeader> headers = new ArrayList<>(List.of(HarHeader.of("a", "1")));
        HarRequest r = HarRequest.builder("GET", "https://x.test/").headers(headers).build();
        headers.add(HarHeader.of("b", "2"));
        assertThat(r.headers()).hasSize(1);
        assertThatThrownBy(() -> r.headers().add(HarHeader.of("c", "3")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withEntryAppendsAndWithEntriesReplaces() {
        HarEntry a = entry(Instant.parse("2024-01-01T00:00:01Z"));
        HarEntry b = entry(Instant.parse("2024-01-01T00:00:00Z"));
        Har har = Har.newRecording("1").withEntry(a).withEntry(b);
        assertThat(har.entries()).containsExactly(a, b);
        assertThat(har.withEntries(List.of(b)).entries()).containsExactly(b);
    }

    @Test
    void redactionCopiesKeepEverythingElse() {
        HarCookie c = new HarCookie("sid", "secret", "/", "x.test", "never", true, false, "c",
                null);
        assertThat(c.withValue("REDACTED")).isEqualTo(new HarCookie("sid", "REDACTED", "/",
                "x.test", "never", true, false, "c", null));
        assertThat(HarHeader.of("Authorization", "Bearer x").withValue("REDACTED").value())
                .isEqualTo("REDACTED");
        assertThat(HarParam.of("password", "hunter2").withValue("REDACTED").value())
                .isEqualTo("REDACTED");
        HarPostData p = new HarPostData("application/x-www-form-urlencoded",
                List.of(HarParam.of("a", "1")), "a=1", null, null);
        assertThat(p.withText("a=2").params()).isEqualTo(p.params());
        assertThat(p.withParams(null).params()).isNull();
    }

    @Test
    void timingsTotalSkipsNegativeAndSsl() {
        HarTimings t = new HarTimings(1.5, -1.0, 10.0, 0.25, 5.0, -1, 7.0, null, null);
        assertThat(t.total()).isEqualTo(16.75);
    }

    @ParameterizedTest
    @CsvSource({
        "2023-03-30T00:16:44.544Z, 2023-03-30T00:16:44.544Z",
        "2023-03-30T00:16:44.544123+00:00, 2023-03-30T00:16:44.544123Z",
        "2016-06-28T21:42:02.7221474+01:00, 2016-06-28T20:42:02.7221474Z",
        "2023-03-29T16:58:59.303-07:00, 2023-03-29T23:58:59.303Z",
        "2017-06-28T09:30:49+00:00, 2017-06-28T09:30:49Z",
        "2017-06-28T09:30:49.5+0130, 2017-06-28T08:00:49.5Z",
        "2017-06-28 09:30:49.5z, 2017-06-28T09:30:49.5Z",
        "2017-06-28T09:30:49.5, 2017-06-28T09:30:49.5Z",
    })
    void startedInstantIsLenient(String text, String expected) {
        HarEntry e = entry(Instant.EPOCH).toBuilder().startedDateTime(text).build();
        assertThat(e.startedInstant()).contains(Instant.parse(expected));
        assertThat(e.startedDateTime()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "yesterday", "2023-13-01T00:00:00Z",
        "Fri, 08-May-2020 10:07:30 GMT", "1680134301"})
    void unparsableStartIsEmpty(String text) {
        HarEntry e = entry(Instant.EPOCH).toBuilder().startedDateTime(text).build();
        assertThat(e.startedInstant()).isEqualTo(Optional.empty());
    }

    static HarEntry entry(Instant start) {
        return HarEntry.builder().startedDateTime(start)
                .request(HarRequest.builder("GET", "https://x.test/").build())
                .response(HarResponse.builder(200).statusText("OK").build())
                .build();
    }
}
