package dev.harp.usage;

import dev.harp.options.Face;
import dev.harp.record.Redactor;
import dev.harp.replay.MatchRequest;
import dev.harp.replay.NameValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a usage file keeps of a request: no secret, a bounded body, no binary. */
class RequestViewTest {
    private static final String URL = "https://api.example.test/v1/login";

    private static MatchRequest request(String url, String contentType, byte[] body) {
        return MatchRequest.of("POST", url, List.of(
                NameValue.of("Authorization", "Bearer sk-live-abcdef0123456789"),
                NameValue.of("X-Api-Key", "key-0123456789abcdef"),
                NameValue.of("Content-Type", contentType),
                NameValue.of("Accept", "application/json")), body);
    }

    private static String header(RequestView view, String name) {
        return view.headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).map(NameValue::value)
                .findFirst().orElseThrow();
    }

    @Test
    void secretsInHeadersQueryAndJsonBodyAreRedacted() {
        byte[] body = "{\"user\":\"ann\",\"password\":\"hunter2-secret\",\"nested\":{\"access_token\":\"tok-998877\"}}"
                .getBytes(StandardCharsets.UTF_8);
        RequestView view = RequestView.of(request(URL + "?api_key=k-55443322&page=2&token=t-11223344",
                "application/json", body), Redactor.defaults());
        String all = view.toString();
        assertThat(all).doesNotContain("sk-live-abcdef0123456789", "key-0123456789abcdef", "k-55443322", "t-11223344",
                "hunter2-secret", "tok-998877");
        assertThat(header(view, "Authorization")).contains(Redactor.REDACTED);
        assertThat(header(view, "X-Api-Key")).contains(Redactor.REDACTED);
        assertThat(header(view, "Accept")).isEqualTo("application/json");
        assertThat(view.url()).contains("page=2").contains("api_key=" + Redactor.REDACTED);
        assertThat(view.body()).contains("\"user\"").contains("ann").contains(Redactor.REDACTED);
        assertThat(view.bodyLength()).isEqualTo(body.length);
        assertThat(view.bodyTruncated()).isFalse();
        assertThat(view.method()).isEqualTo("POST");
    }

    @Test
    void aRedactorThatRedactsNothingStillKeepsSecretsOutOfUsageFiles() {
        RequestView view = RequestView.of(request(URL + "?token=t-11223344", "application/json",
                "{\"password\":\"hunter2-secret\"}".getBytes(StandardCharsets.UTF_8)), Redactor.off());
        assertThat(view.toString()).doesNotContain("sk-live-abcdef0123456789", "key-0123456789abcdef", "t-11223344",
                "hunter2-secret");
    }

    @Test
    void longBodiesAreCutAtTheLimitOnACharacterBoundary() {
        // 'é' is two bytes: the limit falls inside one of them
        String text = "a" + "é".repeat(RequestView.BODY_LIMIT);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        RequestView view = RequestView.of(request(URL, "text/plain; charset=utf-8", body), Redactor.defaults());
        assertThat(view.bodyLength()).isEqualTo(body.length);
        assertThat(view.bodyTruncated()).isTrue();
        assertThat(view.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RequestView.BODY_LIMIT)
                .isGreaterThan(RequestView.BODY_LIMIT - 2);
        assertThat(view.body()).startsWith("aé").doesNotContain("\uFFFD");
    }

    @Test
    void binaryBodiesAreNotShown() {
        byte[] body = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, (byte) 0xff};
        RequestView view = RequestView.of(request(URL, "image/png", body), Redactor.defaults());
        assertThat(view.body()).isEmpty();
        assertThat(view.bodyLength()).isEqualTo(body.length);
        assertThat(view.bodyTruncated()).isTrue();

        RequestView none = RequestView.of(MatchRequest.of("GET", URL), Redactor.defaults());
        assertThat(none.body()).isEmpty();
        assertThat(none.bodyLength()).isZero();
        assertThat(none.bodyTruncated()).isFalse();
    }

    @Test
    void aMissViewOfARealMissKeepsItsClosestEntriesRedacted() {
        MissView miss = UsageLogTest.plantedMiss(Face.MAVEN);
        assertThat(miss.reason()).isEqualTo("NO_MATCH");
        assertThat(miss.live().url()).contains("ts=1712");
        MissView.Closest closest = miss.closest().get(0);
        assertThat(closest.entries()).containsExactly(0);
        assertThat(closest.recorded().url()).endsWith("/v1/orders?page=1");
        assertThat(closest.score()).isBetween(0.0, 100.0);
        assertThat(closest.differences()).extracting(MissView.DifferenceView::aspect).contains("QUERY");
        assertThat(miss.text()).contains("<ignoreQueryParams>ts</ignoreQueryParams>").doesNotContain("--ignore-query-param");
    }
}
