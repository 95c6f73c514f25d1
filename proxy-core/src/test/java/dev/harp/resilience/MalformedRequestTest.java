package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests whose framing is broken (a Content-Length that is no number of bytes, a chunk size that is no hex number,
 * a body larger than replay can read) get a 4xx with a one-line reason from Harp itself, in every mode, in plain HTTP
 * and inside an intercepted TLS tunnel, and never open a connection to the upstream.
 */
class MalformedRequestTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void brokenFramingIsA4xxWithOneLineAndNoUpstreamConnection(Mode mode) throws Exception {
        Path har = dir.resolve(mode + ".har");
        Files.writeString(har, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"t\",\"version\":\"1\"},\"entries\":[]}}");
        try (RawUpstream up = new RawUpstream("counting", (c, n) -> Wire.readHead(c.getInputStream()));
             HarpServer harp = HarpServer.builder().mode(mode).har(har).port(0).environment(Map.of())
                     .systemProperties(Map.of()).certificateAuthority(CA).insecureUpstream(true).start()) {
            String authority = "127.0.0.1:" + up.port();
            for (boolean tunnel : new boolean[] {false, true}) {
                String where = mode + (tunnel ? " in a TLS tunnel" : " in plain HTTP");
                assertThat(send(harp, authority, tunnel, "Content-Length: 99999999999999999999999", "hello"))
                        .as("a Content-Length beyond any number, " + where).startsWith("HTTP/1.1 400")
                        .contains("Content-Length");
                assertThat(send(harp, authority, tunnel, "Transfer-Encoding: chunked", "zz\r\nhello\r\n0\r\n\r\n"))
                        .as("a chunk size that is no hex number, " + where).startsWith("HTTP/1.1 400")
                        .contains("chunk");
                assertThat(send(harp, authority, tunnel, "Transfer-Encoding: chunked",
                        "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"))
                        .as("a chunk size beyond any number, " + where).startsWith("HTTP/1.1 400").contains("chunk");
                if (mode == Mode.REPLAY || mode == Mode.AUTO) {
                    assertThat(send(harp, authority, tunnel, "Content-Length: 2147483648", "hello"))
                            .as("a body larger than replay reads, " + where).startsWith("HTTP/1.1 413");
                }
            }
            assertThat(up.connections()).as("connections opened to the upstream").isZero();
        }
    }

    /** Sends a POST with the given framing header and raw body bytes; returns the answer, checked to be one line. */
    private static String send(HarpServer harp, String authority, boolean tunnel, String framing, String body)
            throws IOException {
        try (Socket plain = Wire.connect(harp.port())) {
            Socket s = plain;
            String head;
            if (tunnel) {
                assertThat(Wire.connectTunnel(plain, authority)).startsWith("HTTP/1.1 200");
                int port = Integer.parseInt(authority.substring(authority.indexOf(':') + 1));
                s = Wire.tls(plain, Wire.trusting(CA), "127.0.0.1", port, "http/1.1");
                head = Wire.originHead("POST", authority, "/upload", framing);
            } else {
                head = Wire.head("POST", "http://" + authority + "/upload", framing);
            }
            Wire.write(s, head + body);
            String answer = Wire.readResponse(s.getInputStream());
            String text = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(text).as("the reason").doesNotContain("Exception").startsWith("Harp");
            assertThat(text.strip()).as("one line").doesNotContain("\n");
            return answer;
        }
    }
}
