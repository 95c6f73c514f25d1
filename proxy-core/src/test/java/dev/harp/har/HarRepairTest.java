package dev.harp.har;

import dev.harp.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.harp.har.HarAppenderTest.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Harp recording cut short mid-append is repaired back to its last complete entry; other damage is not touched. */
class HarRepairTest {
    @TempDir
    Path dir;

    @Test
    void aFileCutAtEveryByteOfItsLastEntryRepairsToTheEntriesBeforeIt() throws Exception {
        Har three = Har.newRecording("1.0").withEntries(entries(0, 3));
        byte[] whole = HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 4))).getBytes(StandardCharsets.UTF_8);
        byte[] twoThirds = HarWriter.toJson(three).getBytes(StandardCharsets.UTF_8);
        int lastEntryStart = twoThirds.length - HarLayout.concat(HarLayout.ARRAY_END, HarLayout.PLAIN_REST).length;
        int lastEntryEnd = whole.length - HarLayout.concat(HarLayout.ARRAY_END, HarLayout.PLAIN_REST).length;
        Path file = dir.resolve("cut.har");
        for (int cut = lastEntryStart; cut < lastEntryEnd; cut++) {
            Files.write(file, Arrays.copyOf(whole, cut));
            assertThat(HarRepair.read(file).entries()).as("cut at byte %d", cut).hasSize(3);
            assertThat(Files.readString(file)).as("cut at byte %d", cut).isEqualTo(HarWriter.toJson(three));
        }
        for (int cut = lastEntryEnd; cut < whole.length; cut++) { // cut inside the closing: every entry is kept
            Files.write(file, Arrays.copyOf(whole, cut));
            assertThat(HarRepair.read(file).entries()).as("cut at byte %d", cut).hasSize(4);
        }
    }

    @Test
    void anAppendCutBeforeItOverwroteTheOldClosingIsRepairedToo() throws Exception {
        byte[] old = HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 2))).getBytes(StandardCharsets.UTF_8);
        byte[] grown = HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 3))).getBytes(StandardCharsets.UTF_8);
        int closing = HarLayout.concat(HarLayout.ARRAY_END, HarLayout.PLAIN_REST).length;
        int tail = old.length - closing;
        Path file = dir.resolve("overwritten.har");
        for (int written = 0; written < closing + 12; written++) { // the append's first bytes over the old closing
            byte[] mixed = old.length >= tail + written ? old.clone() : Arrays.copyOf(old, tail + written);
            System.arraycopy(grown, tail, mixed, tail, written);
            Files.write(file, mixed);
            assertThat(HarRepair.read(file).entries()).as("%d bytes of the append written", written).hasSize(2);
            assertThat(Files.readAllBytes(file)).isEqualTo(old);
        }
    }

    @Test
    void theRepairSaysSoInOneLine() throws Exception {
        byte[] whole = HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 5))).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("said.har");
        Files.write(file, Arrays.copyOf(whole, whole.length - 40));
        try (LogCapture log = LogCapture.start()) {
            assertThat(HarRepair.read(file).entries()).hasSize(4);
            List<String> lines = log.stderr().lines().filter(l -> l.contains("repaired")).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("INFO", file.toString(), "4 complete entries");
        }
    }

    @Test
    void aFileEmptiedOfEntriesByTheCutRepairsToAnEmptyRecording() throws Exception {
        byte[] whole = HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 1))).getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("first.har");
        Files.write(file, Arrays.copyOf(whole, whole.length - 60));
        assertThat(HarRepair.read(file).entries()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(HarWriter.toJson(Har.newRecording("1.0")));
    }

    @Test
    void otherDamageIsNotRepairedAndKeepsItsError() throws Exception {
        String text = HarWriter.toJson(Har.newRecording("1.0").withEntries(entries(0, 3)));
        Path broken = dir.resolve("broken.har");
        int lastStatus = text.lastIndexOf("\"status\": 200");
        Files.writeString(broken, text.substring(0, lastStatus) + "\"status\" 200" + text.substring(lastStatus + 13));
        byte[] before = Files.readAllBytes(broken);
        assertThatThrownBy(() -> HarRepair.read(broken)).isInstanceOf(HarFormatException.class)
                .hasMessageStartingWith(broken + ":");
        assertThat(Files.readAllBytes(broken)).isEqualTo(before);

        Path foreign = dir.resolve("foreign.har");
        String crlf = text.replace("\n", "\r\n");
        Files.writeString(foreign, crlf.substring(0, crlf.length() - 30));
        byte[] foreignBefore = Files.readAllBytes(foreign);
        assertThatThrownBy(() -> HarRepair.read(foreign)).isInstanceOf(HarFormatException.class)
                .hasMessageContaining("unexpected end of input");
        assertThat(Files.readAllBytes(foreign)).as("not Harp's layout: left alone").isEqualTo(foreignBefore);

        Path middle = dir.resolve("middle.har");
        int firstEntryEnd = text.indexOf("\n      },") + 8;
        Files.writeString(middle, text.substring(0, firstEntryEnd) + "}" + text.substring(firstEntryEnd));
        assertThatThrownBy(() -> HarRepair.read(middle)).isInstanceOf(HarFormatException.class);
    }
}
