package dev.harp.replay;

import dev.harp.options.Face;
import dev.harp.redaction.Redaction;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Renders a {@link Miss} as compact plain text. */
final class MissText {

    private static final int BODY_PREVIEW_CHARS = 200;
    private static final int MAX_DIFFERENCES_SHOWN = 6;
    private static final int MAX_INDICES_SHOWN = 5;

    private MissText() {
    }

    /** @param face the face whose spelling suggested options use, or null for the CLI's and the builders' together */
    static String render(Miss miss, Face face) {
        return Redaction.forLogText(renderPlain(miss, face)); // live values quoted in differences may be secrets
    }

    private static String spell(Suggestion suggestion, Face face) {
        return face == null ? suggestion.toString() : suggestion.in(face);
    }

    private static String renderPlain(Miss miss, Face face) {
        StringBuilder out = new StringBuilder();
        MatchRequest request = miss.request();
        String line = request.method() + " " + Redaction.forLog(request.url());
        switch (miss.reason()) {
            case EMPTY_INDEX:
                out.append("No recorded response for ").append(line).append(": the recording has no entries.\n");
                appendRequestDetails(out, miss);
                return out.toString();
            case SEQUENCE_EXHAUSTED:
                out.append("No recorded response left for ").append(line).append('\n');
                appendRequestDetails(out, miss);
                NearMiss used = miss.closest().get(0);
                int n = used.entryIndices().size();
                out.append("  all ").append(n).append(n == 1 ? " recorded response" : " recorded responses")
                        .append(" for this request ").append(n == 1 ? "was" : "were").append(" already used (")
                        .append(indices(used.entryIndices())).append(");\n")
                        .append("  use sequence policy `sequence` (last repeats) or `reuse-first`\n")
                        .append("    option: ").append(spell(Suggestion.repeatingSequence(), face)).append('\n');
                return out.toString();
            case WEBSOCKET_MESSAGE:
                out.append("No recorded WebSocket message matches what the client sent on ").append(line)
                        .append(" (entry #").append(miss.closest().get(0).entryIndex()).append(")\n")
                        .append(miss.detail());
                appendDifferences(out, miss.closest().get(0).differences(), face);
                return out.toString();
            default:
                out.append("No recorded response matches ").append(line).append('\n');
                appendRequestDetails(out, miss);
                appendClosest(out, miss, face);
                return out.toString();
        }
    }

    private static void appendRequestDetails(StringBuilder out, Miss miss) {
        MatchRequest sent = miss.request();
        MatchRequest compared = miss.compared();
        if (!compared.url().equals(sent.url())) {
            out.append("  (host alias applied: compared as ").append(Redaction.forLog(compared.url())).append(")\n");
        }
        if (sent.bodyLength() > 0) {
            // the live body, as a recording would keep it: a miss report ends up in CI logs
            byte[] shown = Redaction.defaults().body(sent.bodyBytes(), sent.header("Content-Type").orElse(null));
            out.append("  body ").append(bodyPreview(shown)).append('\n');
        }
    }

    private static void appendClosest(StringBuilder out, Miss miss, Face face) {
        out.append("Closest of ").append(miss.recordedEntries()).append(" recorded ")
                .append(miss.recordedEntries() == 1 ? "entry" : "entries").append(":\n");
        for (NearMiss near : miss.closest()) {
            MatchRequest recorded = near.recorded();
            List<Integer> indices = near.entryIndices();
            out.append("  ").append(indices.size() == 1 ? "entry " : "entries ").append(indices(indices))
                    .append(indices.size() == 1 ? "" : " (" + indices.size() + " identical)").append(": ")
                    .append(recorded.method()).append(' ').append(Redaction.forLog(recorded.url())).append('\n');
            appendDifferences(out, near.differences(), face);
        }
    }

    /**
     * Lists the differences; the options that remove them are shown only when together they can make the entry
     * match (a different path or method has no option), and each option only once.
     */
    private static void appendDifferences(StringBuilder out, List<Difference> differences, Face face) {
        boolean fixable = differences.stream().allMatch(d -> d.suggestion().isPresent());
        Set<Suggestion> shown = new HashSet<>();
        for (int i = 0; i < differences.size() && i < MAX_DIFFERENCES_SHOWN; i++) {
            Difference difference = differences.get(i);
            out.append("    - ").append(difference.description()).append('\n');
            difference.suggestion().filter(s -> fixable && shown.add(s))
                    .ifPresent(s -> out.append("      option: ").append(spell(s, face)).append('\n'));
        }
        if (differences.size() > MAX_DIFFERENCES_SHOWN) {
            out.append("    ... and ").append(differences.size() - MAX_DIFFERENCES_SHOWN).append(" more differences\n");
        }
    }

    /** @return e.g. {@code #3, #5, #9} */
    private static String indices(List<Integer> indices) {
        String shown = indices.stream().limit(MAX_INDICES_SHOWN).map(i -> "#" + i).collect(Collectors.joining(", "));
        return indices.size() > MAX_INDICES_SHOWN ? shown + ", ..." : shown;
    }

    /** @return e.g. {@code (23 bytes): {"a":1}} or {@code (5120 bytes, binary)} */
    static String bodyPreview(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException binary) {
            return "(" + body.length + " bytes, binary)";
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\r' && c != '\n')) {
            return "(" + body.length + " bytes, binary)";
        }
        boolean cut = text.length() > BODY_PREVIEW_CHARS;
        String preview = (cut ? text.substring(0, BODY_PREVIEW_CHARS) : text).replace("\r", "\\r").replace("\n", "\\n");
        return "(" + body.length + (body.length == 1 ? " byte" : " bytes") + "): " + preview + (cut ? "..." : "");
    }
}
