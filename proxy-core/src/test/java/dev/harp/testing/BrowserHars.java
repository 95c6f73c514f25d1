package dev.harp.testing;

import static dev.harp.testing.ForeignHar.base64;
import static dev.harp.testing.ForeignHar.content;
import static dev.harp.testing.ForeignHar.header;
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

/**
 * HAR files shaped like the browsers' DevTools export them (Chrome, Firefox, Safari) and the older page tools
 * (Firebug, WebPagetest), each with the quirks documented in research/har-format.md section 1.6.
 */
final class BrowserHars {
    private static final byte[] NONE = new byte[0];

    private BrowserHars() {
    }

    /**
     * Chrome's "Save all as HAR": {@code http/2.0} in lower case and {@code h3}, HTTP/2 pseudo-headers as ordinary
     * headers, a failed request (status 0, empty httpVersion, {@code _error}) before a good one for the same URL, a
     * failed one alone, {@code Content-Encoding} beside a decoded body, fractional and -1 timings, a WebSocket entry
     * with {@code _webSocketMessages}, cookies with Chrome's {@code sameSite} (no underscore), two pages.
     */
    static ForeignHar.Generated chrome(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("chrome-devtools", "1.2", "WebInspector", "537.36");
        ArrayNode pages = h.pages();
        page(pages, "2024-03-01T09:00:00.000Z", "page_1", "https://chrome.test/");
        page(pages, "2024-03-01T09:00:05.000Z", "page_2", "https://chrome.test/form");

        String html = "<!doctype html><title>żółw</title><p>Chrome 🐢</p>";
        ObjectNode doc = chromeEntry(h, "2024-03-01T09:00:00.100Z", "GET", "https://chrome.test/", "http/2.0", 200, "page_1");
        for (String[] p : new String[][] {{":authority", "chrome.test"}, {":method", "GET"}, {":path", "/"}, {":scheme", "https"}}) {
            header(request(doc), p[0], p[1]);
        }
        header(response(doc), ":status", "200");
        header(response(doc), "content-encoding", "br");
        header(response(doc), "x-served-by", "chrome-test");
        text(doc, "text/html; charset=utf-8", html);
        request(doc).withArray("cookies").addObject().put("name", "sid").put("value", "abc").put("path", "/")
                .put("domain", "chrome.test").put("httpOnly", true).put("secure", true).put("sameSite", "Lax");
        h.expect("GET", "https://chrome.test/", 200, utf8(html), "Content-Encoding", null, "x-served-by", "chrome-test");

        ObjectNode failed = chromeEntry(h, "2024-03-01T09:00:00.200Z", "GET", "https://chrome.test/app.js", "", 0, "page_1");
        failedChrome(failed);
        ObjectNode good = chromeEntry(h, "2024-03-01T09:00:00.300Z", "GET", "https://chrome.test/app.js", "http/2.0", 200, "page_1");
        text(good, "application/javascript", "console.log('second try');");
        h.expect("GET", "https://chrome.test/app.js", 200, utf8("console.log('second try');"));

        failedChrome(chromeEntry(h, "2024-03-01T09:00:00.400Z", "GET", "https://chrome.test/gone", "", 0, "page_1"));
        h.expect("GET", "https://chrome.test/gone", 502, null, "Harp-Miss", "GET https://chrome.test/gone");

        byte[] logo = png(700, 3);
        ObjectNode image = chromeEntry(h, "2024-03-01T09:00:00.500Z", "GET", "https://chrome.test/logo.png", "h3", 200, "page_1");
        base64(image, "image/png", logo);
        image.put("_fromCache", "disk");
        h.expect("GET", "https://chrome.test/logo.png", 200, logo);

        ObjectNode ws = chromeEntry(h, "2024-03-01T09:00:01.000Z", "GET", "https://chrome.test/socket", "HTTP/1.1", 101, "page_1");
        response(ws).put("statusText", "Switching Protocols");
        header(response(ws), "Upgrade", "websocket");
        ws.put("_resourceType", "websocket");
        ArrayNode messages = ws.putArray("_webSocketMessages");
        messages.addObject().put("type", "send").put("time", 1709283601.25).put("opcode", 1).put("data", "hello");
        messages.addObject().put("type", "receive").put("time", 1709283601.5).put("opcode", 2).put("data", "AAEC");
        h.expect("GET", "https://chrome.test/socket", 502, null, "Harp-Miss", "GET https://chrome.test/socket");

        ObjectNode notModified = chromeEntry(h, "2024-03-01T09:00:01.100Z", "GET", "https://chrome.test/style.css", "http/2.0", 304, "page_1");
        for (String[] p : new String[][] {{":authority", "chrome.test"}, {":method", "GET"}, {":path", "/style.css"}, {":scheme", "https"}}) {
            header(request(notModified), p[0], p[1]);
        }
        header(request(notModified), "if-none-match", "\"v7\"");
        header(response(notModified), ":status", "304");
        header(response(notModified), "etag", "\"v7\"");
        response(notModified).put("bodySize", 0);
        h.expect("GET", "https://chrome.test/style.css", 304, NONE, "etag", "\"v7\"");

        // the same request twice with different answers: served in order, then the last again
        for (int i = 1; i <= 2; i++) {
            ObjectNode poll = chromeEntry(h, "2024-03-01T09:00:02.00" + i + "Z", "GET", "https://chrome.test/poll", "http/2.0", 200, "page_1");
            text(poll, "application/json", "{\"n\":" + i + "}");
        }
        for (int n : new int[] {1, 2, 2}) {
            h.expect("GET", "https://chrome.test/poll", 200, utf8("{\"n\":" + n + "}"));
        }

        String report = "{\"csp-report\":{\"blocked-uri\":\"inline\"}}";
        ObjectNode csp = chromeEntry(h, "2024-03-01T09:00:03.000Z", "POST", "https://chrome.test/csp", "http/2.0", 204, "page_1");
        request(csp).putObject("postData").put("mimeType", "application/csp-report").put("text", report);
        h.expectSending("POST", "https://chrome.test/csp", utf8(report), "application/csp-report", 204, NONE);

        String form = "name=%C5%BC%C3%B3%C5%82w&lang=pl";
        ObjectNode post = chromeEntry(h, "2024-03-01T09:00:05.100Z", "POST", "https://chrome.test/form", "http/2.0", 302, "page_2");
        response(post).put("statusText", "").put("redirectURL", "https://chrome.test/thanks");
        header(response(post), "location", "https://chrome.test/thanks");
        ObjectNode postData = request(post).putObject("postData")
                .put("mimeType", "application/x-www-form-urlencoded").put("text", form);
        postData.putArray("params").addObject().put("name", "name").put("value", "%C5%BC%C3%B3%C5%82w");
        ((ArrayNode) postData.get("params")).addObject().put("name", "lang").put("value", "pl");
        request(post).put("bodySize", form.length());
        h.expectSending("POST", "https://chrome.test/form", utf8(form), "application/x-www-form-urlencoded", 302, NONE,
                "location", "https://chrome.test/thanks");

        ObjectNode preflight = chromeEntry(h, "2024-03-01T09:00:05.200Z", "OPTIONS", "https://api.chrome.test/v1", "http/2.0", 204, "page_2");
        header(response(preflight), "access-control-allow-origin", "https://chrome.test");
        h.expect("OPTIONS", "https://api.chrome.test/v1", 204, NONE, "access-control-allow-origin", "https://chrome.test");
        return h.write(dir);
    }

