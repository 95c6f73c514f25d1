package dev.harp.har;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HAR files leniently, the way real tools write them.
 *
 * <p>Accepted without complaint: a UTF-8 byte-order mark; {@code -1} and fractional timings;
 * versions "1.1", "1.2" or ""; missing optional members (kept absent); missing required members
 * (filled with defaults: {@code ""} for strings, empty lists, {@code -1} for sizes, times and
 * send/wait/receive, status 0, empty objects); numbers written as strings ({@code "200"});
 * strings written as numbers; {@code "true"} for booleans; {@code []}, {@code null} or a scalar
 * where an object is expected (read as an empty object); status 0 or -1 (kept); cookie
 * {@code expires} in any format (kept as a string); unknown members anywhere (kept in
 * {@code extensions()}).
 *
 * <p>Rejected with a {@link HarFormatException} naming file, line and column: input that is not
 * JSON or is cut short, a top level without a {@code log} object, {@code entries} that is not an
 * array (or holds something other than objects), content after the document, and JSON nested deeper than
 * 1,000 levels anywhere (checked while streaming, without recursion).
 *
 * <p>The file is read with a streaming parser straight into the records, so no intermediate tree of
 * the whole document is built.
 */
public final class HarReader {
    private static final int BUFFER = 1 << 16;
    private static final int PATH_PARTS = 8;
    private static final Pattern UNRECOGNIZED = Pattern.compile("Unrecognized token '([^']*)'");
    private static final Pattern UNEXPECTED_CHAR = Pattern.compile(
            "Unexpected character \\((.*?) \\(code \\d+\\)\\)"
                    + "(?::? (?:was expecting|expected) (.*))?");

    private HarReader() {
    }

    /**
     * Reads a HAR file.
     *
     * @throws HarFormatException when the file is malformed, or cannot be read at all (then line
     *     and column are 0 and the I/O exception is the cause)
     */
    public static Har read(Path file) throws HarFormatException {
        String name = file.toString();
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new HarFormatException(name, 0, 0, "no such file", e);
        } catch (IOException e) {
            throw new HarFormatException(name, 0, 0, "cannot open the file: " + e, e);
        }
        try (in) {
            return read(in, name);
        } catch (HarFormatException e) {
            throw e;
        } catch (IOException closeFailed) {
            throw new HarFormatException(name, 0, 0, "cannot close the file: " + closeFailed,
                    closeFailed);
        }
    }

    /**
     * Reads a HAR document from a stream, which is not closed.
     *
     * @param sourceName names the source in error messages, usually the file name
     * @throws HarFormatException when the content is malformed or cannot be read
     */
    public static Har read(InputStream in, String sourceName) throws HarFormatException {
        JsonParser parser = null;
        try {
            InputStream body = skipBom(in);
            parser = HarJson.FACTORY.createParser(body);
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return new HarParser(parser, sourceName).readDocument();
        } catch (HarFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw translate(e, parser, sourceName);
        } catch (IOException e) {
            JsonLocation at = parser == null ? null : parser.currentLocation();
            throw new HarFormatException(sourceName, at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), "cannot read the input: " + e, e);
        }
    }

    /** Reads a HAR document held in a string (for tests and tools). */
    public static Har fromJson(String json) throws HarFormatException {
        return read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "<string>");
    }

    private static InputStream skipBom(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(3);
        byte[] head = buffered.readNBytes(3);
        boolean bom = head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                && (head[2] & 0xff) == 0xBF;
        if (!bom) {
            buffered.reset();
        }
        return buffered;
    }

    private static HarFormatException translate(JsonProcessingException e, JsonParser parser,
            String source) {
        JsonLocation at = e.getLocation() != null ? e.getLocation()
                : parser != null ? parser.currentLocation() : null;
        JsonStreamContext context = parser == null ? null : parser.getParsingContext();
        boolean nothingRead = parser == null || parser.currentToken() == null
                && (context == null || context.inRoot());
        String problem = describe(e);
        if (nothingRead && !(e instanceof JsonEOFException)) {
            problem = "not JSON: " + problem;
        }
        String where = context == null ? "" : path(context);
        if (where.matches("log\\.entries\\[\\d+\\].*")) {
            problem += " inside an entry (" + where + ")";
        } else if (!where.isEmpty()) {
            problem += " near " + where;
        }
        return new HarFormatException(source, at == null ? 0 : at.getLineNr(),
                at == null ? 0 : at.getColumnNr(), problem, e);
    }

    /** Jackson's message reworded for people, first line only. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonEOFException) {
            return "unexpected end of input";
        }
        if (e instanceof StreamConstraintsException && e.getOriginalMessage() != null
                && e.getOriginalMessage().contains("nesting depth")) {
            return "JSON nested deeper than " + HarJson.MAX_NESTING + " levels";
        }
        String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
                : e.getOriginalMessage().lines().findFirst().orElse("").trim();
        Matcher m = UNRECOGNIZED.matcher(original);
        if (m.find()) {
            return "unrecognized token '" + m.group(1) + "'";
        }
        m = UNEXPECTED_CHAR.matcher(original);
        if (m.find()) {
            String expected = m.group(2) == null ? "" : " (expected " + m.group(2).trim() + ")";
            return "unexpected character " + m.group(1) + expected;
        }
        if (original.startsWith("Invalid UTF-8")) {
            return "not UTF-8 text (" + lowerFirst(original) + "); HAR files must be UTF-8";
        }
        return lowerFirst(original);
    }

    /**
     * The member path of a parsing context, e.g. {@code log.entries[3].request.headers[0]}; only its first
     * {@value #PATH_PARTS} steps, then {@code ...}, so deep nesting cannot make the message huge.
     */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        if (parts.size() > PATH_PARTS) {
            Deque<String> first = new ArrayDeque<>();
            for (int i = 0; i < PATH_PARTS; i++) {
                first.add(parts.poll());
            }
            first.add("...");
            parts = first;
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
