package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarReaderTest {
    @TempDir
    Path dir;

    /** One entry with every required member, for tests that change one thing. */
    private static String entry(String timings, String extra) {
        return "{\"startedDateTime\": \"2023-03-30T00:16:44.544Z\", \"time\": 12.5,"
                + " \"request\": {\"method\": \"GET\", \"url\": \"https://x.test/\","
                + " \"httpVersion\": \"HTTP/1.1\", \"cookies\": [], \"headers\": [],"
                + " \"queryString\": [], \"headersSize\": -1, \"bodySize\": 0},"
                + " \"response\": {\"status\": 200, \"statusText\": \"OK\","
                + " \"httpVersion\": \"HTTP/1.1\", \"cookies\": [], \"headers\": [],"
                + " \"content\": {\"size\": 0, \"mimeType\": \"text/plain\"},"
                + " \"redirectURL\": \"\", \"headersSize\": -1, \"bodySize\": 0},"
                + " \"cache\": {}, \"timings\": " + timings + extra + "}";
    }

    private static String log(String entries) {
        return "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"t\", \"version\": \"1\"},"
                + " \"entries\": [" + entries + "]}}";
    }

    private static Har read(String json) throws HarFormatException {
        return HarReader.fromJson(json);
    }

    private Path file(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Test
    void acceptsAUtf8ByteOrderMark() throws Exception {
        byte[] json = log(entry("{\"send\": 1, \"wait\": 2, \"receive\": 3}", ""))
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        Har har = HarReader.read(file("bom.har", withBom));
        assertThat(har.entries()).hasSize(1);
        assertThat(har.log().creator().name()).isEqualTo("t");
    }

    @Test
    void keepsMinusOneAndFractionalTimingsExactly() throws Exception {
        Har har = read(log(entry("{\"blocked\": 5.397000045232475, \"dns\": -1, \"connect\": -1.0,"
                + " \"send\": 0.2370000000000001, \"wait\": 7.330000007074326,"
                + " \"receive\": -1, \"ssl\": -1}", "")));
        HarEntry e = har.entries().get(0);
        HarTimings t = e.timings();
        assertThat(t.blocked()).isEqualTo(5.397000045232475);
        assertThat(t.dns()).isEqualTo(-1.0);
        assertThat(t.connect()).isEqualTo(-1.0);
        assertThat(t.send()).isEqualTo(0.2370000000000001);
        assertThat(t.waitTime()).isEqualTo(7.330000007074326);
        assertThat(t.receive()).isEqualTo(-1.0);
        assertThat(t.ssl()).isEqualTo(-1.0);
        assertThat(e.time()).isEqualTo(12.5);
    }

    @Test
    void missingOptionalMembersStayAbsent() throws Exception {
        Har har = read(log(entry("{\"send\": 1, \"wait\": 2, \"receive\": 3}", "")));
        HarLog log = har.log();
        assertThat(log.browser()).isNull();
        assertThat(log.pages()).isNull();
        assertThat(log.comment()).isNull();
        HarEntry e = log.entries().get(0);
        assertThat(e.pageref()).isNull();
        assertThat(e.serverIPAddress()).isNull();
        assertThat(e.connection()).isNull();
        assertThat(e.request().postData()).isNull();
        assertThat(e.response().content().compression()).isNull();
        assertThat(e.response().content().text()).isNull();
        assertThat(e.response().content().encoding()).isNull();
        assertThat(e.timings().blocked()).isNull();
        assertThat(e.timings().ssl()).isNull();
        assertThat(e.cache()).isEqualTo(HarCache.empty());
    }

    @Test
    void emptyListsAreKeptApartFromAbsentOnes() throws Exception {
        Har har = read("{\"log\": {\"version\": \"1.2\", \"creator\": {}, \"pages\": [],"
                + " \"entries\": [{\"request\": {\"postData\": {\"mimeType\": \"\","
                + " \"params\": []}}}]}}");
        assertThat(har.log().pages()).isEmpty();
        assertThat(har.entries().get(0).request().postData().params()).isEmpty();
        assertThat(har.entries().get(0).request().postData().text()).isNull();
    }

    @Test
    void missingRequiredMembersGetSpecDefaults() throws Exception {
        Har har = read("{\"log\": {\"entries\": [{}]}}");
        HarLog log = har.log();
        assertThat(log.version()).isEmpty();
        assertThat(log.creator()).isEqualTo(HarCreator.of("", ""));
        HarEntry e = log.entries().get(0);
        assertThat(e.startedDateTime()).isEmpty();
        assertThat(e.time()).isEqualTo(-1);
        HarRequest req = e.request();
        assertThat(req.method()).isEmpty();
        assertThat(req.url()).isEmpty();
        assertThat(req.cookies()).isEmpty();
        assertThat(req.headers()).isEmpty();
        assertThat(req.queryString()).isEmpty();
        assertThat(req.headersSize()).isEqualTo(-1);
        assertThat(req.bodySize()).isEqualTo(-1);
        HarResponse res = e.response();
        assertThat(res.status()).isZero();
        assertThat(res.statusText()).isEmpty();
        assertThat(res.redirectURL()).isEmpty();
        assertThat(res.content().size()).isEqualTo(-1);
        assertThat(res.content().mimeType()).isEmpty();
        assertThat(e.timings()).isEqualTo(HarTimings.of(-1, -1, -1));
        assertThat(read("{\"log\": {}}").entries()).isEmpty();
        assertThat(read("{\"log\": {\"entries\": null}}").entries()).isEmpty();
    }

    @Test
    void numbersWrittenAsStringsAreAccepted() throws Exception {
        Har har = read("{\"log\": {\"entries\": [{\"time\": \"12.5\", \"request\":"
                + " {\"headersSize\": \" 120 \", \"bodySize\": \"3.6\"}, \"response\":"
                + " {\"status\": \"200\", \"content\": {\"size\": \"1e3\", \"compression\": \"x\"}},"
                + " \"timings\": {\"send\": \"1\", \"wait\": \"-1\", \"receive\": \"NaN\"}}]}}");
        HarEntry e = har.entries().get(0);
        assertThat(e.time()).isEqualTo(12.5);
        assertThat(e.request().headersSize()).isEqualTo(120);
        assertThat(e.request().bodySize()).isEqualTo(4);
        assertThat(e.response().status()).isEqualTo(200);
        assertThat(e.response().content().size()).isEqualTo(1000);
        assertThat(e.response().content().compression()).isNull();
        assertThat(e.timings().send()).isEqualTo(1);
        assertThat(e.timings().waitTime()).isEqualTo(-1);
        assertThat(e.timings().receive()).isEqualTo(-1);
    }

    @Test
    void scalarsOfTheWrongKindAreCoerced() throws Exception {
        Har har = read("{\"log\": {\"version\": 1.2, \"entries\": [{\"connection\": 443,"
                + " \"request\": {\"cookies\": [{\"name\": \"a\", \"value\": 1, \"httpOnly\":"
                + " \"true\", \"secure\": 0}]}, \"response\": {\"redirectURL\": null}}]}}");
        assertThat(har.log().version()).isEqualTo("1.2");
        HarEntry e = har.entries().get(0);
        assertThat(e.connection()).isEqualTo("443");
        assertThat(e.request().cookies().get(0)).isEqualTo(new HarCookie("a", "1", null, null,
                null, true, false, null, null));
        assertThat(e.response().redirectURL()).isEmpty();
    }

    @Test
    void wrongContainersAreReadAsEmpty() throws Exception {
        Har har = read("{\"log\": {\"creator\": [], \"browser\": null, \"entries\": ["
                + "{\"response\": {\"content\": [], \"headers\": {}}, \"cache\": [], \"timings\": null,"
                + " \"request\": {\"headers\": [\"x\", {\"name\": \"a\", \"value\": \"b\"}],"
                + " \"postData\": \"raw\"}},"
                + "{\"response\": {\"content\": null}, \"cache\": null}]}}");
        HarEntry first = har.entries().get(0);
        assertThat(har.log().creator()).isEqualTo(HarCreator.of("", ""));
        assertThat(har.log().browser()).isNull();
        assertThat(first.response().content().size()).isEqualTo(-1);
        assertThat(first.response().headers()).isEmpty();
        assertThat(first.cache()).isEqualTo(HarCache.empty());
        assertThat(first.timings()).isEqualTo(HarTimings.of(-1, -1, -1));
        assertThat(first.request().headers()).containsExactly(HarHeader.of("a", "b"));
        assertThat(first.request().postData()).isNull();
        assertThat(har.entries().get(1).response().content().mimeType()).isEmpty();
        assertThat(har.entries().get(1).cache()).isEqualTo(HarCache.empty());
    }

    @Test
    void failedStatusesAreKept() throws Exception {
        Har har = read("{\"log\": {\"entries\": [{\"response\": {\"status\": 0}},"
                + " {\"response\": {\"status\": -1}, \"time\": -1}]}}");
        assertThat(har.entries()).extracting(e -> e.response().status()).containsExactly(0, -1);
        assertThat(har.entries().get(1).time()).isEqualTo(-1);
    }

    @Test
    void cookieExpiresIsKeptVerbatim() throws Exception {
        Har har = read("{\"log\": {\"entries\": [{\"response\": {\"cookies\": ["
                + "{\"name\": \"a\", \"value\": \"1\", \"expires\": \"Fri, 08-May-2020 10:07:30 GMT\"},"
                + "{\"name\": \"b\", \"value\": \"2\", \"expires\": \"NaN-NaN-NaNTNaN:NaN:NaN.NaNZ\"},"
                + "{\"name\": \"c\", \"value\": \"3\", \"expires\": 4294967295}]}}]}}");
        assertThat(har.entries().get(0).response().cookies()).extracting(HarCookie::expires)
                .containsExactly("Fri, 08-May-2020 10:07:30 GMT", "NaN-NaN-NaNTNaN:NaN:NaN.NaNZ",
                        "4294967295");
    }

    @Test
    void oldAndEmptyVersionsAreAccepted() throws Exception {
        assertThat(read("{\"log\": {\"version\": \"1.1\", \"entries\": []}}").log().version())
                .isEqualTo("1.1");
        assertThat(read("{\"log\": {\"version\": \"\", \"entries\": []}}").log().version())
                .isEmpty();
    }

    @Test
    void cacheKeepsNullApartFromAbsent() throws Exception {
        Har har = read("{\"log\": {\"entries\": [{\"cache\": {\"beforeRequest\": null,"
                + " \"afterRequest\": {\"lastFetched\": \"\", \"_device\": \"disk\"}}}]}}");
        HarCache cache = har.entries().get(0).cache();
        assertThat(cache.beforeRequest()).isEqualTo(NullNode.getInstance());
        assertThat(cache.afterRequest().get("_device").asText()).isEqualTo("disk");
    }

    @Test
    void truncatedInputNamesFileLineAndColumn() throws Exception {
        Path f = file("broken.har", "{\"log\": {\"version\": \"1.2\", \"entries\": [ {\"request\": "
                .getBytes(StandardCharsets.UTF_8));
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> HarReader.read(f));
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(53);
        assertThat(e.getMessage()).isEqualTo(f + ":1:53: unexpected end of input inside an entry"
                + " (log.entries[0].request)");
        assertThat(e.getCause()).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void syntaxErrorOnALaterLine() throws Exception {
        String json = "{\n  \"log\": {\n    \"creator\": {\"name\": \"a\",, \"version\": \"1\"},\n"
                + "    \"entries\": []\n  }\n}\n";
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> HarReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                        "x.har"));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(29);
        assertThat(e.getMessage()).startsWith("x.har:3:29: unexpected character ','")
                .contains("log.creator").doesNotContain("Source:");
    }

    @Test
    void notJson() throws Exception {
        Path f = file("page.har", "<html><body>Not found</body></html>"
                .getBytes(StandardCharsets.UTF_8));
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> HarReader.read(f));
        assertThat(e.getMessage()).startsWith(f + ":1:1: not JSON: unexpected character '<'");
        HarFormatException jsonp = catchThrowableOfType(HarFormatException.class,
                () -> read("onInputData({\"log\": {}});"));
        assertThat(jsonp.getMessage()).isEqualTo(
                "<string>:1:1: not JSON: unrecognized token 'onInputData'");
    }

    @Test
    void emptyInput() {
        HarFormatException e = catchThrowableOfType(HarFormatException.class, () -> read(""));
        assertThat(e.getMessage()).isEqualTo("<string>:1:1: the file is empty, expected a HAR"
                + " document {\"log\": {...}}");
    }

    @Test
    void missingLog() {
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> read("{\"entries\": []}"));
        assertThat(e.getMessage()).isEqualTo(
                "<string>:1:15: no \"log\" object at the top level, so this is not a HAR file");
        HarFormatException notObject = catchThrowableOfType(HarFormatException.class,
                () -> read("{\"log\": []}"));
        assertThat(notObject.getMessage()).isEqualTo(
                "<string>:1:9: \"log\" is an array, expected an object");
        HarFormatException array = catchThrowableOfType(HarFormatException.class,
                () -> read("[{\"log\": {}}]"));
        assertThat(array.problem()).startsWith("not a HAR document");
    }

    @Test
    void entriesNotAnArray() {
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> read("{\"log\": {\n\"entries\": {\"0\": {}}}}"));
        assertThat(e.getMessage()).isEqualTo(
                "<string>:2:12: \"entries\" is an object, expected an array");
        HarFormatException element = catchThrowableOfType(HarFormatException.class,
                () -> read("{\"log\": {\"entries\": [{}, \"x\"]}}"));
        assertThat(element.getMessage()).isEqualTo(
                "<string>:1:26: entry 1 is a string, expected an object");
    }

    @Test
    void contentAfterTheDocument() {
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> read("{\"log\": {}}\n{\"log\": {}}"));
        assertThat(e.getMessage()).isEqualTo(
                "<string>:2:1: unexpected content after the end of the HAR document: an object");
        HarFormatException garbage = catchThrowableOfType(HarFormatException.class,
                () -> read("{\"log\": {}} trailing"));
        assertThat(garbage.problem()).isEqualTo(
                "unexpected content after the end of the HAR document");
    }

    @Test
    void notUtf8() throws Exception {
        byte[] latin1 = "{\"log\": {\"comment\": \"caf\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> HarReader.read(new ByteArrayInputStream(latin1), "latin1.har"));
        assertThat(e.getMessage()).startsWith("latin1.har:1:").contains("HAR files must be UTF-8");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.har");
        HarFormatException e = catchThrowableOfType(HarFormatException.class,
                () -> HarReader.read(f));
        assertThat(e.getMessage()).isEqualTo(f + ": no such file");
        assertThat(e.line()).isZero();
        assertThat(e.getCause()).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void streamIsNotClosed() throws Exception {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream("{\"log\": {}}".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        HarReader.read(in, "s");
        assertThat(closed[0]).isFalse();
    }

    @Test
    void readsAGeneratedTenThousandEntryFile() throws Exception {
        StringBuilder sb = new StringBuilder("{\"log\": {\"version\": \"1.2\", \"creator\":"
                + " {\"name\": \"gen\", \"version\": \"1\"}, \"entries\": [");
        for (int i = 0; i < 10_000; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(entry("{\"send\": 0.5, \"wait\": " + i + ".25, \"receive\": -1}",
                    ", \"_n\": " + i));
        }
        sb.append("]}}");
        Har har = HarReader.read(file("big.har", sb.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(har.entries()).hasSize(10_000);
        assertThat(har.entries().get(9_999).timings().waitTime()).isEqualTo(9_999.25);
        assertThat(har.entries().get(9_999).extensions().get("_n").asInt()).isEqualTo(9_999);
    }
}
