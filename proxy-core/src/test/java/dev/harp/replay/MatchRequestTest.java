package dev.harp.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchRequestTest {

    @Test
    void anAbsoluteUrlIsSplitIntoItsParts() {
        MatchRequest request = MatchRequest.of("GET", "HTTPS://User@API.Example.com:8443/v1/items?page=2&sort=name#top");

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.scheme()).isEqualTo("https");
        assertThat(request.host()).isEqualTo("api.example.com");
        assertThat(request.port()).isEqualTo(8443);
        assertThat(request.path()).isEqualTo("/v1/items");
        assertThat(request.query()).containsExactly(NameValue.of("page", "2"), NameValue.of("sort", "name"));
        assertThat(request.url()).isEqualTo("https://api.example.com:8443/v1/items?page=2&sort=name");
    }

    @Test
    void theDefaultPortOfTheSchemeIsFilledIn() {
        assertThat(MatchRequest.of("GET", "http://example.com/").port()).isEqualTo(80);
        assertThat(MatchRequest.of("GET", "https://example.com").port()).isEqualTo(443);
        assertThat(MatchRequest.of("GET", "https://example.com").path()).isEqualTo("/");
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        MatchRequest request = MatchRequest.of("GET", "http://[::1]:9999/x");

        assertThat(request.host()).isEqualTo("[::1]");
        assertThat(request.port()).isEqualTo(9999);
    }

    @Test
    void thePathIsKeptRawAsSent() {
        MatchRequest request = MatchRequest.of("GET", "https://example.com/files/a%2fb%20c");

        assertThat(request.path()).isEqualTo("/files/a%2fb%20c");
        assertThat(request.normalisedPath()).isEqualTo("/files/a%2Fb%20c");
    }

    @Test
    void queryParametersStayRawButDecodeAlikeForPlusAndPercent20() {
        List<NameValue> raw = MatchRequest.parseQuery("q=a+b&r=a%20b&flag&empty=");

        assertThat(raw).containsExactly(
                NameValue.of("q", "a+b"), NameValue.of("r", "a%20b"), NameValue.of("flag", ""), NameValue.of("empty", ""));
        MatchRequest request = MatchRequest.builder().method("GET").scheme("http").host("h").query("q=a+b&r=a%20b").build();
        assertThat(request.decodedQuery()).containsExactly(NameValue.of("q", "a b"), NameValue.of("r", "a b"));
    }

    @Test
    void malformedPercentEscapesAreKeptLiterally() {
        assertThat(UrlCodec.formDecode("100%+sure%zz%e2%82%ac")).isEqualTo("100% sure%zz\u20ac");
    }

    @Test
    void pseudoHeadersAreDroppedAndHeaderNamesAreCaseInsensitive() {
        MatchRequest request = MatchRequest.of("GET", "https://example.com/",
                List.of(NameValue.of(":authority", "example.com"), NameValue.of("Accept", "a"), NameValue.of("accept", "b")),
                null);

        assertThat(request.headers()).extracting(NameValue::name).containsExactly("Accept", "accept");
        assertThat(request.headerValues("ACCEPT")).containsExactly("a", "b");
        assertThat(request.header("x-missing")).isEmpty();
    }

    @Test
    void theBodyIsCopiedInAndOut() {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        MatchRequest request = MatchRequest.of("POST", "https://example.com/", List.of(), body);
        body[0] = 'J';
        request.body()[1] = 'X';

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(MatchRequest.of("GET", "https://example.com/").bodyLength()).isZero();
    }

    @Test
    void equalRequestsAreEqualValues() {
        MatchRequest a = MatchRequest.builder().method("POST").scheme("https").host("Example.com").body("x").build();
        MatchRequest b = a.toBuilder().build();

        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.toBuilder().body("y").build()).isNotEqualTo(a);
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        assertThatThrownBy(() -> MatchRequest.of("GET", "/relative/path"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an absolute URL");
        assertThatThrownBy(() -> MatchRequest.of("GET", "http://example.com:99999/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad port '99999'");
        assertThatThrownBy(() -> MatchRequest.of("GET", "ftp://example.com/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port is required for scheme 'ftp'");
    }
}
