package dev.harp.record;

import dev.harp.har.Har;
import dev.harp.har.HarReader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scanner the Maven verify goal uses: a browser-like HAR full of secrets, and a clean one. */
class SecretScannerTest {
    private static final String GITHUB = "ghp_" + "x".repeat(36);

    private static String entry(String url, String requestHeaders, String postData, String responseHeaders, String text) {
        return """
                {"startedDateTime":"2026-01-01T00:00:00Z","time":1,
                 "request":{"method":"POST","url":"%s","httpVersion":"HTTP/1.1","cookies":[],"headers":[%s],
                   "queryString":[],%s"headersSize":-1,"bodySize":-1},
                 "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[%s],
                   "content":{"size":0,"mimeType":"application/json","text":%s},"redirectURL":"","headersSize":-1,"bodySize":-1},
                 "cache":{},"timings":{"send":0,"wait":0,"receive":0}}""".formatted(url, requestHeaders, postData,
                responseHeaders, text);
    }

    private static Har har(String... entries) throws Exception {
        return HarReader.fromJson("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"x\",\"version\":\"1\"},\"entries\":["
                + String.join(",", entries) + "]}}");
    }

    @Test
    void findingsNameEntryPlaceAndRuleButNeverTheSecret() throws Exception {
        Har har = har(
                entry("https://api.test/ok?page=1", "{\"name\":\"Accept\",\"value\":\"*/*\"}", "",
                        "", "\"{\\\"id\\\":\\\"123e4567-e89b-12d3-a456-426614174000\\\"}\""),
                entry("https://api.test/login?access_token=s-1", "{\"name\":\"Authorization\",\"value\":\"Basic s-2\"}",
                        "\"postData\":{\"mimeType\":\"application/x-www-form-urlencoded\",\"text\":\"user=a&password=s-3\"},",
                        "{\"name\":\"X-Note\",\"value\":\"" + GITHUB + "\"}",
                        "\"{\\\"auth\\\":{\\\"k\\\":\\\"s-4\\\"},\\\"key\\\":\\\"AKIAIOSFODNN7EXAMPLE\\\"}\""));
        List<SecretFinding> findings = SecretScanner.scan(har);
        assertThat(findings).extracting(SecretFinding::entry).containsOnly(1);
        assertThat(findings).contains(
                new SecretFinding(1, "request.url query access_token", "secret-name"),
                new SecretFinding(1, "request.header Authorization", "secret-name"),
                new SecretFinding(1, "request.body password", "secret-name"),
                new SecretFinding(1, "response.header X-Note", "github-token"),
                new SecretFinding(1, "response.body $.auth", "secret-name"),
                new SecretFinding(1, "response.body $.key", "secret-name"));
        String all = findings.toString();
        for (String secret : List.of("s-1", "s-2", "s-3", "s-4", GITHUB, "AKIAIOSFODNN7EXAMPLE")) {
            assertThat(all).doesNotContain(secret);
        }
        assertThat(findings.get(0).toString()).isEqualTo("entry 1: request.url query access_token (secret-name)");
    }

    @Test
    void redactedValuesAreNoFindingsAndRedactionOffFindsNothing() throws Exception {
        Har har = har(entry("https://api.test/login?access_token=REDACTED", "{\"name\":\"Authorization\",\"value\":\"REDACTED\"}",
                "", "", "\"{\\\"auth\\\":\\\"REDACTED\\\"}\""));
        assertThat(SecretScanner.scan(har)).isEmpty();
        Har leaky = har(entry("https://api.test/login?access_token=x", "", "", "", "\"\""));
        assertThat(SecretScanner.scan(leaky, Redactor.off())).isEmpty();
        assertThat(SecretScanner.scan(leaky, Redactor.defaults().keepingValues(List.of("access_token")))).isEmpty();
    }
}
