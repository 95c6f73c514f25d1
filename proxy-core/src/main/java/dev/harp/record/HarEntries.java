package dev.harp.record;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.harp.flow.CapturedBody;
import dev.harp.flow.ContentDecoding;
import dev.harp.flow.Flow;
import dev.harp.flow.FlowRequest;
import dev.harp.flow.FlowResponse;
import dev.harp.flow.HttpHeader;
import dev.harp.flow.Utf8Text;
import dev.harp.har.HarContent;
import dev.harp.har.HarCookie;
import dev.harp.har.HarEntry;
import dev.harp.har.HarHeader;
import dev.harp.har.HarParam;
import dev.harp.har.HarPostData;
import dev.harp.har.HarRequest;
import dev.harp.har.HarResponse;
import dev.harp.har.HarTimings;
import dev.harp.redaction.Redaction;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns an ended {@link Flow} into a HAR entry: redacted, with the response body decoded (gzip, deflate, br) and
 * stored as text or base64, the request body in {@code postData} (with {@code params} for forms).
 */
final class HarEntries {
    /** The 1.3 proposal's marker for a base64 request body, which HAR 1.2 cannot express. */
    static final String POST_DATA_ENCODING = "encoding";

    private final Redactor redactor;
    private final long maxDecoded;
    private final Redaction.Sink responseSink;

    /**
     * @param responseSink told of each value redacted in a response (the recorder warns about them); may be null
     */
    HarEntries(Redactor redactor, long maxDecoded, Redaction.Sink responseSink) {
        this.redactor = redactor;
        this.maxDecoded = maxDecoded;
        this.responseSink = responseSink == null ? Redaction.Sink.NONE : responseSink;
    }

    HarEntry toEntry(Flow flow) throws IOException {
        HarRequest request = request(flow.request());
        HarResponse response = response(flow.response());
        // a WebSocket's entry times its handshake only: the conversation's length shows in its messages' times, and
        // replay's recorded latency would otherwise hold the 101 back for the whole conversation
        double receive = flow.webSocket() != null ? 0 : flow.receiveMillis();
        HarTimings timings = HarTimings.of(toMicros(flow.sendMillis()), toMicros(flow.waitMillis()), toMicros(receive));
        HarEntry.Builder entry = HarEntry.builder()
                .startedDateTime(flow.started())
                .time(toMicros(timings.total()))
                .request(request)
                .response(response)
                .timings(timings);
        if (flow.webSocket() != null) {
            WebSocketEntries.add(entry, request, flow.webSocket(), redactor, responseSink);
        }
        if (flow.outcome() == Flow.Outcome.CLIENT_ABORTED) {
            entry.extension("_aborted", BooleanNode.TRUE);
        }
        if (flow.outcome() != Flow.Outcome.COMPLETE && flow.error() != null) {
            entry.extension("_error", TextNode.valueOf(flow.error()));
        }
        return entry.build();
    }

    /**
     * Milliseconds rounded to the microsecond the clock measured (3 decimals), so a sum of phases is written as
     * {@code 1.898}, not {@code 1.8980000000000001}.
     */
    static double toMicros(double millis) {
        return Math.round(millis * 1_000.0) / 1_000.0;
    }

