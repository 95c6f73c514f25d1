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
}