    private static ObjectNode chromeEntry(ForeignHar h, String started, String method, String url, String version,
                                          int status, String pageref) {
        ObjectNode e = h.entry(started, method, url, version, status, "");
        e.put("_priority", "High").put("_resourceType", "fetch").put("pageref", pageref);
        e.putObject("_initiator").put("type", "script").putObject("stack").putArray("callFrames");
        e.put("serverIPAddress", "[2001:db8::1]").put("connection", "443").put("time", 35.218999993801117);
        response(e).put("_transferSize", 1234).putNull("_error");
        e.putObject("timings").put("blocked", 2.4679999950090455).put("dns", -1).put("ssl", -1).put("connect", -1)
                .put("send", 0.123).put("wait", 30.5).put("receive", 2.1279999939724803).put("_blocked_queueing", 1.5);
        return e;
    }

    private static void failedChrome(ObjectNode e) {
        e.put("serverIPAddress", "");
        response(e).put("_transferSize", 0).put("_error", "net::ERR_INTERNET_DISCONNECTED");
        content(e).put("mimeType", "x-unknown");
        e.putObject("timings").put("blocked", 4.1).put("dns", -1).put("ssl", -1).put("connect", -1)
                .put("send", 0).put("wait", 0).put("receive", 0).put("_blocked_queueing", -1);
    }

