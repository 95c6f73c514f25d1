package dev.harp.har;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the parts of a HAR file lie, found by one streaming pass that never holds an entry: the end of its head
 * (just after the {@code [} of {@code log.entries}), the end of its last complete entry, and whether the pass hit
 * the end of the input or a syntax error before the document closed.
 *
 * <p>A file is in <em>Harp's layout</em> when its <em>skeleton</em> (the file with its entries left out) is exactly
 * what {@link HarWriter} writes for it. Such a file can be appended to by writing over its closing, the bytes after
 * its last entry ({@code \n    ]\n  }\n}\n} for a recording), since an entry is written the same way whether alone or
 * among others.
 */
final class HarLayout {
    /** Before the first entry of a non-empty {@code entries} array. */
    static final byte[] FIRST_SEPARATOR = "\n      {".getBytes(StandardCharsets.US_ASCII);
    /** Between two entries. */
    static final byte[] SEPARATOR = ",\n      {".getBytes(StandardCharsets.US_ASCII);
    /** What closes a non-empty {@code entries} array; the rest of the closing follows it. */
    static final byte[] ARRAY_END = "\n    ]".getBytes(StandardCharsets.US_ASCII);
    /** The closing of a log with nothing after its entries: what a cut file is repaired with, after the {@code ]}. */
    static final byte[] PLAIN_REST = "\n  }\n}\n".getBytes(StandardCharsets.US_ASCII);
    /** The longest closing read for a layout check; a longer one (huge log extensions) is not Harp's layout. */
    private static final int MAX_CLOSING = 1 << 20;
    /** An error this close to the end of the input is where the input was cut (a UTF-8 sequence, a number). */
    private static final int END_SLACK = 4;

    /**
     * What one pass found.
     *
     * @param entriesOpen offset just after the {@code [} of {@code log.entries}, or -1 when the pass never got there
     * @param complete    entries read whole
     * @param lastEnd     offset just after the last complete entry, or {@code entriesOpen} when there is none
     * @param previousEnd the same for the entry before the last one, or -1
     * @param intact      whether the whole document parsed, with nothing after it
     * @param cutShort    whether the pass ended at the end of the input before the document closed
     * @param size        the file's length when scanned
     */
    record Scan(long entriesOpen, int complete, long lastEnd, long previousEnd, boolean intact, boolean cutShort,
            long size) {
        boolean reachedEntries() {
            return entriesOpen > 0;
        }

        /** The scan without its last complete entry. */
        Scan withoutLast() {
            return new Scan(entriesOpen, complete - 1, previousEnd, -1, intact, cutShort, size);
        }
    }

    /**
     * A file in Harp's layout.
     *
     * @param skeleton its document without entries
     * @param head     its bytes up to and including the {@code [} of {@code log.entries}
     * @param rest     its closing after the {@code ]} of {@code log.entries}
     * @param scan     where its parts lie
     */
    record Layout(Har skeleton, byte[] head, byte[] rest, Scan scan) {
    }

    private HarLayout() {
    }

    /** Scans {@code file} in one streaming pass; entries are skipped, never built. */
    static Scan scan(Path file) throws IOException {
        long size = Files.size(file);
        long entriesOpen = -1;
        long lastEnd = -1;
        long previousEnd = -1;
        int complete = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             JsonParser p = HarJson.FACTORY.createParser(in)) {
            try {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return new Scan(-1, 0, -1, -1, false, false, size);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean log = "log".equals(p.currentName()) && entriesOpen < 0;
                    JsonToken value = p.nextToken();
                    if (!log || value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        boolean entries = "entries".equals(p.currentName()) && entriesOpen < 0;
                        if (p.nextToken() != JsonToken.START_ARRAY || !entries) {
                            p.skipChildren();
                            continue;
                        }
                        entriesOpen = p.currentLocation().getByteOffset();
                        lastEnd = entriesOpen;
                        JsonToken t;
                        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                            p.skipChildren();
                            previousEnd = lastEnd;
                            lastEnd = p.currentLocation().getByteOffset();
                            complete++;
                        }
                        if (t != JsonToken.END_ARRAY) {
                            return new Scan(-1, 0, -1, -1, false, false, size);
                        }
                    }
                }
                boolean closed = p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
                return new Scan(entriesOpen, complete, lastEnd, previousEnd, closed && entriesOpen > 0, false, size);
            } catch (JsonProcessingException e) {
                // a cut leaves the parser at the end of the input: inside a string, a number ("0." is not one), ...
                long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
                at = Math.max(at, p.currentLocation().getByteOffset());
                boolean atEnd = e instanceof JsonEOFException || at >= size - END_SLACK;
                return new Scan(entriesOpen, complete, lastEnd, previousEnd, false, atEnd, size);
            }
        }
    }

    /**
     * The layout of an intact file, or null when it is not Harp's layout (another tool's HAR, a hand-edited one, a
     * byte-order mark, CRLF line endings, ...).
     */
    static Layout of(Path file, Scan scan) throws IOException {
        if (!scan.intact() || !scan.reachedEntries() || scan.size() - scan.lastEnd() > MAX_CLOSING) {
            return null;
        }
        byte[] head = read(file, 0, (int) scan.entriesOpen());
        byte[] closing = read(file, scan.lastEnd(), (int) (scan.size() - scan.lastEnd()));
        byte[] arrayEnd = scan.complete() > 0 ? ARRAY_END : new byte[] {']'};
        if (!startsWith(closing, arrayEnd) || head.length == 0 || head[head.length - 1] != '[') {
            return null;
        }
        byte[] rest = Arrays.copyOfRange(closing, arrayEnd.length, closing.length);
        return skeleton(head, rest, scan);
    }

    /**
     * The layout a file would have with this closing after its entries, or null when its skeleton is not what
     * {@link HarWriter} writes.
     */
    static Layout skeleton(byte[] head, byte[] rest, Scan scan) {
        byte[] text = concat(head, new byte[] {']'}, rest);
        try {
            Har skeleton = HarReader.read(new ByteArrayInputStream(text), "<skeleton>");
            if (!Arrays.equals(HarWriter.toJson(skeleton).getBytes(StandardCharsets.UTF_8), text)) {
                return null;
            }
            return new Layout(skeleton, head, rest, scan);
        } catch (HarFormatException | RuntimeException e) {
            return null;
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset} (fewer when the file is shorter). */
    static byte[] read(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            int n = (int) Math.max(0, Math.min(length, f.length() - offset));
            byte[] out = new byte[n];
            f.seek(offset);
            f.readFully(out);
            return out;
        }
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
