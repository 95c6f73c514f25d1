package dev.harp.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * One-off measurement behind the README's memory figures for HARs of many small entries: writes a HAR of
 * {@code entries} GET entries with {@code bodyBytes}-byte JSON bodies (compact JSON, as browsers export) to a temporary
 * folder, loads it for replay and prints the heap the loaded replay keeps (used heap after forced GCs, after minus
 * before). Not a test: run it by hand with a heap large enough for the HAR, e.g.
 * {@code java -Xmx3g -cp <test class path> dev.harp.bench.HarLoadMemory 200000 165}.
 */
public final class HarLoadMemory {
    private HarLoadMemory() {
    }

    /** Arguments: number of entries (default 200,000) and body bytes per entry (default 165). */
    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int bodyBytes = args.length > 1 ? Integer.parseInt(args[1]) : 165;
        Path dir = Files.createTempDirectory("harp-load-memory");
        Path har = write(dir.resolve("many.har"), entries, bodyBytes);
        try {
            Costs.HarLoad load = Costs.harLoad(har, entries, 1);
            System.out.printf("%,d entries, %.1f MB file: load %.0f ms, %.1f MB kept on the heap (%.2f× the file)%n",
                    entries, load.fileBytes() / 1e6, load.load().medianMillis(), load.heapBytes() / 1e6,
                    load.heapRatio());
        } finally {
            Files.deleteIfExists(har);
            Files.deleteIfExists(dir);
        }
    }

    static Path write(Path file, int entries, int bodyBytes) throws IOException {
        Random random = new Random(7);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"gen\",\"version\":\"1\"},\"entries\":[\n");
            for (int i = 0; i < entries; i++) {
                StringBuilder body = new StringBuilder("{\\\"id\\\":" + i + ",\\\"v\\\":\\\"");
                while (body.length() < bodyBytes) {
                    body.append((char) ('a' + random.nextInt(26)));
                }
                body.append("\\\"}");
                long length = body.length() - body.chars().filter(c -> c == '\\').count(); // escapes are not body
                w.write((i > 0 ? ",\n" : "") + "{\"startedDateTime\":\"2025-01-01T00:00:00.000Z\",\"time\":3,"
                        + "\"request\":{\"method\":\"GET\",\"url\":\"https://api.test/v1/items/" + i + "?page=" + (i % 50)
                        + "\",\"httpVersion\":\"HTTP/1.1\",\"cookies\":[],\"headers\":[{\"name\":\"Host\",\"value\":"
                        + "\"api.test\"},{\"name\":\"Accept\",\"value\":\"application/json\"}],\"queryString\":[{\"name\":"
                        + "\"page\",\"value\":\"" + (i % 50) + "\"}],\"headersSize\":-1,\"bodySize\":0},"
                        + "\"response\":{\"status\":200,\"statusText\":\"OK\",\"httpVersion\":\"HTTP/1.1\",\"cookies\":[],"
                        + "\"headers\":[{\"name\":\"Content-Type\",\"value\":\"application/json\"},{\"name\":"
                        + "\"Content-Length\",\"value\":\"" + length + "\"}],\"content\":{\"size\":" + length
                        + ",\"mimeType\":\"application/json\",\"text\":\"" + body + "\"},\"redirectURL\":\"\","
                        + "\"headersSize\":-1,\"bodySize\":" + length + "},\"cache\":{},"
                        + "\"timings\":{\"send\":0,\"wait\":2,\"receive\":1}}");
            }
            w.write("]}}\n");
        }
        return file;
    }
}