    /** Chrome's export of one POST: a UTF-8 BOM, {@code h2}, HTTP/2 pseudo-headers, a text/plain body, {@code pages: []}. */
    static ForeignHar.Generated chromeBomPost(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("chrome-bom-post", "1.2", "WebInspector", "537.36").bom();
        h.pages();
        String body = "plain text body: żółw";
        ObjectNode e = h.entry("2024-03-02T08:00:00.000Z", "POST", "https://bom.test/echo", "h2", 200, "");
        for (String[] p : new String[][] {{":authority", "bom.test"}, {":method", "POST"}, {":path", "/echo"}, {":scheme", "https"}}) {
            header(request(e), p[0], p[1]);
        }
        header(request(e), "content-type", "text/plain;charset=UTF-8");
        request(e).putObject("postData").put("mimeType", "text/plain;charset=UTF-8").put("text", body);
        text(e, "text/plain", "echo: " + body);
        h.expectSending("POST", "https://bom.test/echo", utf8(body), "text/plain;charset=UTF-8", 200, utf8("echo: " + body));
        return h.write(dir);
    }

    /**
     * Firefox 111: {@code HTTP/3}, a redirect chain, entries with an empty httpVersion and without body or required
     * members (request.headersSize null; no response.headersSize, content.size, send/wait/receive), non-spec cache
     * members, {@code _securityState}, and a HEAD whose {@code Content-Length} must survive an empty body.
     */
    static ForeignHar.Generated firefox(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("firefox-devtools", "1.2", "Firefox", "111.0").normalised(
                "log.entries[].request.headersSize: null -> -1",
                "log.entries[].response.headersSize: added -1",
                "log.entries[].response.content.size: added -1",
                "log.entries[].timings.send: added -1",
                "log.entries[].timings.wait: added -1",
                "log.entries[].timings.receive: added -1");
        page(h.pages(), "2024-04-01T12:00:00.000+02:00", "page_1", "Firefox page");
        ObjectNode r1 = h.entry("2024-04-01T12:00:00.100+02:00", "GET", "https://firefox.test/old", "HTTP/3", 301, "Moved Permanently");
        response(r1).put("redirectURL", "https://firefox.test/new");
        header(response(r1), "location", "https://firefox.test/new");
        h.expect("GET", "https://firefox.test/old", 301, NONE, "location", "https://firefox.test/new");
        ObjectNode r2 = h.entry("2024-04-01T12:00:00.200+02:00", "GET", "https://firefox.test/new", "HTTP/3", 200, "OK");
        String page = "Zażółć gęślą jaźń — Firefox";
        text(r2, "text/html; charset=utf-8", page);
        r2.put("_securityState", "secure").put("pageref", "page_1");
        ObjectNode after = ((ObjectNode) r2.get("cache")).putObject("afterRequest");
        after.put("expires", "4294967295").put("lastFetched", "1680350400").put("fetchCount", "2").put("_dataSize", "812")
                .put("_device", "disk");
        h.expect("GET", "https://firefox.test/new", 200, utf8(page));

        ObjectNode cached = h.entry("2024-04-01T12:00:00.300+02:00", "GET", "https://firefox.test/cached.css", "", 200, "OK");
        request(cached).putNull("headersSize");
        response(cached).remove("headersSize");
        content(cached).remove("size");
        content(cached).put("mimeType", "text/css");
        cached.putObject("timings").put("blocked", 0).put("dns", 0).put("connect", 0).put("ssl", 0);
        h.expect("GET", "https://firefox.test/cached.css", 200, NONE);

        ObjectNode head = h.entry("2024-04-01T12:00:00.400+02:00", "HEAD", "http://firefox.test/big.bin", "HTTP/1.1", 200, "OK");
        header(response(head), "content-type", "application/octet-stream");
        header(response(head), "content-length", "78258");
        content(head).put("mimeType", "application/octet-stream");
        h.expect("HEAD", "http://firefox.test/big.bin", 200, NONE, "Content-Length", "78258");
        return h.write(dir);
    }

