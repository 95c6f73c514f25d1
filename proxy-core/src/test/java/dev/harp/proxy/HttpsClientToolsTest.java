package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.har.HarEntry;
import dev.harp.testing.TestHttpsUpstream;
import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real client programs through a real Harp, each verifying Harp's leaf strictly against the exported CA (never
 * {@code -k}): curl over h2 and HTTP/1.1, by DNS name and by IP address, and Python's urllib, whose CONNECT is
 * HTTP/1.0. Each is skipped when its program is not installed.
 */
class HttpsClientToolsTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHttpsUpstream upstream = TestHttpsUpstream.perTestClass();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "curl {0} to {1}")
    @CsvSource({"--http2, localhost, 2", "--http1.1, localhost, 1.1", "--http2, 127.0.0.1, 2", "--http1.1, 127.0.0.1, 1.1"})
    void curlVerifiesHarpsLeafStrictly(String protocolFlag, String host, String expectedVersion) throws Exception {
        Prerequisites.require(Prerequisite.CURL);
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("curl.har"));
        String url = "https://" + host + ":" + upstream.port() + "/hello";
        String echo = "https://" + host + ":" + upstream.port() + "/echo";
        HttpsSupport.Run run;
        try {
            Path ca = HttpsSupport.exportCa(harp, dir);
            // two transfers on one command line: a GET, then (after --next) a POST with a body
            run = HttpsSupport.run(List.of("curl", "-sS", "--fail-with-body", "--max-time", "10", protocolFlag,
                    "--cacert", ca.toString(), "--proxy", "http://127.0.0.1:" + harp.port(),
                    "-w", "\\n%{http_code} %{http_version}\\n", url,
                    "--next", "-sS", "--fail-with-body", "--max-time", "10", protocolFlag,
                    "--cacert", ca.toString(), "--proxy", "http://127.0.0.1:" + harp.port(),
                    "-w", "\\n%{http_code} %{http_version}\\n", "-H", "Content-Type: text/plain",
                    "--data-binary", "curl says hi", echo), LIMIT, dir);
        } finally {
            harp.close();
        }
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo("hello harp\n\n200 " + expectedVersion + "\n"
                + "curl says hi\n200 " + expectedVersion + "\n");
        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).extracting(e -> e.request().url()).containsExactly(url, echo);
        assertThat(entries.get(1).request().postData().text()).isEqualTo("curl says hi");
    }

    @ParameterizedTest(name = "curl {0} uploads 2 MB")
    @CsvSource({"--http1.1", "--http2"})
    void curlUploadsALargeBodyWithExpectContinue(String protocolFlag) throws Exception {
        Prerequisites.require(Prerequisite.CURL);
        byte[] data = new byte[2 * 1024 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        Path file = Files.write(dir.resolve("upload.bin"), data);
        Path received = dir.resolve("received.bin");
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("upload.har"));
        HttpsSupport.Run run;
        try {
            Path ca = HttpsSupport.exportCa(harp, dir);
            run = HttpsSupport.run(List.of("curl", "-sS", "--fail-with-body", "--max-time", "20", protocolFlag,
                    "--cacert", ca.toString(), "--proxy", "http://127.0.0.1:" + harp.port(),
                    "-H", "Expect: 100-continue", "-H", "Content-Type: application/octet-stream",
                    "--data-binary", "@" + file, "-o", received.toString(), "-w", "%{http_code}",
                    upstream.url("/echo")), LIMIT, dir);
        } finally {
            harp.close();
        }
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo("200");
        assertThat(Files.readAllBytes(received)).isEqualTo(data);
        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).request().bodySize()).isEqualTo(data.length);
    }

    @Test
    void pythonUrllibWithItsHttp10Connect() throws Exception {
        Prerequisites.require(Prerequisite.PYTHON3);
        String script = String.join("\n",
                "import ssl, sys, urllib.request",
                "proxy, cafile, base = sys.argv[1:4]",
                "ctx = ssl.create_default_context(cafile=cafile)",
                "opener = urllib.request.build_opener(urllib.request.ProxyHandler({'https': proxy}),",
                "                                     urllib.request.HTTPSHandler(context=ctx))",
                "with opener.open(base + '/hello', timeout=10) as r:",
                "    sys.stdout.write('%d %s' % (r.status, r.read().decode()))",
                "req = urllib.request.Request(base + '/echo', data=b'python says hi',",
                "                             headers={'Content-Type': 'text/plain'})",
                "with opener.open(req, timeout=10) as r:",
                "    sys.stdout.write('%d %s' % (r.status, r.read().decode()))",
                "");
        HarpServer harp = HttpsSupport.startRecording(dir.resolve("python.har"));
        HttpsSupport.Run run;
        String base = "https://localhost:" + upstream.port();
        try {
            Path ca = HttpsSupport.exportCa(harp, dir);
            run = HttpsSupport.run(List.of("python3", "-c", script, "http://127.0.0.1:" + harp.port(), ca.toString(), base),
                    LIMIT, dir);
        } finally {
            harp.close();
        }
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo("200 hello harp\n200 python says hi");
        List<HarEntry> entries = HttpsSupport.closeAndReadHar(harp);
        assertThat(entries).extracting(e -> e.request().url()).containsExactly(base + "/hello", base + "/echo");
        assertThat(entries.get(1).request().postData().text()).isEqualTo("python says hi");
    }
}
