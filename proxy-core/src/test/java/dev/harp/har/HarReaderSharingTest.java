package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The reader keeps one instance of each short string a HAR repeats (header names and values, methods, versions), so
 * many small entries do not cost a copy of each per entry; long and unique values are not shared.
 */
class HarReaderSharingTest {
    private static String entry(int i, String body) {
        return "{\"request\": {\"method\": \"GET\", \"url\": \"http://x.test/" + i + "\", \"httpVersion\": \"HTTP/1.1\","
                + " \"headers\": [{\"name\": \"Accept\", \"value\": \"application/json\"}]},"
                + " \"response\": {\"status\": 200, \"statusText\": \"OK\", \"content\": {\"mimeType\": \"text/plain\","
                + " \"text\": \"" + body + "\"}}}";
    }

    @Test
    void repeatedShortStringsAreOneInstance() throws Exception {
        String longBody = "x".repeat(100);
        Har har = HarReader.fromJson("{\"log\": {\"entries\": [" + entry(1, longBody) + ", " + entry(2, longBody)
                + "]}}");
        HarEntry a = har.entries().get(0);
        HarEntry b = har.entries().get(1);
        assertThat(b.request().method()).isSameAs(a.request().method());
        assertThat(b.request().httpVersion()).isSameAs(a.request().httpVersion());
        assertThat(b.request().headers().get(0).name()).isSameAs(a.request().headers().get(0).name());
        assertThat(b.request().headers().get(0).value()).isSameAs(a.request().headers().get(0).value());
        assertThat(b.response().statusText()).isSameAs(a.response().statusText());
        assertThat(b.response().content().text()).isEqualTo(longBody)
                .isNotSameAs(a.response().content().text());
    }
}
