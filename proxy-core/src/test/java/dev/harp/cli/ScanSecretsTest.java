package dev.harp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --scan-secrets}: the CLI face of the secret scanner, run in process through {@link Main#run}. */
class ScanSecretsTest {
    @TempDir
    Path dir;

    private static String har(String url, String authorization) {
        return """
                {"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[
                 {"startedDateTime":"2026-01-01T00:00:00Z","time":1,
                  "request":{"method":"GET","url":"%s","httpVersion":"HTTP/1.1","cookies":[],
                    "headers":[{"name":"Authorization","value":"%s"}],"queryString":[],"headersSize":-1,"bodySize":-1},
                  "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],
                    "content":{"size":0,"mimeType":"text/plain","text":""},"redirectURL":"","headersSize":-1,"bodySize":-1},
                  "cache":{},"timings":{"send":0,"wait":0,"receive":0}}]}}
                """.formatted(url, authorization);
    }

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args);
            return new Run(status, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void listsFindingsWithoutValuesAndExits1() throws Exception {
        Path file = Files.writeString(dir.resolve("leaky.har"), har("https://a.test/?access_token=scan-tok-1&page=1", "Bearer scan-auth-2"));
        Run r = run("--scan-secrets", file.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains(file + ": entry 0: request.url query access_token (secret-name)")
                .contains(file + ": entry 0: request.header Authorization (secret-name)")
                .contains("Harp found 2 secrets in " + file)
                .doesNotContain("scan-tok-1").doesNotContain("scan-auth-2");
    }

    @Test
    void aCleanHarExits0AndKeepValueIsHonoured() throws Exception {
        Path file = Files.writeString(dir.resolve("clean.har"), har("https://a.test/?access_token=REDACTED&session=s", "REDACTED"));
        Run r = run("--scan-secrets", file.toString(), "--keep-value", "session");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out()).contains("Harp found no secrets in " + file);
        assertThat(run("--scan-secrets", file.toString()).status()).isEqualTo(1);
    }
}
