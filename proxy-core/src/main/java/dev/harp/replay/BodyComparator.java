package dev.harp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.redaction.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether two request bodies are equal for replay, and says where they first differ: equal bytes; else
 * equal JSON when both are JSON; else equal fields when both are form-urlencoded; else equal parts when both are
 * multipart (boundaries ignored); else different.
 */
final class BodyComparator {

    private BodyComparator() {
    }

    /** @return {@code null} when the bodies match, else the first difference */
    static Difference compare(PreparedRequest live, PreparedRequest recorded) {
        byte[] liveBytes = live.request().bodyBytes();
        byte[] recordedBytes = recorded.request().bodyBytes();
        if (Arrays.equals(liveBytes, recordedBytes)) {
            return null;
        }
        JsonNode recordedJson = recorded.json();
        JsonNode liveJson = recordedJson == null ? null : live.json();
        if (recordedJson != null && liveJson != null) {
            JsonDiff.Found found = JsonDiff.firstDifference(liveJson, recordedJson);
            return found == null ? null : body(found.describe(),
                    found.ignorableByPath() ? Suggestion.ignoreJsonPath(found.path()) : Suggestion.ignoreBody());
        }
        List<NameValue> recordedForm = recorded.form();
        List<NameValue> liveForm = recordedForm == null ? null : live.form();
        if (recordedForm != null && liveForm != null) {
            PairComparison.Result result = PairComparison.compare(liveForm, recordedForm, true);
            return result.equal() ? null
                    : body(PairComparison.describe("form field", result.differences().get(0)), Suggestion.ignoreBody());
        }
        List<Multipart.Part> recordedParts = recorded.parts();
        List<Multipart.Part> liveParts = recordedParts == null ? null : live.parts();
        if (recordedParts != null && liveParts != null) {
            String problem = partsDiffer(liveParts, recordedParts);
            return problem == null ? null : body(problem, Suggestion.ignoreBody());
        }
        if (textMatches(liveBytes, recordedBytes)) {
            return null;
        }
        return body(bytesDiffer(liveBytes, recordedBytes, kindNote(live, recorded)), Suggestion.ignoreBody());
    }

    /** A recorded text body with a secret cut out of it ({@code REDACTED} inside) matches any text in its place. */
    private static boolean textMatches(byte[] live, byte[] recorded) {
        if (recorded.length < Redaction.REDACTED.length() || recorded.length > 16 * 1024 * 1024) {
            return false;
        }
        String r = new String(recorded, StandardCharsets.UTF_8);
        return Redacted.isPattern(r) && Redacted.matches(r, new String(live, StandardCharsets.UTF_8));
    }

    private static String partsDiffer(List<Multipart.Part> live, List<Multipart.Part> recorded) {
        int common = Math.min(live.size(), recorded.size());
        for (int i = 0; i < common; i++) {
            Multipart.Part l = live.get(i);
            Multipart.Part r = recorded.get(i);
            String subject = "multipart part " + (i + 1) + (r.name().isEmpty() ? "" : " (\"" + r.name() + "\")");
            if (!l.disposition().equals(r.disposition())) {
                return subject + " Content-Disposition: live " + PairComparison.quote(l.disposition())
                        + ", recorded " + PairComparison.quote(r.disposition());
            }
            if (!l.contentType().equalsIgnoreCase(r.contentType())) {
                return subject + " Content-Type: live " + PairComparison.quote(l.contentType())
                        + ", recorded " + PairComparison.quote(r.contentType());
            }
            if (!Arrays.equals(l.body(), r.body()) && !isRedacted(r.body()) && !textMatches(l.body(), r.body())) {
                return subject + " " + bytesDiffer(l.body(), r.body(), "");
            }
        }
        if (live.size() != recorded.size()) {
            return "multipart body: live has " + live.size() + " parts, recorded " + recorded.size();
        }
        return null;
    }

    private static boolean isRedacted(byte[] body) {
        return body.length == Redaction.REDACTED.length()
                && new String(body, StandardCharsets.US_ASCII).equals(Redaction.REDACTED);
    }

    private static String bytesDiffer(byte[] live, byte[] recorded, String note) {
        if (live.length == 0) {
            return "body: live empty, recorded " + size(recorded) + note;
        }
        if (recorded.length == 0) {
            return "body: live " + size(live) + ", recorded empty" + note;
        }
        int offset = Arrays.mismatch(live, recorded);
        return "body differs at byte " + offset + ": live " + size(live) + ", recorded " + size(recorded) + note;
    }

    private static String kindNote(PreparedRequest live, PreparedRequest recorded) {
        if (live.request().bodyLength() == 0 || recorded.request().bodyLength() == 0) {
            return "";
        }
        boolean liveJson = live.json() != null;
        boolean recordedJson = recorded.json() != null;
        if (liveJson != recordedJson) {
            return liveJson ? " (live is JSON, recorded is not)" : " (recorded is JSON, live is not)";
        }
        return "";
    }

    private static String size(byte[] bytes) {
        return bytes.length == 1 ? "1 byte" : bytes.length + " bytes";
    }

    private static Difference body(String description, Suggestion suggestion) {
        return new Difference(Difference.Aspect.BODY, description, suggestion);
    }
}