    /**
     * Safari: {@code HTTP/2} and empty httpVersion, base64 bodies with {@code content.size} 0, a gzip response
     * stored decoded with {@code content.compression} and its Content-Encoding header, {@code _fetchType},
     * {@code _serverPort}, {@code _priority}.
     */
    static ForeignHar.Generated safari(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("safari-webinspector", "1.2", "WebKit Web Inspector", "1.0");
        page(h.pages(), "2024-05-01T10:00:00.000Z", "page0", "Safari");
        byte[] icon = png(2500, 11);
        ObjectNode img = h.entry("2024-05-01T10:00:00.100Z", "GET", "https://safari.test/icon.png", "HTTP/2", 200, "");
        base64(img, "image/png", icon);
        content(img).put("size", 0);
        img.put("_fetchType", "Network Load").put("_priority", "medium").put("_serverPort", 443);
        h.expect("GET", "https://safari.test/icon.png", 200, icon);

        String json = "{\"safari\":\"gzip stored decoded\",\"n\":[1,2,3]}";
        ObjectNode gz = h.entry("2024-05-01T10:00:00.200Z", "GET", "https://safari.test/data.json", "HTTP/2", 200, "");
        header(response(gz), "Content-Encoding", "gzip");
        text(gz, "application/json", json);
        content(gz).put("compression", 12);
        response(gz).put("bodySize", utf8(json).length - 12);
        gz.put("_fetchType", "Network Load");
        h.expect("GET", "https://safari.test/data.json", 200, utf8(json), "Content-Encoding", null);

        ObjectNode memory = h.entry("2024-05-01T10:00:00.300Z", "GET", "https://safari.test/icon-2.png", "", 200, "");
        byte[] icon2 = png(40, 5);
        base64(memory, "image/png", icon2);
        content(memory).put("size", 0);
        memory.put("_fetchType", "Memory Cache");
        h.expect("GET", "https://safari.test/icon-2.png", 200, icon2);
        return h.write(dir);
    }

    /** Firebug 1.7 / NetExport: HAR {@code 1.1}, a browser member, three pages, form POSTs given only as params. */
    static ForeignHar.Generated firebug(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("firebug-netexport", "1.1", "Firebug", "1.7X.0b2");
        h.log().putObject("browser").put("name", "Firefox").put("version", "4.0b13pre");
        ArrayNode pages = h.pages();
        for (int i = 0; i < 3; i++) {
            page(pages, "2011-03-01T10:0" + i + ":00.000+01:00", "page_" + i, "Form " + i);
        }
        for (int i = 0; i < 3; i++) {
            String url = "http://firebug.test/submit" + i;
            ObjectNode e = h.entry("2011-03-01T10:0" + i + ":01.000+01:00", "POST", url, "HTTP/1.1", 200, "OK");
            e.put("pageref", "page_" + i);
            ObjectNode post = request(e).putObject("postData").put("mimeType", "application/x-www-form-urlencoded");
            post.putArray("params").addObject().put("name", "q").put("value", "page " + i);
            ((ArrayNode) post.get("params")).addObject().put("name", "empty").put("value", "");
            text(e, "text/plain", "result " + i);
            h.expectSending("POST", url, utf8("q=page+" + i + "&empty="), "application/x-www-form-urlencoded", 200,
                    utf8("result " + i));
        }
        return h.write(dir);
    }

    /** WebPagetest 3.0: HAR 1.1, httpVersion garbage made from HTTP/2 pseudo-headers, dozens of '_' fields, no bodies. */
    static ForeignHar.Generated webpagetest(Path dir) throws IOException {
        ForeignHar h = new ForeignHar("webpagetest", "1.1", "WebPagetest", "3.0");
        ObjectNode p = page(h.pages(), "2017-06-01T08:00:00.000+00:00", "page_1_0", "Run 1");
        p.put("_URL", "https://wpt.test/").put("_loadTime", 1234).put("_TTFB", 210).put("_browser_name", "Firefox");
        ((ObjectNode) p.get("pageTimings")).put("_startRender", 400);
        String[] versions = {"me:", "ori", "us:"};
        for (int i = 0; i < versions.length; i++) {
            String url = "https://wpt.test/r" + i;
            ObjectNode e = h.entry("2017-06-01T08:00:0" + (i + 1) + ".000+00:00", "GET", url, versions[i], 200, "");
            e.put("pageref", "page_1_0");
            for (String f : new String[] {"_full_url", "_host", "_protocol", "_request_id", "_initiator"}) {
                e.put(f, f.equals("_full_url") ? url : "wpt");
            }
            e.put("_bytesIn", 1500 + i).put("_ttfb_ms", 12).put("_download_ms", 3).put("_load_start", 100 * i);
            content(e).put("mimeType", "text/html");
            header(response(e), "content-type", "text/html");
            h.expect("GET", url, 200, NONE, "content-type", "text/html");
        }
        return h.write(dir);
    }
}
