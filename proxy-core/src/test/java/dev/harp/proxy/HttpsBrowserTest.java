package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.har.HarEntry;
import dev.harp.testing.TestHttpsUpstream;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Headless Chromium loads a page through Harp over HTTPS (skipped when Chromium is not installed). */
class HttpsBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";

    @TempDir
    Path dir;

    @Test
    void chromiumLoadsAPageThroughHarp() throws Exception {
        Prerequisites.require(Prerequisite.CHROMIUM);
        try (TestHttpsUpstream upstream = TestHttpsUpstream.start()) {
            HarpServer harp = HttpsSupport.startRecording(dir.resolve("browser.har"));
            String url = upstream.url("/hello");
            HttpsSupport.Run run;
            try {
                // Chromium is told to accept certificate chains that contain Harp's CA key (and nothing else)
                byte[] spki = harp.certificateAuthority().certificate().getPublicKey().getEncoded();
                String pin = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
                Path profile = Files.createDirectories(dir.resolve("profile"));
                run = HttpsSupport.run(List.of(CHROMIUM,
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                        "--proxy-server=http://127.0.0.1:" + harp.port(),
                        // <-loopback> lets localhost go through the proxy; every dotted host (Chromium's own
                        // background traffic to Google services) goes "direct" instead, where the resolver rule
                        // fails it inside Chromium: nothing leaves this machine, and Harp sees only the test page
                        "--proxy-bypass-list=<-loopback>;*.*",
                        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                        "--ignore-certificate-errors-spki-list=" + pin,
                        "--dump-dom", url), Duration.ofSeconds(60), dir);
            } finally {
                harp.close();
            }
            assertThat(run.stdout()).as("%s", run).contains("hello harp");
            List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
            assertThat(entries).extracting(e -> e.request().url()).contains(url)
                    .allMatch(u -> u.startsWith("https://localhost:" + upstream.port() + "/"));
            assertThat(upstream.requests()).isPositive();
        }
    }
}
