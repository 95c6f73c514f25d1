package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.replay.MatchOptions;
import dev.harp.replay.Miss;
import dev.harp.replay.SequencePolicy;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Repeated identical requests replay in recorded order, through a real Harp, under each sequence policy. */
class ReplaySequencesTest {
    @TempDir
    static Path dir;
    static Path har;
    static String countUrl;

    @BeforeAll
    static void recordThreeCounts() throws Exception {
        har = dir.resolve("count.har");
        try (TestUpstream upstream = TestUpstream.start(); HarpServer recording = Proxied.harp(Mode.RECORD, har).start()) {
            countUrl = upstream.url("/count");
            HttpClient c = Proxied.client(recording);
            for (int i = 1; i <= 3; i++) {
                assertThat(text(get(c, countUrl))).isEqualTo("count=" + i + "\n");
            }
        }
    }

    @Test
    void recordedOrderThenTheLastRepeats() throws Exception {
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            HttpClient c = Proxied.client(harp);
            assertThat(counts(c, 5)).containsExactly("count=1", "count=2", "count=3", "count=3", "count=3");
            assertThat(harp.replaySummary().hits()).isEqualTo(5);
            assertThat(harp.replaySummary().unused()).isZero();
        }
    }

    @Test
    void reuseFirstServesTheFirstRecordingEveryTime() throws Exception {
        MatchOptions options = MatchOptions.builder().sequence(SequencePolicy.REUSE_FIRST).build();
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).matchOptions(options).start()) {
            HttpClient c = Proxied.client(harp);
            assertThat(counts(c, 3)).containsExactly("count=1", "count=1", "count=1");
            assertThat(harp.replaySummary().unused()).isEqualTo(2);
        }
    }

    @Test
    void failAfterLastMissesTheFourthRequest() throws Exception {
        MatchOptions options = MatchOptions.builder().sequence(SequencePolicy.FAIL_AFTER_LAST).build();
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).matchOptions(options).start()) {
            HttpClient c = Proxied.client(harp);
            assertThat(counts(c, 3)).containsExactly("count=1", "count=2", "count=3");
            HttpResponse<byte[]> fourth = get(c, countUrl);
            assertThat(fourth.statusCode()).isEqualTo(502);
            assertThat(fourth.headers().firstValue("Harp-Miss")).hasValue("GET " + countUrl);
            assertThat(text(fourth)).contains("GET " + countUrl).contains("already used").contains(har.toString());
            assertThat(harp.misses()).singleElement().extracting(Miss::reason).isEqualTo(Miss.Reason.SEQUENCE_EXHAUSTED);
        }
    }

    private static java.util.List<String> counts(HttpClient c, int n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<byte[]> r = get(c, countUrl);
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            out.add(text(r).strip());
        }
        return out;
    }
}
