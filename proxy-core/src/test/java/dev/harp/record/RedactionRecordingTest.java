package dev.harp.record;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redaction as a recording does it: real client, real Harp, real upstream, and the HAR file read back as a user
 * would commit it. Every secret below is a distinct marker, so "the file does not contain it" proves it is gone.
 */
class RedactionRecordingTest {
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    @TempDir
    Path dir;
    ReplyUpstream upstream;
    HarpServer harp;
    HttpClient client;
    Path har;

    @BeforeEach
    void start() throws Exception {
        upstream = ReplyUpstream.start();
        har = dir.resolve("flows.har");
    }

    private void startHarp(UnaryOperator<dev.harp.HarpConfig.Builder> options) throws Exception {
        harp = options.apply(HarpServer.builder().mode(Mode.RECORD).har(har).port(0)
                .environment(Map.of()).systemProperties(Map.of())).start();
        client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        if (harp != null) {
            harp.close();
        }
        upstream.close();
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream.url(pathAndQuery))).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isLessThan(500);
        return r;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String closeAndReadFile() throws Exception {
        harp.close();
        return Files.readString(har);
    }

    private Har closeAndRead() throws Exception {
        harp.close();
        return HarReader.read(har);
    }

    @Test
    void multipartFieldsWithSecretNamesAreRedactedAndTheOtherPartsKept() throws Exception {
        startHarp(b -> b);
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nann\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nmp-pass-1\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nmp-token-2\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nplain file\r\n"
                + "--XyZ--\r\n";
        send("POST", "/upload", utf8(body), "Content-Type", "multipart/form-data; boundary=XyZ");
        String file = closeAndReadFile();
        assertThat(file).doesNotContain("mp-pass-1").doesNotContain("mp-token-2").contains("ann").contains("plain file");
        String text = HarReader.read(har).entries().get(0).request().postData().text();
        assertThat(text).contains("name=\"password\"\r\n\r\nREDACTED\r\n").contains("name=\"token\"\r\n\r\nREDACTED\r\n");
    }

    @Test
    void jsonArraysAndObjectsUnderSecretNamesLoseTheirWholeValueInRequestsAndResponses() throws Exception {
        startHarp(b -> b);
        String json = "{\"user\":\"ann\",\"apiKeys\":[\"k-one-111\",\"k-two-222\"],\"auth\":{\"bearer\":\"b-333\",\"n\":1},"
                + "\"list\":[{\"credentials\":{\"pw\":\"c-444\"}}]}";
        send("POST", "/login", utf8(json), "Content-Type", "application/json");
        Har h = closeAndRead();
        String expected = "{\"user\":\"ann\",\"apiKeys\":\"REDACTED\",\"auth\":\"REDACTED\",\"list\":[{\"credentials\":\"REDACTED\"}]}";
        assertThat(h.entries().get(0).request().postData().text()).isEqualTo(expected);
        assertThat(h.entries().get(0).response().content().text()).isEqualTo(expected);
    }

    @Test
    void urlsInsideValuesLoseTheirSecretParametersInQueryAndFragment() throws Exception {
        startHarp(b -> b);
        String next = java.net.URLEncoder.encode("https://app.test/after?access_token=q-tok-1&x=1", StandardCharsets.UTF_8);
        send("GET", "/authorize?next=" + next, null,
                "Referer", "https://app.test/page?access_token=ref-tok-2&tab=1",
                "X-Reply-Status", "302",
                "X-Reply-Header", "Location: https://app.test/cb?code=loc-code-3&state=st#access_token=frag-tok-4&token_type=bearer");
        String file = closeAndReadFile();
        assertThat(file).doesNotContain("q-tok-1").doesNotContain("ref-tok-2").doesNotContain("loc-code-3")
                .doesNotContain("frag-tok-4");
        HarEntry e = HarReader.read(har).entries().get(0);
        assertThat(e.response().redirectURL())
                .isEqualTo("https://app.test/cb?code=REDACTED&state=st#access_token=REDACTED&token_type=bearer");
        assertThat(e.request().headers()).anySatisfy(hh -> {
            assertThat(hh.name()).isEqualToIgnoringCase("Referer");
            assertThat(hh.value()).isEqualTo("https://app.test/page?access_token=REDACTED&tab=1");
        });
    }

    @Test
    void jsonSentAsTextPlainIsRecognisedByItsContent() throws Exception {
        startHarp(b -> b);
        send("POST", "/text", utf8("  {\"password\":\"tp-pass-5\",\"user\":\"ann\"}"), "Content-Type", "text/plain");
        String file = closeAndReadFile();
        assertThat(file).doesNotContain("tp-pass-5").contains("ann");
    }

    @Test
    void gzipRequestBodiesAreStoredDecodedAndRedacted() throws Exception {
        startHarp(b -> b);
        byte[] gz = gzip("{\"password\":\"gz-pass-6\",\"user\":\"ann\"}");
        send("POST", "/gz", gz, "Content-Type", "application/json", "Content-Encoding", "gzip");
        Har h = closeAndRead();
        assertThat(Files.readString(har)).doesNotContain("gz-pass-6");
        HarEntry e = h.entries().get(0);
        assertThat(e.request().postData().text()).isEqualTo("{\"password\":\"REDACTED\",\"user\":\"ann\"}");
        assertThat(e.request().postData().comment()).contains("decoded from Content-Encoding gzip");
        assertThat(e.response().content().text()).isEqualTo("{\"password\":\"REDACTED\",\"user\":\"ann\"}");
    }

    @Test
    void credentialHeadersByConventionAndSecretShapesUnderInnocentNames() throws Exception {
        startHarp(b -> b);
        String uuid = "123e4567-e89b-12d3-a456-426614174000";
        send("GET", "/h", null,
                "Ocp-Apim-Subscription-Key", "apim-key-7",
                "X-Session", "sess-8",
                "X-Refresh-Token", "rt-9",
                "X-My-Secret-Thing", "st-10",
                "X-Request-Context", JWT,
                "X-Correlation-Id", uuid);
        String file = closeAndReadFile();
        assertThat(file).doesNotContain("apim-key-7").doesNotContain("sess-8").doesNotContain("rt-9")
                .doesNotContain("st-10").doesNotContain(JWT).contains(uuid);
    }

    @Test
    void oauthParametersInFormsAndQueries() throws Exception {
        startHarp(b -> b);
        String form = "grant_type=authorization_code&code=oa-code-11&refresh_token=oa-rt-12&client_secret=oa-cs-13"
                + "&client_assertion=oa-as-14&otp=991234&id_token=oa-id-15&client_id=my-app";
        send("POST", "/token?code=oa-code-16&state=abc", utf8(form), "Content-Type", "application/x-www-form-urlencoded");
        String file = closeAndReadFile();
        for (String secret : List.of("oa-code-11", "oa-rt-12", "oa-cs-13", "oa-as-14", "991234", "oa-id-15", "oa-code-16")) {
            assertThat(file).doesNotContain(secret);
        }
        assertThat(file).contains("my-app").contains("authorization_code").contains("state=abc");
    }

    @Test
    void wellKnownSecretShapesInAnyTextAndOrdinaryValuesStay() throws Exception {
        startHarp(b -> b);
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
                + "-----END RSA PRIVATE KEY-----";
        String[] secrets = {"AKIAIOSFODNN7EXAMPLE", "ghp_" + "a".repeat(36), "github_pat_" + "B".repeat(40),
                "xoxb-123456789012-abcdefghijkl", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "AIza" + "S".repeat(35), JWT};
        String ordinary = "id 123e4567-e89b-12d3-a456-426614174000 sha e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                + " word tokenizer keyboard AKIA";
        String text = String.join("\n", secrets) + "\n" + pem + "\n" + ordinary;
        send("POST", "/shapes", utf8(text), "Content-Type", "text/plain");
        String file = closeAndReadFile();
        for (String s : secrets) {
            assertThat(file).doesNotContain(s);
        }
        assertThat(file).doesNotContain("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun")
                .contains(ordinary.replace("\n", "\\n"));
    }

    @Test
    void aRecordedHarHasNoFindingsForTheScanner() throws Exception {
        startHarp(b -> b);
        send("POST", "/login?access_token=sc-1", utf8("{\"auth\":{\"k\":\"v\"},\"note\":\"" + JWT + "\"}"),
                "Content-Type", "application/json", "Authorization", "Bearer sc-2", "Cookie", "sid=sc-3");
        assertThat(SecretScanner.scan(closeAndRead())).isEmpty();
    }

    @Test
    void aRedactedResponseValueIsWarnedOnceNamingTheOptionThatKeepsIt() throws Exception {
        startHarp(b -> b);
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                send("POST", "/login", utf8("{\"session\":\"abc" + i + "\",\"user\":\"ann\"}"), "Content-Type", "application/json");
            }
            harp.close();
            List<String> warnings = logs.problems().stream().filter(l -> l.contains("\"session\"")).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("keepValues").contains("--keep-value session").doesNotContain("abc");
        }
        assertThat(HarReader.read(har).entries().get(0).response().content().text()).contains("\"session\":\"REDACTED\"");
    }

    @Test
    void keepValuesKeepsANamedValueAndOnlyIt() throws Exception {
        startHarp(b -> b.keepValues("Session"));
        try (LogCapture logs = LogCapture.start()) {
            send("POST", "/login", utf8("{\"session\":\"abc\",\"password\":\"kv-pass\"}"), "Content-Type", "application/json");
            harp.close();
            assertThat(logs.problems()).noneMatch(l -> l.contains("\"session\""));
        }
        String text = HarReader.read(har).entries().get(0).response().content().text();
        assertThat(text).isEqualTo("{\"session\":\"abc\",\"password\":\"REDACTED\"}");
    }

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(utf8(text));
        }
        return out.toByteArray();
    }
}
