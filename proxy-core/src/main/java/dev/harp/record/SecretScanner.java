package dev.harp.record;

import dev.harp.har.Har;
import dev.harp.har.HarContent;
import dev.harp.har.HarCookie;
import dev.harp.har.HarEntry;
import dev.harp.har.HarHeader;
import dev.harp.har.HarParam;
import dev.harp.har.HarPostData;
import dev.harp.har.HarRequest;
import dev.harp.har.HarResponse;
import dev.harp.redaction.Redaction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds secrets left in a HAR with the very rules that redact recordings ({@link Redactor}): values under secret
 * names that are not {@value Redactor#REDACTED}, cookies, and well-known secret shapes (JWTs, private keys, cloud and
 * SaaS tokens) anywhere in URLs, headers and bodies. A HAR Harp recorded with redaction on has no findings; a browser
 * export usually has many. Findings name the entry, the place and the rule, never the value.
 *
 * <pre>{@code
 * for (SecretFinding f : SecretScanner.scan(HarReader.read(path))) {
 *     System.out.println(f); // entry 0: request.header Authorization (secret-name)
 * }
 * }</pre>
 */
public final class SecretScanner {
    private static final int MAX_FINDINGS_PER_ENTRY = 1000;

    private SecretScanner() {
    }

    /** Scans with the default rules. */
    public static List<SecretFinding> scan(Har har) {
        return scan(har, Redactor.defaults());
    }

    /**
     * Scans with the given rules (extra names, kept values); {@link Redactor#off()} finds nothing.
     *
     * @return the findings in entry order, each place and rule once
     */
    public static List<SecretFinding> scan(Har har, Redactor rules) {
        List<SecretFinding> out = new ArrayList<>();
        List<HarEntry> entries = har.entries();
        for (int i = 0; i < entries.size(); i++) {
            Set<SecretFinding> found = new LinkedHashSet<>();
            int index = i;
            Redaction.Sink sink = (location, rule, name) -> {
                if (found.size() < MAX_FINDINGS_PER_ENTRY) {
                    // a name can itself be a secret (?ghp_...=1): the location is shown, so it loses any shape
                    found.add(new SecretFinding(index, Redactor.forLogText(location), rule));
                }
            };
            request(entries.get(i).request(), rules, sink);
            response(entries.get(i).response(), rules, sink);
            out.addAll(found);
        }
        return List.copyOf(out);
    }

    private static void request(HarRequest r, Redactor rules, Redaction.Sink sink) {
        rules.url(r.url(), "request.url", sink);
        for (HarHeader q : r.queryString()) { // other tools may fill it from a URL they did not redact the same way
            if (q.value() != null && !q.value().equals(Redaction.REDACTED) && rules.isSecretParam(q.name())) {
                sink.found("request.url query " + q.name(), Redaction.RULE_NAME, q.name());
            }
        }
        headers(r.headers(), "request.header", rules, sink);
        cookies(r.cookies(), "request.cookie", rules, sink);
        HarPostData post = r.postData();
        if (post == null) {
            return;
        }
        if (post.text() != null) {
            var encoding = post.extensions().get(HarEntries.POST_DATA_ENCODING);
            boolean base64 = encoding != null && HarContent.BASE64.equalsIgnoreCase(encoding.asText());
            body(post.text(), base64, post.mimeType(), "request.body", rules, sink);
        }
        if (post.params() != null) {
            for (HarParam p : post.params()) {
                if (p.value() == null || p.fileName() != null) {
                    continue;
                }
                if (rules.isSecretParam(p.name())) {
                    if (!p.value().equals(Redaction.REDACTED)) {
                        sink.found("request.body field " + p.name(), Redaction.RULE_NAME, p.name());
                    }
                } else {
                    rules.value(p.value(), "request.body field " + p.name(), p.name(), sink);
                }
            }
        }
    }

    private static void response(HarResponse r, Redactor rules, Redaction.Sink sink) {
        headers(r.headers(), "response.header", rules, sink);
        cookies(r.cookies(), "response.cookie", rules, sink);
        rules.url(r.redirectURL(), "response.redirectURL", sink);
        HarContent c = r.content();
        if (c != null && c.text() != null) {
            body(c.text(), HarContent.BASE64.equalsIgnoreCase(c.encoding()), c.mimeType(), "response.body", rules, sink);
        }
    }

    private static void headers(List<HarHeader> headers, String where, Redactor rules, Redaction.Sink sink) {
        for (HarHeader h : headers) {
            rules.header(h.name(), h.value(), where, sink);
        }
    }

    private static void cookies(List<HarCookie> cookies, String where, Redactor rules, Redaction.Sink sink) {
        if (!rules.isEnabled()) {
            return;
        }
        for (HarCookie c : cookies) {
            if (c.value() != null && !c.value().isEmpty() && !c.value().equals(Redaction.REDACTED) && !rules.isKept(c.name())) {
                sink.found(where + " " + c.name(), Redaction.RULE_COOKIE, c.name());
            }
        }
    }

    private static void body(String text, boolean base64, String mime, String where, Redactor rules, Redaction.Sink sink) {
        byte[] bytes;
        if (base64) {
            try {
                bytes = Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException notBase64) {
                bytes = text.getBytes(StandardCharsets.UTF_8);
            }
        } else {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
        rules.body(bytes, mime, where, sink);
    }
}
