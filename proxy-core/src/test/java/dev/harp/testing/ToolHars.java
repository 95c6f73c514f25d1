package dev.harp.testing;

import static dev.harp.testing.ForeignHar.base64;
import static dev.harp.testing.ForeignHar.content;
import static dev.harp.testing.ForeignHar.gzip;
import static dev.harp.testing.ForeignHar.header;
import static dev.harp.testing.ForeignHar.hex;
import static dev.harp.testing.ForeignHar.page;
import static dev.harp.testing.ForeignHar.png;
import static dev.harp.testing.ForeignHar.request;
import static dev.harp.testing.ForeignHar.response;
import static dev.harp.testing.ForeignHar.text;
import static dev.harp.testing.ForeignHar.utf8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * HAR files shaped like the proxies, API clients and test libraries write them: Charles, Fiddler, Insomnia,
 * mitmproxy, Playwright and Polly.js, each with the quirks documented in research/har-format.md section 1.6.
 */
final class ToolHars {
    private static final byte[] NONE = new byte[0];

    private ToolHars() {
    }

    /**
     * Charles 4.6: no {@code pages} member, {@code redirectURL: null}, a local -07:00 start time, integer timings
     * with ssl, {@code _charlesStatus}, a cookie expiry in RFC 1123 form, a non-ASCII HTML body.
     */
    static ForeignHar.Generated charles(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("charles", "1.2", "Charles Proxy", "4.6.3")
                .normalised("log.entries[].response.redirectURL: null -> \"\"");
        String html = "<html><body>Grüße aus Zürich — ☃</body></html>";
        ObjectNode e = h.entry("2021-09-08T10:58:10.123-07:00", "GET", "https://charles.test/", "HTTP/1.1", 200, "OK");
        text(e, "text/html; charset=utf-8", html);
        response(e).putNull("redirectURL");
        response(e).withArray("cookies").addObject().put("name", "c").put("value", "1")
                .put("expires", "Fri, 08-May-2020 10:07:30 GMT");
        e.put("_charlesStatus", "COMPLETE").put("serverIPAddress", "192.0.2.10");
        e.putObject("timings").put("blocked", 0).put("dns", 3).put("connect", 40).put("ssl", 25).put("send", 0)
                .put("wait", 80).put("receive", 2);
        h.expect("GET", "https://charles.test/", 200, utf8(html));
        return h.write(dir);
    }

    /** Insomnia 2022: no pages, empty request headers, a GET with an empty postData, {@code settingEncodeUrl}. */
    static ForeignHar.Generated insomnia(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("insomnia", "1.2", "Insomnia REST Client", "insomnia.desktop.app:v2022.1.1");
        ObjectNode e = h.entry("2022-03-01T10:00:00.000Z", "GET", "http://insomnia.test/api/items?page=2", "HTTP/1.1", 200, "OK");
        request(e).withArray("queryString").addObject().put("name", "page").put("value", "2");
        request(e).putObject("postData").put("mimeType", "").put("text", "").putArray("params");
        request(e).put("settingEncodeUrl", true);
        text(e, "application/json", "[{\"id\":1}]");
        h.expect("GET", "http://insomnia.test/api/items?page=2", 200, utf8("[{\"id\":1}]"));
        return h.write(dir);
    }

    /** Fiddler 4.6 (IE11 traffic): a BOM, 7-digit fractions, an empty postData on every GET, base64, a redirect. */
    static ForeignHar.Generated fiddler46(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("fiddler-4.6", "1.2", "Fiddler", "4.6.2.2").bom();
        ArrayNode pages = h.pages();
        page(pages, "2016-03-30T16:39:02.7221474+01:00", "page_1", "first");
        page(pages, "2016-03-30T16:39:05.1000000+01:00", "page_2", "second");
        ObjectNode moved = h.entry("2016-03-30T16:39:02.7221474+01:00", "GET", "http://fiddler.test/", "HTTP/1.1", 302, "Found");
        request(moved).putObject("postData").put("mimeType", "").put("text", "");
        response(moved).put("redirectURL", "/home");
        header(response(moved), "Location", "/home");
        moved.put("pageref", "page_1");
        h.expect("GET", "http://fiddler.test/", 302, NONE, "Location", "/home");
        byte[] gif = png(300, 7);
        ObjectNode img = h.entry("2016-03-30T16:39:05.1234567+01:00", "GET", "http://fiddler.test/a.gif", "HTTP/1.1", 200, "OK");
        request(img).putObject("postData").put("mimeType", "").put("text", "");
        base64(img, "image/gif", gif);
        img.put("pageref", "page_2");
        h.expect("GET", "http://fiddler.test/a.gif", 200, gif);
        return h.write(dir);
    }

