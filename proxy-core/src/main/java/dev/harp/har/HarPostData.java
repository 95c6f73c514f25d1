package dev.harp.har;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of a request ({@code request.postData}).
 *
 * <p>HAR 1.2 describes {@code params} and {@code text} as alternatives, but many tools write both
 * (mitmproxy, Chrome for urlencoded forms) or neither (Polly, Insomnia on a GET); both are
 * therefore optional here and absent is kept apart from empty. For matching, prefer {@code text}
 * and fall back to {@code params} only when {@code text} is absent. HAR has no base64 flag for
 * request bodies: {@code text} is always text.
 *
 * @param mimeType the request's Content-Type, {@code ""} when unknown
 * @param params optional posted fields, {@code null} when absent
 * @param text optional body text, {@code null} when absent
 * @param comment optional comment, {@code null} when absent
 * @param extensions members HAR 1.2 does not define (e.g. Playwright's {@code _file})
 */
public record HarPostData(String mimeType, List<HarParam> params, String text, String comment,
        Map<String, JsonNode> extensions) {
    static final Set<String> MEMBERS = Set.of("mimeType", "params", "text", "comment");

    /** Checks the required member, copies the list and freezes the extensions. */
    public HarPostData {
        Extensions.required(mimeType, "postData mimeType");
        params = params == null ? null : List.copyOf(params);
        extensions = Extensions.freeze(extensions, MEMBERS, "postData");
    }

    /** A body given as text, without {@code params}. */
    public static HarPostData ofText(String mimeType, String text) {
        return new HarPostData(mimeType, null, text, null, null);
    }

    /** A copy with another text (e.g. after redaction); everything else is kept. */
    public HarPostData withText(String newText) {
        return new HarPostData(mimeType, params, newText, comment, extensions);
    }

    /** A copy with other params ({@code null} removes the member); everything else is kept. */
    public HarPostData withParams(List<HarParam> newParams) {
        return new HarPostData(mimeType, newParams, text, comment, extensions);
    }
}
