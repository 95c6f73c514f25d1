package dev.harp.har;

import dev.harp.testing.HarSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Appending entries to a HAR file: each append adds bytes at the end and leaves a valid HAR; nothing before moves. */
class HarAppenderTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.006Z");

    @TempDir
    Path dir;

    static HarEntry entry(int i) {
        return HarEntry.builder().startedDateTime(T0.plusMillis(i))
                .time(1.5)
                .request(HarRequest.builder("GET", "https://api.test/items/" + i + "?q=zürich").build())
                .response(HarResponse.builder(200).statusText("OK")
                        .content(HarContent.ofText("{\"item\":" + i + ",\"text\":\"ünïcødé " + "x".repeat(i % 50) + "\"}",
                                "application/json"))
                        .build())
                .timings(HarTimings.of(0.5, 0.75, 0.25))
                .build();
    }

    static List<HarEntry> entries(int from, int to) {
        List<HarEntry> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(entry(i));
        }
        return out;
    }

    private static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }

    @Test
    void eachAppendLeavesAValidHarAndNeverRewritesEarlierBytes() throws Exception {
        Path file = dir.resolve("appended.har");
        HarAppender appender = HarAppender.replacing(file, Har.newRecording("1.0"));
        appender.ensureWritten();
        assertThat(HarReader.read(file).entries()).isEmpty();
        Object inode = inode(file);
        int total = 0;
        for (int batch = 0; batch < 12; batch++) {
            byte[] before = Files.readAllBytes(file);
            int closing = before.length - (int) tailOffset(file);
            int size = 1 + batch % 4;
            appender.append(entries(total, total + size));
            total += size;
            byte[] after = Files.readAllBytes(file);
            assertThat(inode(file)).as("the same file, never replaced").isEqualTo(inode);
            assertThat(Arrays.copyOf(after, before.length - closing))
                    .as("append %d kept every byte before the old closing", batch)
                    .isEqualTo(Arrays.copyOf(before, before.length - closing));
            assertThat(HarReader.read(file).entries()).as("valid after append %d", batch).hasSize(total);
            assertThat(appender.entries()).isEqualTo(total);
        }
        HarSchema.assertValid(Files.readString(file));
        assertThat(Files.readString(file)).as("the bytes HarWriter writes for the same entries")
                .isEqualTo(HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, total))));
    }

    @Test
    void continuingAHarpFileAppendsWithoutRewritingIt() throws Exception {
        Path file = dir.resolve("fixture.har");
        Har existing = Har.newRecording("1.0").withEntries(entries(0, 3));
        HarWriter.write(file, existing);
        byte[] before = Files.readAllBytes(file);
        Object inode = inode(file);
        HarAppender appender = HarAppender.continuing(file, existing);
        appender.append(List.of());
        assertThat(Files.readAllBytes(file)).as("nothing to add, nothing written").isEqualTo(before);
        appender.append(entries(3, 5));
        assertThat(inode(file)).isEqualTo(inode);
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
                .startsWith(new String(before, 0, before.length - "\n    ]\n  }\n}\n".length(), StandardCharsets.UTF_8))
                .isEqualTo(HarWriter.toJson(existing.withEntries(entries(0, 5))));
    }

    @Test
    void continuingAnotherToolsHarRewritesItOnceThenAppends() throws Exception {
        Path file = dir.resolve("browser.har");
        String harp = HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 2)));
        Files.writeString(file, harp.replace("\n", "\r\n").replace("\"Harp\"", "\"WebInspector\""));
        Har existing = HarReader.read(file);
        HarAppender appender = HarAppender.continuing(file, existing);
        appender.append(entries(2, 3));
        Object inode = inode(file);
        String once = Files.readString(file);
        assertThat(once).doesNotContain("\r\n").contains("\"WebInspector\"");
        appender.append(entries(3, 4));
        assertThat(inode(file)).as("appended, not rewritten again").isEqualTo(inode);
        assertThat(HarReader.read(file).entries()).hasSize(4);
        assertThat(Files.readString(file)).startsWith(once.substring(0, once.length() - 14));
    }

    @Test
    void aLogWithMembersAfterItsEntriesKeepsThemAtTheEnd() throws Exception {
        Path file = dir.resolve("commented.har");
        HarLog log = Har.newRecording("1.0").log();
        Har existing = Har.of(new HarLog(log.version(), log.creator(), null, null, entries(0, 1), "kept", null));
        HarWriter.write(file, existing);
        HarAppender appender = HarAppender.continuing(file, existing);
        appender.append(entries(1, 3));
        assertThat(Files.readString(file)).isEqualTo(HarWriter.toJson(existing.withEntries(entries(0, 3))));
    }

    @Test
    void aFileChangedBetweenAppendsIsTakenAsItIsNow() throws Exception {
        Path file = dir.resolve("changed.har");
        HarAppender appender = HarAppender.replacing(file, Har.newRecording("1.0"));
        appender.append(entries(0, 2));
        HarWriter.write(file, Har.newRecording("1.0").withEntries(entries(10, 13)));
        appender.append(entries(2, 3));
        assertThat(HarReader.read(file).entries()).hasSize(4);
        Files.delete(file);
        appender.append(entries(3, 4));
        assertThat(HarReader.read(file).entries()).hasSize(1);
    }

    @Test
    void anAppendThatFailsPartWayLeavesTheFileAsItWasAndTheNextOneWritesEverything() throws Exception {
        Path file = dir.resolve("full.har");
        HarAppender appender = HarAppender.replacing(file, Har.newRecording("1.0"));
        appender.append(entries(0, 3));
        byte[] before = Files.readAllBytes(file);
        appender.writeWith((channel, bytes, at) -> { // a full disk: part of the bytes land, then the write fails
            channel.write(java.nio.ByteBuffer.wrap(bytes, 0, bytes.length / 2), at);
            throw new IOException("No space left on device");
        });
        assertThatThrownBy(() -> appender.append(entries(3, 6))).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("No space left on device");
        assertThat(Files.readAllBytes(file)).as("the closing put back: the file as it was").isEqualTo(before);
        assertThat(appender.entries()).isEqualTo(3);
        appender.writeWith((channel, bytes, at) -> channel.write(java.nio.ByteBuffer.wrap(bytes), at));
        appender.append(entries(3, 6));
        assertThat(Files.readString(file)).isEqualTo(HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 6))));
    }

    @Test
    void anAppendThatCannotEvenPutTheClosingBackIsCutAwayByTheNextOneSoNoEntryIsWrittenTwice() throws Exception {
        Path file = dir.resolve("cut.har");
        HarAppender appender = HarAppender.replacing(file, Har.newRecording("1.0"));
        appender.append(entries(0, 3));
        appender.writeWith((channel, bytes, at) -> { // every new entry lands, then the disk fails for good
            channel.write(java.nio.ByteBuffer.wrap(bytes, 0, bytes.length - 3), at);
            channel.close(); // so putting the closing back fails too
            throw new IOException("Input/output error");
        });
        assertThatThrownBy(() -> appender.append(entries(3, 6))).isInstanceOf(IOException.class)
                .hasMessageContaining("Input/output error");
        assertThat(HarLayout.scan(file).complete()).as("the failed append's entries are whole in the cut file")
                .isEqualTo(6);
        appender.writeWith((channel, bytes, at) -> channel.write(java.nio.ByteBuffer.wrap(bytes), at));
        appender.append(entries(3, 6)); // the caller appends again what failed
        assertThat(Files.readString(file)).isEqualTo(HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 6))));
    }

    private static long tailOffset(Path file) throws IOException {
        return HarLayout.scan(file).lastEnd();
    }

    /** An entry with a body of about {@code kib} KiB, started {@code atMillis} after T0. */
    private static HarEntry large(int i, int kib, int atMillis) {
        return HarEntry.builder().startedDateTime(T0.plusMillis(atMillis))
                .time(1.5)
                .request(HarRequest.builder("GET", "https://api.test/large/" + i).build())
                .response(HarResponse.builder(200).statusText("OK")
                        .content(HarContent.ofText(("item " + i + " ").repeat(kib * 128), "text/plain")).build())
                .timings(HarTimings.of(0.5, 0.75, 0.25))
                .build();
    }

    @Test
    void aLargeBatchIsWrittenInGroupsInStartOrderAsIfWrittenAtOnce() throws Exception {
        Path file = dir.resolve("large.har");
        HarAppender appender = HarAppender.replacing(file, Har.newRecording("1.0"));
        appender.append(entries(0, 2));
        List<HarEntry> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // 40 × 64 KiB: many groups; started in reverse order
            batch.add(large(i, 64, 1_000 - i));
        }
        List<Integer> groupWrites = new ArrayList<>();
        appender.writeWith((channel, bytes, at) -> {
            groupWrites.add(bytes.length);
            channel.write(java.nio.ByteBuffer.wrap(bytes), at);
        });
        appender.append(batch);
        List<HarEntry> all = new ArrayList<>(entries(0, 2));
        all.addAll(batch);
        assertThat(Files.readString(file)).isEqualTo(HarWriter.toJson(Har.newRecording("1.0").withEntries(all)));
        assertThat(groupWrites).hasSizeGreaterThan(4).allSatisfy(length -> assertThat(length).isLessThan(1 << 20));
        assertThat(HarReader.read(file).entries().get(2).response().content().text()).startsWith("item 39 ");
    }

    @Test
    void aGroupThatFailsTakesTheGroupsBeforeItBackSoTheRetryWritesEachEntryOnce() throws Exception {
        Path file = dir.resolve("groups.har");
        HarAppender appender = HarAppender.replacing(file, Har.newRecording("1.0"));
        appender.append(entries(0, 2));
        String before = Files.readString(file);
        List<HarEntry> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(large(i, 64, 100 + i));
        }
        int[] writes = {0};
        appender.writeWith((channel, bytes, at) -> { // the third group finds the disk full
            if (++writes[0] == 3) {
                channel.write(java.nio.ByteBuffer.wrap(bytes, 0, bytes.length / 2), at);
                throw new IOException("No space left on device");
            }
            channel.write(java.nio.ByteBuffer.wrap(bytes), at);
        });
        assertThatThrownBy(() -> appender.append(batch)).hasMessageContaining("No space left on device");
        assertThat(Files.readString(file)).isEqualTo(before);
        appender.writeWith((channel, bytes, at) -> channel.write(java.nio.ByteBuffer.wrap(bytes), at));
        appender.append(batch);
        List<HarEntry> all = new ArrayList<>(entries(0, 2));
        all.addAll(batch);
        assertThat(Files.readString(file)).isEqualTo(HarWriter.toJson(Har.newRecording("1.0").withEntries(all)));
    }
}