    /** Fiddler 2.3: {@code pages: []} with no pageref, base64 bodies, a form POST, cookie httpOnly as a string. */
    static ForeignHar.Generated fiddler23(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("fiddler-2.3", "1.2", "Fiddler", "2.3.3.5")
                .normalised("log.entries[].response.cookies[].httpOnly: \"true\" -> true");
        h.pages();
        byte[] js = utf8("var żółw = 1;\n");
        ObjectNode e = h.entry("2011-05-01T11:00:00.1000000+02:00", "GET", "http://fiddler2.test/a.js", "HTTP/1.1", 200, "OK");
        base64(e, "application/x-javascript", js);
        response(e).withArray("cookies").addObject().put("name", "s").put("value", "v").put("httpOnly", "true");
        h.expect("GET", "http://fiddler2.test/a.js", 200, js);
        String form = "user=ann&remember=on";
        ObjectNode post = h.entry("2011-05-01T11:00:01.2000000+02:00", "POST", "http://fiddler2.test/login", "HTTP/1.1", 200, "OK");
        ObjectNode pd = request(post).putObject("postData").put("mimeType", "application/x-www-form-urlencoded").put("text", form);
        pd.putArray("params").addObject().put("name", "user").put("value", "ann");
        ((ArrayNode) pd.get("params")).addObject().put("name", "remember").put("value", "on");
        text(post, "text/html", "welcome");
        h.expectSending("POST", "http://fiddler2.test/login", utf8(form), "application/x-www-form-urlencoded", 200, utf8("welcome"));
        return h.write(dir);
    }

    /**
     * mitmproxy savehar: {@code HTTP/2.0}; gzip and br bodies stored decoded with content-encoding kept, wire-size
     * {@code content.size} and a negative {@code compression}; a body that did not decompress stored raw in base64
     * with its content-encoding; a failed flow (status 0, {@code content: {}}, {@code _error}); a form POST with text
     * and params; a binary POST written as text; WebSocket 101 entries with {@code _webSocketMessages}.
     */
    static ForeignHar.Generated mitmproxy(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("mitmproxy-savehar", "1.2", "mitmproxy", "10.1.1").normalised(
                "log.entries[].response.content.size: added -1",
                "log.entries[].response.content.mimeType: added \"\"");
        h.log().with("creator").put("comment", "");
        String json = "{\"mitm\":\"gzip, decoded\"}";
        ObjectNode gz = h.entry("2023-08-29T13:03:20.195591+00:00", "GET", "https://mitm.test/gzip", "HTTP/2.0", 200, "");
        header(response(gz), "content-encoding", "gzip");
        text(gz, "application/json", json);
        content(gz).put("size", 40).put("compression", -20);
        h.expect("GET", "https://mitm.test/gzip", 200, utf8(json), "Content-Encoding", null);

        String brText = "brotli text, stored decoded";
        ObjectNode br = h.entry("2023-08-29T13:03:20.295591+00:00", "GET", "https://mitm.test/br", "HTTP/2.0", 200, "");
        header(response(br), "content-encoding", "br");
        text(br, "text/plain", brText);
        h.expect("GET", "https://mitm.test/br", 200, utf8(brText), "Content-Encoding", null);

        byte[] gzipped = gzip(utf8("this gzip is cut short"));
        byte[] corrupt = Arrays.copyOf(gzipped, gzipped.length - 8);
        ObjectNode bad = h.entry("2023-08-29T13:03:20.395591+00:00", "GET", "http://mitm.test/corrupt", "HTTP/1.1", 200, "OK");
        header(response(bad), "content-encoding", "gzip");
        base64(bad, "text/plain", corrupt);
        h.expect("GET", "http://mitm.test/corrupt", 200, corrupt, "Content-Encoding", "gzip");

        ObjectNode failed = h.entry("2023-08-29T13:03:20.495591+00:00", "GET", "https://mitm.test/down", "HTTP/1.1", 0, "");
        response(failed).putObject("content");
        response(failed).put("_error", "Connection refused").put("_transferSize", 0);
        h.expect("GET", "https://mitm.test/down", 502, null, "Harp-Miss", "GET https://mitm.test/down");

        String form = "a=1&b=two";
        ObjectNode post = h.entry("2023-08-29T13:03:20.595591+00:00", "POST", "http://mitm.test/form", "HTTP/1.1", 405, "Method Not Allowed");
        ObjectNode pd = request(post).putObject("postData").put("mimeType", "application/x-www-form-urlencoded").put("text", form);
        pd.putArray("params").addObject().put("name", "a").put("value", "1");
        ((ArrayNode) pd.get("params")).addObject().put("name", "b").put("value", "two");
        text(post, "text/html", "<h1>405</h1>");
        h.expectSending("POST", "http://mitm.test/form", utf8(form), "application/x-www-form-urlencoded", 405, utf8("<h1>405</h1>"));

        String lossy = "\u0000\u0001binary as text\u007f";
        ObjectNode bin = h.entry("2023-08-29T13:03:20.695591+00:00", "POST", "http://mitm.test/upload", "HTTP/1.1", 200, "OK");
        request(bin).putObject("postData").put("mimeType", "application/octet-stream").put("text", lossy).putArray("params");
        byte[] thumb = png(120, 9);
        base64(bin, "image/png", thumb);
        h.expectSending("POST", "http://mitm.test/upload", utf8(lossy), "application/octet-stream", 200, thumb);

        ObjectNode ws = h.entry("2023-08-29T13:03:20.795591+00:00", "GET", "https://mitm.test/ws?api_key=k", "HTTP/1.1", 101, "Switching Protocols");
        request(ws).withArray("queryString").addObject().put("name", "api_key").put("value", "k");
        header(response(ws), "Upgrade", "websocket");
        content(ws).put("compression", 0).put("text", "");
        ws.put("_resourceType", "websocket");
        ws.putArray("_webSocketMessages").addObject().put("type", "receive").put("time", 1693314200.336985)
                .put("opcode", 1).put("data", "{\"error\":\"Unknown api key\"}");
        // a plain GET is no WebSocket upgrade, so the 101 does not answer it: a miss, whose Harp-Miss header redacts the secret-named parameter like every log line
        h.expect("GET", "https://mitm.test/ws?api_key=k", 502, null, "Harp-Miss", "GET https://mitm.test/ws?api_key=REDACTED");
        return h.write(dir);
    }

