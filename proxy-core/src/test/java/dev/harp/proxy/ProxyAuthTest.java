package dev.harp.proxy;

import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.har.HarEntry;
import dev.harp.testing.TestHttpsUpstream;
import dev.harp.testing.TestUpstream;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With proxy authentication, every way in (a plain forward request, CONNECT, a reverse-proxy request) needs
 * {@code Proxy-Authorization: Basic} with the right credentials, else 407 with {@code Proxy-Authenticate}; the
 * credentials never reach the upstream nor the HAR. (The JDK client sends Basic on CONNECT only because the test JVM
 * clears {@code jdk.http.auth.tunneling.disabledSchemes}, see the pom.)
 */
class ProxyAuthTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret:with-colon";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();

    @TempDir
    Path dir;

    @Test
    void forwardRequestsNeedTheCredentialsWhichNeverReachTheUpstreamOrTheHar() throws Exception {
        Path har = dir.resolve("auth.har");
        try (TestUpstream up = TestUpstream.start(); HarpServer harp = harp(Mode.RECORD, har, null)) {
            HttpResponse<String> refused = client(harp, null, null).send(get(up.url("/headers")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(407);
            assertThat(refused.headers().firstValue("Proxy-Authenticate")).hasValue("Basic realm=\"Harp\"");
            assertThat(up.requests()).as("nothing forwarded").isZero();

            HttpResponse<String> ok = client(harp, PASSWORD, null).send(get(up.url("/headers")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).as("headers the upstream saw").doesNotContain("proxy-authorization");

            assertThat(raw(harp.port(), "GET " + up.url("/headers") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Proxy-Authorization: " + basic(USER, "wrong") + "\r\n\r\n")).startsWith("HTTP/1.1 407");
            assertThat(raw(harp.port(), "GET " + up.url("/headers") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Proxy-Authorization: Bearer " + PASSWORD + "\r\n\r\n")).startsWith("HTTP/1.1 407");
        }
        List<HarEntry> entries = dev.harp.har.HarReader.read(har).entries();
        assertThat(entries).hasSize(1);
        String text = Files.readString(har);
        assertThat(text).doesNotContainIgnoringCase("proxy-authorization").doesNotContain(PASSWORD)
                .doesNotContain(basic(USER, PASSWORD).substring(6));
    }

    @Test
    void connectNeedsTheCredentialsAndTheTunnelIsTheirs() throws Exception {
        try (TestHttpsUpstream up = TestHttpsUpstream.start(); HarpServer harp = harp(Mode.PASSTHROUGH, dir.resolve("x.har"), null)) {
            SSLContext trust = TestHttpsUpstream.trustingOnly(CA.certificate());
            String authority = "127.0.0.1:" + up.port();
            assertThat(raw(harp.port(), "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 407").contains("Proxy-Authenticate: Basic realm=\"Harp\"");
            assertThat(raw(harp.port(), "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority
                    + "\r\nProxy-Authorization: " + basic("bob", PASSWORD) + "\r\n\r\n")).startsWith("HTTP/1.1 407");

            HttpResponse<String> ok = client(harp, PASSWORD, trust).send(get(up.url("/headers")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as("the JDK client through an authenticated CONNECT").isEqualTo(200);
            assertThat(ok.body()).doesNotContain("proxy-authorization");

            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), harp.port())) {
                s.setSoTimeout(10_000);
                write(s, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: "
                        + basic(USER, PASSWORD) + "\r\n\r\n");
                assertThat(HttpsSupport.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
                SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(s, "127.0.0.1", up.port(), true);
                tls.setSoTimeout(10_000);
                write(tls, "GET /headers HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
                assertThat(new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .as("requests inside the tunnel need no credentials of their own").startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void reverseModeNeedsProxyAuthorizationToo() throws Exception {
        try (TestUpstream up = TestUpstream.start();
             HarpServer harp = harp(Mode.PASSTHROUGH, dir.resolve("r.har"), URI.create(up.url("/")))) {
            assertThat(raw(harp.port(), "GET /headers HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 407");
            assertThat(raw(harp.port(), "GET /headers HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
                    + basic(USER, "nope") + "\r\n\r\n")).startsWith("HTTP/1.1 407");
            String ok = raw(harp.port(), "GET /headers HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
                    + basic(USER, PASSWORD) + "\r\n\r\n");
            assertThat(ok).startsWith("HTTP/1.1 200").doesNotContain("proxy-authorization");
            assertThat(up.requests()).isEqualTo(1);
        }
    }

    @Test
    void curlAuthenticatesWithDashU() throws Exception {
        Prerequisites.require(Prerequisite.CURL);
        try (TestUpstream up = TestUpstream.start(); TestHttpsUpstream tlsUp = TestHttpsUpstream.start();
             HarpServer harp = harp(Mode.PASSTHROUGH, dir.resolve("c.har"), null)) {
            Path ca = HttpsSupport.exportCa(harp, dir);
            String proxy = "http://127.0.0.1:" + harp.port();
            for (String url : List.of(up.url("/headers"), tlsUp.url("/headers"))) {
                HttpsSupport.Run without = HttpsSupport.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{http_connect}",
                        "--noproxy", "", "-x", proxy, "--cacert", ca.toString(), url), TIMEOUT, dir);
                assertThat(without.stdout()).as("curl without -U, " + url).contains("407");
                HttpsSupport.Run with = HttpsSupport.run(List.of("curl", "-sS", "--noproxy", "", "-x", proxy,
                        "-U", USER + ":" + PASSWORD, "--cacert", ca.toString(), url), TIMEOUT, dir);
                assertThat(with.exit()).as("curl -U, " + url + ": " + with.stderr()).isZero();
                assertThat(with.stdout()).doesNotContain("proxy-authorization").isNotEmpty();
            }
        }
    }

    @Test
    void aBindOtherMachinesCanReachIsAWarningThatSaysWhatItExposes() throws Exception {
        try (dev.harp.testing.LogCapture log = dev.harp.testing.LogCapture.start()) {
            try (HarpServer loopback = HarpServer.builder().mode(Mode.PASSTHROUGH).port(0).environment(Map.of())
                    .systemProperties(Map.of()).certificateAuthority(CA).start()) {
                assertThat(log.problems()).as("the default bind says nothing").isEmpty();
            }
            try (HarpServer open = HarpServer.builder().mode(Mode.PASSTHROUGH).port(0).bindAddress("0.0.0.0")
                    .environment(Map.of()).systemProperties(Map.of()).certificateAuthority(CA).start()) {
                assertThat(log.problems()).anySatisfy(line -> assertThat(line).contains("WARN")
                        .contains("0.0.0.0:" + open.port()).contains("loopback-only services").contains("raw tunnels")
                        .contains("--proxy-auth").contains("127.0.0.1"));
            }
        }
    }

    private static HarpServer harp(Mode mode, Path har, URI reverse) throws IOException {
        return HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of()).systemProperties(Map.of())
                .certificateAuthority(CA).insecureUpstream(true).upstream(reverse)
                .proxyAuth(USER + ":" + PASSWORD).start();
    }

    private static HttpClient client(HarpServer harp, String password, SSLContext trust) {
        HttpClient.Builder b = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address())).connectTimeout(TIMEOUT);
        if (trust != null) {
            b.sslContext(trust);
        }
        if (password != null) {
            b.authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY
                            ? new PasswordAuthentication(USER, password.toCharArray()) : null;
                }
            });
        }
        return b.build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            write(s, request);
            InputStream in = s.getInputStream();
            String head = HttpsSupport.readHead(in);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }
}
