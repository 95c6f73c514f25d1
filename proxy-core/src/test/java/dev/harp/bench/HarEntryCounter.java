package dev.harp.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Counts the entries of a HAR that Harp is writing, two ways. While it records: an instance counts entry starts in
 * the bytes appended to the file since the last count. Harp appends over the file's closing brackets and never
 * rewrites an entry, so a mark once seen stays; the scan resumes just after the last mark. Once it has exited:
 * {@link #countEntries(Path)} counts {@code log.entries} exactly with a streaming JSON parser, since the file may be
 * several GB.
 */
final class HarEntryCounter {
    /** What each HAR entry starts with in Harp's layout; counted in the appended bytes after each window. */
    private static final byte[] ENTRY_MARK = "\"startedDateTime\"".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final int[] failure = failureTable(ENTRY_MARK);
    private long resumeAt;
    private long total;

    HarEntryCounter(Path file) {
        this.file = file;
    }

    /** Entry starts counted so far. */
    long total() {
        return total;
    }

    /**
     * Waits until Harp has appended what it holds (the count stays the same across more than one flush
     * interval) and returns the entries added since the last call.
     */
    long settle() throws IOException, InterruptedException {
        long before = total;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Thread.sleep(300);
        long last = -1;
        while (System.nanoTime() < deadline) {
            total += scan();
            if (total == last) {
                break;
            }
            last = total;
            Thread.sleep(1_200); // Harp appends once a second while entries arrive
        }
        return total - before;
    }

    /** Entry starts from where the last scan stopped to the end of the file. */
    private long scan() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long found = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long pos = resumeAt;
            int j = 0;
            while (pos < size) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                byte[] a = buf.array();
                for (int i = 0; i < n; i++) {
                    byte b = a[i];
                    while (j > 0 && b != ENTRY_MARK[j]) {
                        j = failure[j - 1];
                    }
                    if (b == ENTRY_MARK[j]) {
                        j++;
                    }
                    if (j == ENTRY_MARK.length) {
                        found++;
                        resumeAt = pos + i + 1;
                        j = 0;
                    }
                }
                pos += n;
            }
        }
        return found;
    }

    private static int[] failureTable(byte[] p) {
        int[] f = new int[p.length];
        for (int i = 1, k = 0; i < p.length; i++) {
            while (k > 0 && p[i] != p[k]) {
                k = f[k - 1];
            }
            if (p[i] == p[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }

    /** The elements of {@code log.entries}, read with Jackson's streaming parser: the file may be several GB. */
    static long countEntries(Path har) throws IOException {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .build();
        try (JsonParser p = factory.createParser(har.toFile())) {
            expect(p.nextToken(), JsonToken.START_OBJECT, har);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("log")) {
                    p.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_OBJECT, har);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String member = p.currentName();
                    JsonToken v = p.nextToken();
                    if (!member.equals("entries")) {
                        p.skipChildren();
                        continue;
                    }
                    expect(v, JsonToken.START_ARRAY, har);
                    long n = 0;
                    JsonToken t;
                    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                        n++;
                        p.skipChildren();
                    }
                    expect(t, JsonToken.END_ARRAY, har);
                    return n;
                }
            }
        }
        throw new IOException(har + " has no log.entries");
    }

    private static void expect(JsonToken actual, JsonToken expected, Path har) throws IOException {
        if (actual != expected) {
            throw new IOException(har + ": expected " + expected + " but found " + actual);
        }
    }
}