    /**
     * Playwright recordHar: {@code _frameref}, {@code _monotonicTime}, {@code _securityDetails}, {@code _serverPort},
     * {@code timings.receive: -1}, a body attached as a {@code _file} side file next to the HAR, a failed entry with
     * status -1 and time -1 before a good one for the same URL, a redirect, a POST without body text, no pages.
     */
    static ForeignHar.Generated playwright(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("playwright-recordhar", "1.2", "Playwright", "1.41.0");
        h.log().putObject("browser").put("name", "chromium").put("version", "121.0.6167.57");
        ObjectNode r = playwrightEntry(h, "2024-01-20T10:00:00.000Z", "GET", "https://pw.test/start", 302);
        response(r).put("redirectURL", "https://pw.test/page");
        header(response(r), "location", "https://pw.test/page");
        h.expect("GET", "https://pw.test/start", 302, NONE, "location", "https://pw.test/page");

        byte[] attached = utf8("Hello from a side file ✓\n");
        String side = "0a4d55a8d778e5022fab701977c5d840bbc486d0.txt";
        ObjectNode page = playwrightEntry(h, "2024-01-20T10:00:00.100Z", "GET", "https://pw.test/page", 200);
        header(response(page), "content-type", "text/plain; charset=utf-8");
        content(page).put("size", attached.length).put("mimeType", "text/plain; charset=utf-8").put("_file", side);
        h.sideFile(side, attached);
        h.expect("GET", "https://pw.test/page", 200, attached);

        ObjectNode failed = playwrightEntry(h, "2024-01-20T10:00:00.200Z", "GET", "https://pw.test/flaky", -1);
        failed.put("time", -1);
        response(failed).put("statusText", "").put("httpVersion", "");
        ObjectNode ok = playwrightEntry(h, "2024-01-20T10:00:00.300Z", "GET", "https://pw.test/flaky", 200);
        text(ok, "application/json", "{\"try\":2}");
        h.expect("GET", "https://pw.test/flaky", 200, utf8("{\"try\":2}"));

        ObjectNode post = playwrightEntry(h, "2024-01-20T10:00:00.400Z", "POST", "https://pw.test/ping", 204);
        request(post).putObject("postData").put("mimeType", "application/json");
        h.expect("POST", "https://pw.test/ping", 204, NONE);
        return h.write(dir);
    }

