package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.replay.MatchOptions;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.send;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each match option end to end: a request that misses under the defaults hits with the option, through a real Harp
 * replaying a HAR that a real Harp recorded.
 */
class ReplayMatchOptionsTest {
    private static final String JSON_RECORDED = "{\"id\":1,\"ts\":\"2024-01-01T00:00:00Z\",\"items\":[{\"id\":7,\"n\":\"a\"}]}";

    @TempDir
    static Path dir;
    static Path har;
    static String base;
    static int upstreamPort;

    @BeforeAll
    static void record() throws Exception {
        har = dir.resolve("options.har");
        try (TestUpstream upstream = TestUpstream.start(); HarpServer recording = Proxied.harp(Mode.RECORD, har).start()) {
            base = upstream.url("");
            upstreamPort = upstream.port();
            HttpClient c = Proxied.client(recording);
            get(c, base + "/query?q=1&_=111");
            send(c, "POST", base + "/echo?case=json", JSON_RECORDED.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
            assertThat(text(get(c, base + "/count", "X-Tenant", "a"))).isEqualTo("count=1\n");
            assertThat(text(get(c, base + "/count", "X-Tenant", "b"))).isEqualTo("count=2\n");
            send(c, "POST", base + "/echo?case=body", "alpha".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
            get(c, base + "/hello?case=alias");
            get(c, base + "/hello?api_key=s3cret-key&q=2", "Authorization", "Bearer s3cret-token");
            send(c, "POST", base + "/echo?case=json-secret", "{\"user\":\"ada\",\"password\":\"s3cret-pw\"}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json");
            send(c, "POST", base + "/echo?case=form-secret", "user=ada&access_token=s3cret-tok".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/x-www-form-urlencoded");
        }
    }

    private static HarpServer replay(MatchOptions options) throws Exception {
        return Proxied.harp(Mode.REPLAY, har).matchOptions(options).start();
    }

    @Test
    void ignoreQueryParams() throws Exception {
        String url = base + "/query?q=1&_=999";
        try (HarpServer harp = replay(MatchOptions.defaults())) {
            assertMiss(get(Proxied.client(harp), url));
        }
        try (HarpServer harp = replay(MatchOptions.builder().ignoreQueryParams("_").build())) {
            HttpResponse<byte[]> r = get(Proxied.client(harp), url);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("query=q=1&_=111\n");
            assertMiss(get(Proxied.client(harp), base + "/query?q=2&_=999"));
        }
    }

    @Test
    void ignoreJsonPaths() throws Exception {
        byte[] live = "{\"items\":[{\"n\":\"a\",\"id\":8}],\"ts\":\"2025-06-30T12:00:00Z\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
        try (HarpServer harp = replay(MatchOptions.defaults())) {
            assertMiss(send(Proxied.client(harp), "POST", base + "/echo?case=json", live, "Content-Type", "application/json"));
        }
        try (HarpServer harp = replay(MatchOptions.builder().ignoreJsonPaths("$.ts", "$.items[*].id").build())) {
            HttpResponse<byte[]> r = send(Proxied.client(harp), "POST", base + "/echo?case=json", live, "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo(JSON_RECORDED);
        }
    }

    @Test
    void matchHeaders() throws Exception {
        try (HarpServer harp = replay(MatchOptions.defaults())) {
            // headers are not compared by default: tenant b gets the first recording of the sequence
            assertThat(text(get(Proxied.client(harp), base + "/count", "X-Tenant", "b"))).isEqualTo("count=1\n");
        }
        try (HarpServer harp = replay(MatchOptions.builder().matchHeaders("x-tenant").build())) {
            HttpClient c = Proxied.client(harp);
            assertThat(text(get(c, base + "/count", "X-Tenant", "b"))).isEqualTo("count=2\n");
            assertThat(text(get(c, base + "/count", "X-Tenant", "a"))).isEqualTo("count=1\n");
            HttpResponse<byte[]> other = get(c, base + "/count", "X-Tenant", "c");
            assertMiss(other);
            assertThat(text(other)).containsIgnoringCase("x-tenant");
        }
    }

    @Test
    void ignoreBody() throws Exception {
        byte[] beta = "beta".getBytes(StandardCharsets.UTF_8);
        try (HarpServer harp = replay(MatchOptions.defaults())) {
            assertMiss(send(Proxied.client(harp), "POST", base + "/echo?case=body", beta, "Content-Type", "text/plain"));
        }
        try (HarpServer harp = replay(MatchOptions.builder().ignoreBody(true).build())) {
            HttpResponse<byte[]> r = send(Proxied.client(harp), "POST", base + "/echo?case=body", beta, "Content-Type", "text/plain");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("alpha");
        }
    }

    @Test
    void hostAlias() throws Exception {
        String aliased = "http://api.alias.test:8080/hello?case=alias";
        try (HarpServer harp = replay(MatchOptions.defaults())) {
            assertMiss(get(Proxied.client(harp), aliased));
        }
        try (HarpServer harp = replay(MatchOptions.builder().hostAlias("api.alias.test:8080", "127.0.0.1:" + upstreamPort).build())) {
            HttpResponse<byte[]> r = get(Proxied.client(harp), aliased);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("hello harp\n");
        }
    }

    @Test
    void redactedHeaderAndQueryValuesMatchAnyValue() throws Exception {
        String recordedHar = Files.readString(har);
        assertThat(recordedHar).doesNotContain("s3cret").contains("api_key=REDACTED");
        try (HarpServer harp = replay(MatchOptions.builder().matchHeaders("Authorization").build())) {
            HttpClient c = Proxied.client(harp);
            HttpResponse<byte[]> r = get(c, base + "/hello?api_key=another-key&q=2", "Authorization", "Bearer another-token");
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            assertThat(text(r)).isEqualTo("hello harp\n");
            // only the secret widens: another q is still a miss
            assertMiss(get(c, base + "/hello?api_key=another-key&q=3", "Authorization", "Bearer another-token"));
        }
        try (HarpServer harp = replay(MatchOptions.defaults())) {
            HttpClient c = Proxied.client(harp);
            HttpResponse<byte[]> json = send(c, "POST", base + "/echo?case=json-secret",
                    "{\"password\":\"other-pw\",\"user\":\"ada\"}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
            assertThat(json.statusCode()).as(text(json)).isEqualTo(200);
            assertThat(text(json)).isEqualTo("{\"user\":\"ada\",\"password\":\"REDACTED\"}");
            assertMiss(send(c, "POST", base + "/echo?case=json-secret",
                    "{\"password\":\"other-pw\",\"user\":\"bob\"}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json"));
            HttpResponse<byte[]> form = send(c, "POST", base + "/echo?case=form-secret",
                    "user=ada&access_token=other-tok".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-www-form-urlencoded");
            assertThat(form.statusCode()).as(text(form)).isEqualTo(200);
            assertMiss(send(c, "POST", base + "/echo?case=form-secret",
                    "user=bob&access_token=other-tok".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-www-form-urlencoded"));
        }
    }

    private static void assertMiss(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(502);
        assertThat(r.headers().firstValue("Harp-Miss")).isPresent();
    }
}