    private HarRequest request(FlowRequest req) throws IOException {
        String url = redactor.url(req.url(), "request.url", Redaction.Sink.NONE);
        List<HttpHeader> headers = redactor.headers(req.headers(), "request.header", Redaction.Sink.NONE);
        HarRequest.Builder b = HarRequest.builder(req.method(), url)
                .httpVersion(req.httpVersion())
                .headers(harHeaders(headers))
                .cookies(requestCookies(headers))
                .queryString(queryOf(url))
                .headersSize(-1)
                .bodySize(req.body() == null ? 0 : req.body().size());
        CapturedBody body = req.body();
        if (body != null && body.size() > 0) {
            String type = req.header("Content-Type");
            String mime = type == null ? "application/octet-stream" : type;
            if (body.truncated()) {
                b.postData(new HarPostData(mime, List.of(), null,
                        "request body of " + body.size() + " bytes not stored: larger than the capture limit", null));
            } else {
                byte[] plain = body.bytes();
                String comment = null;
                String encoding = req.header("Content-Encoding");
                if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
                    try {
                        // a compressed body would keep its secrets out of redaction's sight: store it decoded
                        plain = ContentDecoding.decode(plain, encoding, maxDecoded);
                        comment = "decoded from Content-Encoding " + encoding.trim();
                    } catch (IOException undecodable) {
                        plain = body.bytes();
                    }
                }
                byte[] bytes = redactor.body(plain, type, "request.body", Redaction.Sink.NONE);
                String text = Utf8Text.decode(bytes);
                HarPostData post;
                if (text != null) {
                    post = HarPostData.ofText(mime, text);
                    if (comment != null) {
                        post = new HarPostData(post.mimeType(), post.params(), post.text(), comment, post.extensions());
                    }
                    if (mime.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                        post = post.withParams(formParams(text));
                    }
                } else {
                    post = new HarPostData(mime, List.of(), Base64.getEncoder().encodeToString(bytes), comment,
                            java.util.Map.of(POST_DATA_ENCODING, TextNode.valueOf(HarContent.BASE64)));
                }
                b.postData(post);
            }
        }
        return b.build();
    }

    private HarResponse response(FlowResponse res) throws IOException {
        List<HttpHeader> headers = redactor.headers(res.headers(), "response.header", responseSink);
        String type = res.header("Content-Type");
        String mime = type == null ? "" : type;
        String location = redactor.url(res.header("Location"), "response.redirectURL", Redaction.Sink.NONE);
        HarResponse.Builder b = HarResponse.builder(res.status())
                .statusText(res.statusText())
                .httpVersion(res.httpVersion())
                .headers(harHeaders(headers))
                .cookies(responseCookies(headers))
                .redirectURL(location == null ? "" : location)
                .headersSize(-1)
                .bodySize(res.body() == null ? 0 : res.body().size());
        CapturedBody body = res.body();
        if (body == null || body.size() == 0) {
            b.content(HarContent.ofBytes(new byte[0], mime));
        } else if (body.truncated()) {
            b.content(new HarContent(body.size(), null, mime, null, null,
                    "body of " + body.size() + " bytes not stored: larger than the capture limit", null));
        } else {
            b.content(content(body.bytes(), res.header("Content-Encoding"), type, mime));
        }
        return b.build();
    }

    private HarContent content(byte[] wire, String encoding, String type, String mime) {
        byte[] decoded;
        try {
            decoded = ContentDecoding.decode(wire, encoding, maxDecoded);
        } catch (IOException undecodable) {
            // keep the wire bytes with their Content-Encoding header, as other tools do; replay serves them as they came
            return new HarContent(wire.length, null, mime, Base64.getEncoder().encodeToString(wire), HarContent.BASE64,
                    "not decoded (" + undecodable.getMessage() + "); stored as sent with Content-Encoding " + encoding, null);
        }
        HarContent c = HarContent.ofBytes(redactor.body(decoded, type, "response.body", responseSink), mime);
        if (decoded.length != wire.length) {
            c = new HarContent(c.size(), (long) decoded.length - wire.length, c.mimeType(), c.text(), c.encoding(),
                    c.comment(), c.extensions());
        }
        return c;
    }

    private static List<HarHeader> harHeaders(List<HttpHeader> headers) {
        List<HarHeader> out = new ArrayList<>(headers.size());
        for (HttpHeader h : headers) {
            if (!h.name().startsWith(":")) {
                out.add(HarHeader.of(h.name(), h.value()));
            }
        }
        return out;
    }

    private static List<HarCookie> requestCookies(List<HttpHeader> headers) {
        List<HarCookie> out = new ArrayList<>();
        for (HttpHeader h : headers) {
            if (h.is("Cookie")) {
                for (String part : h.value().split(";")) {
                    int eq = part.indexOf('=');
                    if (eq > 0) {
                        out.add(HarCookie.of(part.substring(0, eq).trim(), part.substring(eq + 1).trim()));
                    }
                }
            }
        }
        return out;
    }

    private static List<HarCookie> responseCookies(List<HttpHeader> headers) {
        List<HarCookie> out = new ArrayList<>();
        for (HttpHeader h : headers) {
            if (h.is("Set-Cookie")) {
                String first = h.value().split(";", 2)[0];
                int eq = first.indexOf('=');
                if (eq > 0) {
                    out.add(HarCookie.of(first.substring(0, eq).trim(), first.substring(eq + 1).trim()));
                }
            }
        }
        return out;
    }

    static List<HarHeader> queryOf(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return List.of();
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        List<HarHeader> out = new ArrayList<>();
        for (HarParam p : formParams(query)) {
            out.add(HarHeader.of(p.name(), p.value()));
        }
        return out;
    }

    private static List<HarParam> formParams(String encoded) {
        List<HarParam> out = new ArrayList<>();
        if (encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(HarParam.of(decode(name), decode(value)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
