package dev.harp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The faces' view of a HAR: entries summed up in file order, bad files named in the error. */
class HarFileTest {
    @TempDir
    Path dir;

    private static String entry(String method, String url, int status) {
        return """
                {"startedDateTime": "2024-05-01T10:00:00.000Z", "time": 1,
                 "request": {"method": "%s", "url": "%s", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                             "queryString": [], "headersSize": -1, "bodySize": 0},
                 "response": {"status": %d, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                              "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1,
                              "bodySize": 0},
                 "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}""".formatted(method, url, status);
    }

    @Test
    void readsEntriesInFileOrderAsMethodUrlAndStatus() throws IOException {
        Path har = dir.resolve("f.har");
        Files.writeString(har, """
                {"log": {"version": "1.2", "creator": {"name": "hand", "version": "1"}, "entries": [%s, %s]}}
                """.formatted(entry("GET", "https://api.test/a?access_token=abc", 200),
                entry("POST", "https://api.test/b", 201)));

        HarFile file = HarFile.read(har);

        assertThat(file.path()).isEqualTo(har);
        assertThat(file.entries()).containsExactly(
                new HarFile.Entry(0, "GET", "https://api.test/a?access_token=abc", 200),
                new HarFile.Entry(1, "POST", "https://api.test/b", 201));
        assertThat(file.entries().get(0)).hasToString("entry 0: GET https://api.test/a?access_token=REDACTED -> 200");
        assertThatThrownBy(() -> file.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMalformedFileIsAnIoExceptionNamingTheFileAndLine() throws IOException {
        Path har = dir.resolve("broken.har");
        Files.writeString(har, "{\"log\": {\"version\": \"1.2\",\n  \"entries\": [}\n");

        assertThatThrownBy(() -> HarFile.read(har)).isInstanceOf(IOException.class)
                .hasMessageContaining("broken.har:2:");
        assertThatThrownBy(() -> HarFile.read(dir.resolve("missing.har"))).isInstanceOf(IOException.class)
                .hasMessageContaining("missing.har");
    }
}
