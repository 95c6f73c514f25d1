package dev.harp.har;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child JVM's main for {@link KilledAppendTest}: records into a HAR as fast as it can, in appends of 1 to 40
 * entries with bodies up to 48 KiB written 1 KiB at a time, and prints {@code writing} as an append starts writing and
 * {@code flushed N} once the first N entries are on disk.
 */
public final class AppendingChild {
    private AppendingChild() {
    }

    /** {@code args}: the HAR file, a seed. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        HarAppender appender = HarAppender.replacing(file, Har.newRecording("test"));
        appender.ensureWritten();
        // one write call per KiB, as a slow or network disk would take them, so that a kill can land inside an
        // append (the page cache takes a whole append in one call, which SIGKILL does not interrupt); "writing"
        // tells the parent that one starts
        appender.writeWith((channel, bytes, at) -> {
            System.out.println("writing");
            System.out.flush();
            for (int from = 0; from < bytes.length; from += 1024) {
                java.nio.ByteBuffer piece = java.nio.ByteBuffer.wrap(bytes, from, Math.min(1024, bytes.length - from));
                while (piece.hasRemaining()) {
                    channel.write(piece, at + piece.position());
                }
            }
        });
        Instant start = Instant.parse("2026-01-02T03:04:05Z");
        int total = 0;
        while (true) {
            int size = 1 + random.nextInt(40);
            List<HarEntry> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(entry(start, total + i, random.nextInt(48 * 1024)));
            }
            appender.append(batch);
            total += size;
            System.out.println("flushed " + total);
            System.out.flush();
        }
    }

    static HarEntry entry(Instant start, int i, int bodyLength) {
        return HarEntry.builder().startedDateTime(start.plusMillis(i)).time(1.25)
                .request(HarRequest.builder("GET", "https://api.test/items/" + i).build())
                .response(HarResponse.builder(200).statusText("OK")
                        .content(HarContent.ofText("é".repeat(bodyLength / 2), "text/plain")).build())
                .timings(HarTimings.of(0.25, 0.5, 0.5))
                .build();
    }
}