    private static ObjectNode playwrightEntry(ForeignHar h, String started, String method, String url, int status) {
        ObjectNode e = h.entry(started, method, url, "HTTP/2.0", status, status == 200 ? "OK" : "");
        e.put("_frameref", "frame@1").put("_monotonicTime", 8123.456).put("serverIPAddress", "127.0.0.1")
                .put("_serverPort", 443);
        e.putObject("_securityDetails").put("protocol", "TLS 1.3").put("subjectName", "pw.test");
        response(e).put("_transferSize", 321);
        e.putObject("timings").put("dns", -1).put("connect", -1).put("ssl", -1).put("send", 0).put("wait", 12.5)
                .put("receive", -1);
        return e;
    }

    /**
     * Polly.JS before v5: a PNG body as a hex string without {@code encoding}; a GET with a postData that has only a
     * mime type; a JSON POST with {@code params: []} and text whose response says gzip but holds the decoded text;
     * {@code log._recordingName}, {@code _id}, {@code _order}.
     */
    static ForeignHar.Generated pollyHex(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("pollyjs-1", "1.2", "Polly.JS", "1.4.2");
        h.log().put("_recordingName", "client/should download binary");
        h.log().with("creator").put("comment", "persister:fs");
        byte[] image = png(600, 13);
        ObjectNode e = h.entry("2018-12-03T19:00:00.000Z", "GET", "https://polly.test/logo.png", "HTTP/1.1", 200, "OK");
        e.put("_id", "5f1c2e8a0b7d4c3e9a6f1b2c3d4e5f60").put("_order", 0);
        request(e).putObject("postData").put("mimeType", "text/plain");
        header(response(e), "content-type", "image/png");
        content(e).put("size", image.length).put("mimeType", "image/png").put("text", hex(image));
        h.expect("GET", "https://polly.test/logo.png", 200, image);

        String body = "{\"query\":\"żółw\"}";
        String answer = "{\"ok\":true,\"gzip\":\"decoded already\"}";
        ObjectNode post = h.entry("2018-12-03T19:00:01.000Z", "POST", "https://polly.test/api", "HTTP/1.1", 200, "OK");
        post.put("_id", "0f1e2d3c4b5a69788796a5b4c3d2e1f0").put("_order", 0);
        request(post).putObject("postData").put("mimeType", "application/json").put("text", body).putArray("params");
        header(response(post), "content-encoding", "gzip");
        text(post, "application/json; charset=utf-8", answer);
        h.expectSending("POST", "https://polly.test/api", utf8(body), "application/json", 200, utf8(answer),
                "Content-Encoding", null);
        return h.write(dir);
    }

    /**
     * Polly.JS 5: {@code content._isBinary: true} with {@code text} a JSON array of hex chunks of the still gzipped
     * body, content-encoding gzip kept; {@code headers[]._fromType}.
     */
    static ForeignHar.Generated pollyChunks(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("pollyjs-5", "1.2", "Polly.JS", "5.1.1");
        h.log().put("_recordingName", "api client/getUser");
        byte[] json = utf8("{\"login\":\"harp\",\"name\":\"Zażółć\",\"repos\":" + "[1,2,3,4,5,6,7,8,9]".repeat(20) + "}");
        byte[] gzipped = gzip(json);
        int half = gzipped.length / 2;
        String chunks = "[\"" + hex(Arrays.copyOf(gzipped, half)) + "\",\""
                + hex(Arrays.copyOfRange(gzipped, half, gzipped.length)) + "\"]";
        ObjectNode e = h.entry("2022-02-19T05:56:54.149Z", "GET", "https://polly5.test/users/harp", "HTTP/1.1", 200, "OK");
        e.put("_id", "daab17694c1a59a0f3781977d2bf32d7").put("_order", 0);
        header(request(e), "accept", "application/json").put("_fromType", "array");
        header(response(e), "content-type", "application/json; charset=utf-8");
        header(response(e), "content-encoding", "gzip");
        content(e).put("_isBinary", true).put("mimeType", "application/json; charset=utf-8")
                .put("size", gzipped.length).put("text", chunks);
        h.expect("GET", "https://polly5.test/users/harp", 200, json, "Content-Encoding", null);
        return h.write(dir);
    }
}
