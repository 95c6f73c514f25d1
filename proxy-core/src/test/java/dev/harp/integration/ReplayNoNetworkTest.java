package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.ModeResolution;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.harp.integration.Proxied.get;
import static dev.harp.integration.Proxied.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replay mode never touches the network: not the recorded server while it runs, not DNS, not on a miss; nor does it
 * read what only forwarding needs (the upstream trust file).
 */
class ReplayNoNetworkTest {
    @TempDir
    Path dir;

    @Test
    void aRunningUpstreamSeesNothingOnHitsAndMisses() throws Exception {
        try (TestUpstream upstream = TestUpstream.start()) {
            HandMadeHar h = new HandMadeHar();
            h.entry("GET", upstream.url("/hello"), 200, "text/plain", "recorded hello");
            h.entry("GET", upstream.url("/status/500"), 500, "text/plain", "recorded failure");
            Path har = h.write(dir.resolve("local.har"));
            try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
                HttpClient c = Proxied.client(harp);
                HttpResponse<byte[]> hit = get(c, upstream.url("/hello"));
                assertThat(hit.statusCode()).isEqualTo(200);
                assertThat(text(hit)).isEqualTo("recorded hello");
                assertThat(get(c, upstream.url("/status/500")).statusCode()).isEqualTo(500);
                assertThat(get(c, upstream.url("/json")).statusCode()).isEqualTo(502);
                assertThat(get(c, upstream.url("/hello?other=1")).statusCode()).isEqualTo(502);
                assertThat(Proxied.send(c, "POST", upstream.url("/echo"), new byte[] {1, 2, 3}).statusCode()).isEqualTo(502);
                // the recorded server is up and would have answered: replay asked it nothing
                assertThat(upstream.requests()).isZero();
                assertThat(harp.replaySummary().hits()).isEqualTo(2);
                assertThat(harp.replaySummary().misses()).isEqualTo(3);
            }
            assertThat(upstream.requests()).isZero();
        }
    }

    @Test
    void hostsThatDoNotResolveStillReplayOverHttpAndHttps() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "http://harp-no-such-host.invalid/x", 200, "text/plain", "plain from nowhere");
        h.entry("GET", "https://harp-no-such-host.invalid/secure?a=1", 201, "application/json", "{\"tls\":true}");
        Path har = h.write(dir.resolve("nowhere.har"));
        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).start()) {
            HttpClient c = Proxied.client(harp);
            HttpResponse<byte[]> plain = get(c, "http://harp-no-such-host.invalid/x");
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(text(plain)).isEqualTo("plain from nowhere");
            HttpResponse<byte[]> tls = get(c, "https://harp-no-such-host.invalid/secure?a=1");
            assertThat(tls.statusCode()).isEqualTo(201);
            assertThat(text(tls)).isEqualTo("{\"tls\":true}");
            HttpResponse<byte[]> miss = get(c, "https://harp-no-such-host.invalid/other");
            assertThat(miss.statusCode()).isEqualTo(502);
            assertThat(miss.headers().firstValue("Harp-Miss")).hasValue("GET https://harp-no-such-host.invalid/other");
        }
    }

    @Test
    void replayStartsWithoutTheUpstreamTrustFileThatOnlyForwardingReads() throws Exception {
        HandMadeHar h = new HandMadeHar();
        h.entry("GET", "https://harp-no-such-host.invalid/secure", 200, "text/plain", "replayed");
        Path har = h.write(dir.resolve("ci.har"));
        Path missing = dir.resolve("not-on-this-checkout/upstream-ca.pem");

        try (HarpServer harp = Proxied.harp(Mode.REPLAY, har).upstreamTrust(missing).start()) {
            HttpResponse<byte[]> hit = get(Proxied.client(harp), "https://harp-no-such-host.invalid/secure");
            assertThat(hit.statusCode()).isEqualTo(200);
            assertThat(text(hit)).isEqualTo("replayed");

            // switching to a mode that forwards reads it, fails naming it, and leaves replay running
            assertThatThrownBy(() -> harp.switchTo(dir.resolve("new.har"), ModeResolution.resolve(Mode.RECORD, null, java.util.Map.of(), java.util.Map.of())))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageStartingWith(missing + ": cannot read PEM certificates: no such file")
                    .hasMessageContaining("mode record forwards to real servers and needs it; replay does not read it");
            assertThat(get(Proxied.client(harp), "https://harp-no-such-host.invalid/secure").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void modesThatForwardFailAtStartNamingAMissingUpstreamTrustFile() {
        Path missing = dir.resolve("upstream-ca.pem");
        for (Mode mode : new Mode[] {Mode.RECORD, Mode.AUTO, Mode.PASSTHROUGH}) {
            assertThatThrownBy(() -> Proxied.harp(mode, dir.resolve(mode.cliName() + ".har")).upstreamTrust(missing).start())
                    .as(mode.cliName())
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageStartingWith(missing + ": cannot read PEM certificates: no such file")
                    .hasMessageContaining("mode " + mode.cliName() + " forwards");
            assertThat(dir.resolve(mode.cliName() + ".har")).as("no HAR written").doesNotExist();
        }
    }
}
