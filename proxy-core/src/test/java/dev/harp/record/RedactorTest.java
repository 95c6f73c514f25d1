package dev.harp.record;

import dev.harp.flow.HttpHeader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private final Redactor redactor = Redactor.defaults();

    @Test
    void credentialHeadersLoseTheirValues() {
        List<HttpHeader> out = redactor.headers(List.of(
                new HttpHeader("Authorization", "Bearer s3cr3t"),
                new HttpHeader("Proxy-Authorization", "Basic abc"),
                new HttpHeader("X-Api-Key", "k"),
                new HttpHeader("X-Auth-Token", "t"),
                new HttpHeader("Accept", "text/plain")));
        assertThat(out).extracting(HttpHeader::value).containsExactly("REDACTED", "REDACTED", "REDACTED", "REDACTED", "text/plain");
    }

    @Test
    void cookiesKeepNamesAndAttributes() {
        assertThat(redactor.cookieHeader("a=1; b=two")).isEqualTo("a=REDACTED; b=REDACTED");
        assertThat(redactor.setCookie("id=abc; Path=/; HttpOnly")).isEqualTo("id=REDACTED; Path=/; HttpOnly");
    }

    @Test
    void secretQueryParametersAreRedactedAndTheRestKeptByteForByte() {
        assertThat(redactor.url("http://h/p?b=2&api_key=k3y&access_token=x&page=%20a#frag"))
                .isEqualTo("http://h/p?b=2&api_key=REDACTED&access_token=REDACTED&page=%20a#frag");
        assertThat(redactor.url("http://h/p")).isEqualTo("http://h/p");
    }

    @Test
    void jsonMembersAtAnyDepth() {
        byte[] body = "{\"user\":\"ann\",\"password\":\"pw\",\"nested\":[{\"refresh_token\":\"r\",\"n\":1}]}".getBytes(StandardCharsets.UTF_8);
        String out = new String(redactor.body(body, "application/json; charset=utf-8"), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("{\"user\":\"ann\",\"password\":\"REDACTED\",\"nested\":[{\"refresh_token\":\"REDACTED\",\"n\":1}]}");
    }

    @Test
    void jsonWithoutSecretsIsReturnedUntouched() {
        byte[] body = "{ \"a\" : 1 }".getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.body(body, "application/json")).isSameAs(body);
    }

    @Test
    void formFields() {
        byte[] body = "user=ann&client_secret=xyz".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(redactor.body(body, "application/x-www-form-urlencoded"), StandardCharsets.UTF_8))
                .isEqualTo("user=ann&client_secret=REDACTED");
    }

    @Test
    void namesThatOnlyResembleSecretsStay() {
        assertThat(redactor.isSecretName("author")).isFalse();
        assertThat(redactor.isSecretName("keyboard")).isFalse();
        assertThat(redactor.isSecretName("apiKey")).isTrue();
        assertThat(redactor.isSecretName("X-CSRF-Token")).isTrue();
    }

    @Test
    void extraNamesAndOff() {
        assertThat(Redactor.withExtraNames(Set.of("X-Tenant")).headers(List.of(new HttpHeader("x-tenant", "acme"))))
                .extracting(HttpHeader::value).containsExactly("REDACTED");
        assertThat(Redactor.off().url("http://h/?token=t")).isEqualTo("http://h/?token=t");
    }

    @Test
    void namesAboutASecretAreNotSecrets() {
        assertThat(redactor.form("token_type=bearer&expires_in=3600&password_policy=strict&token=t"))
                .isEqualTo("token_type=bearer&expires_in=3600&password_policy=strict&token=REDACTED");
    }

    @Test
    void everyWellKnownShapeIsFoundUnderAnyName() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        for (String secret : List.of(jwt, "ASIAY34FZKBOKMUTVV7A", "gho_" + "Z".repeat(36), "ghs_" + "1".repeat(36),
                "github_pat_11ABCDEFG0" + "x".repeat(30), "glpat-" + "a".repeat(20), "xoxp-1234-5678-abcdefgh",
                "rk_live_" + "a1".repeat(12), "AIzaSyA" + "b".repeat(32), "npm_" + "c".repeat(36),
                "sk-proj-" + "d".repeat(40), "Bearer abcdefghijklmnopqrstuvwxyz012345")) {
            String in = "{\"note\":\"see " + secret + " here\"}";
            String out = new String(redactor.body(in.getBytes(StandardCharsets.UTF_8), "application/json"), StandardCharsets.UTF_8);
            assertThat(out).as(secret).isEqualTo("{\"note\":\"see REDACTED here\"}");
        }
    }

    @Test
    void ordinaryValuesStay() {
        String ordinary = "123e4567-e89b-12d3-a456-426614174000 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 "
                + "d41d8cd98f00b204e9800998ecf8427e AKIA1234 ghp_short sk_live_ eyJhbGciOiJIUzI1NiJ9 "
                + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg== "
                + "https://example.test/a/b?page=2&sort=name#top MyTokenizerFactory bearer of news";
        byte[] body = ordinary.getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.body(body, "text/plain")).isSameAs(body);
        assertThat(redactor.headers(List.of(new HttpHeader("X-Trace", ordinary)))).extracting(HttpHeader::value)
                .containsExactly(ordinary);
    }

    @Test
    void aPemPrivateKeyGoesWholeAndAPublicCertificateStays() {
        String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
        String cert = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----";
        String out = new String(redactor.body((key + "\n" + cert).getBytes(StandardCharsets.UTF_8), "text/plain"),
                StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("REDACTED\n" + cert);
    }

    @Test
    void keptValuesStayByNameAndByShape() {
        Redactor keep = Redactor.defaults().keepingValues(Set.of("SESSION", "id_token"));
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        byte[] body = ("{\"session\":\"abc\",\"id_token\":\"" + jwt + "\",\"password\":\"p\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(keep.body(body, "application/json"), StandardCharsets.UTF_8))
                .isEqualTo("{\"session\":\"abc\",\"id_token\":\"" + jwt + "\",\"password\":\"REDACTED\"}");
        assertThat(keep.setCookie("session=abc; Path=/")).isEqualTo("session=abc; Path=/");
        assertThat(keep.url("http://h/?session=s&token=t")).isEqualTo("http://h/?session=s&token=REDACTED");
    }

    @Test
    void logLinesLoseSecretsInUrlsAndText() {
        assertThat(Redactor.forLog("http://h/p?access_token=a&x=1#id_token=b")).isEqualTo("http://h/p?access_token=REDACTED&x=1#id_token=REDACTED");
        assertThat(Redactor.forLogText("GET https://h/?password=p failed; key AKIAIOSFODNN7EXAMPLE"))
                .isEqualTo("GET https://h/?password=REDACTED failed; key REDACTED");
    }

    @Test
    void jsonThatDoesNotParseStillLosesItsSecretMembers() {
        String deep = "[".repeat(1500) + "{\"password\":\"deep-pw\",\"n\":\"a\\\"b\"}" + "]".repeat(1500);
        String cut = "{\"user\":\"ann\",\"token\" : \"cut-tok\",\"x\":[1,2";
        assertThat(new String(redactor.body(deep.getBytes(StandardCharsets.UTF_8), "application/json"), StandardCharsets.UTF_8))
                .doesNotContain("deep-pw").contains("\"password\":\"REDACTED\"").contains("\"n\":\"a\\\"b\"");
        assertThat(new String(redactor.body(cut.getBytes(StandardCharsets.UTF_8), "text/plain"), StandardCharsets.UTF_8))
                .isEqualTo("{\"user\":\"ann\",\"token\" : \"REDACTED\",\"x\":[1,2");
    }

    @Test
    void aMemberNamedByASecretLosesItsNameAndFindingsNeverShowIt() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        String ghp = "ghp_" + "k".repeat(36);
        String in = "{\"sessions\":{\"" + jwt + "\":{\"user\":\"ann\"},\"" + ghp + "\":1},\"n\":2}";
        String out = new String(redactor.body(in.getBytes(StandardCharsets.UTF_8), "application/json"), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("{\"sessions\":{\"REDACTED\":{\"user\":\"ann\"},\"REDACTED-2\":1},\"n\":2}");
        List<String> locations = new java.util.ArrayList<>();
        redactor.body(in.getBytes(StandardCharsets.UTF_8), "application/json", "body", (location, rule, name) -> locations.add(location));
        assertThat(String.join(" ", locations)).doesNotContain(jwt).doesNotContain(ghp).contains("body $.sessions (member name)");
    }
}
