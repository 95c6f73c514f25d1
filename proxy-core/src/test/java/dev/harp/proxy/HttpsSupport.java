package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.HarpConfig;
import dev.harp.Mode;
import dev.harp.har.Har;
import dev.harp.har.HarEntry;
import dev.harp.har.HarReader;
import dev.harp.testing.TestHttpsUpstream;
import dev.harp.tls.CertificateAuthority;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Shared helpers for the HTTPS integration tests through a real running Harp. */
final class HttpsSupport {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HttpsSupport() {
    }

    /** Starts Harp in record mode on an ephemeral port, with an in-memory CA and the machine's env kept out. */
    static HarpServer startRecording(Path har, UnaryOperator<HarpConfig.Builder> extra) throws IOException {
        HarpConfig.Builder b = HarpServer.builder()
                .mode(Mode.RECORD)
                .har(har)
                .port(0)
                .environment(Map.of())
                .systemProperties(Map.of())
                .certificateAuthority(CertificateAuthority.inMemory());
        return extra.apply(b).start();
    }

    /** Starts Harp recording to {@code har}, accepting the test upstream's self-signed certificate. */
    static HarpServer startRecording(Path har) throws IOException {
        return startRecording(har, b -> b.insecureUpstream(true));
    }

    /** A client context that trusts only Harp's CA. */
    static SSLContext trustingHarp(HarpServer harp) {
        return TestHttpsUpstream.trustingOnly(harp.certificateAuthority().certificate());
    }

    /** A JDK client through Harp with the given trust and protocol preference. */
    static HttpClient client(HarpServer harp, SSLContext trust, HttpClient.Version version) {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(harp.address()))
                .sslContext(trust)
                .version(version)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** Closes Harp (writing the HAR) and reads the HAR back. */
    static List<HarEntry> closeAndReadHar(HarpServer harp) throws IOException {
        harp.close();
        Path file = harp.har();
        if (!Files.exists(file)) {
            return List.of();
        }
        Har har = HarReader.read(file);
        return har.entries();
    }

    /** Exports Harp's CA certificate as PEM into the folder. */
    static Path exportCa(HarpServer harp, Path dir) throws IOException {
        Path pem = dir.resolve("harp-ca.pem");
        harp.certificateAuthority().exportPem(pem);
        return pem;
    }

    /** The result of an external command. */
    record Run(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            String tail = stderr.length() > 3000 ? "..." + stderr.substring(stderr.length() - 3000) : stderr;
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr (end)\n" + tail;
        }
    }

    /** Runs a command with a bound; the process (and its children) is destroyed if it overruns. */
    static Run run(List<String> command, Duration limit, Path workDir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // no proxy settings of the machine may leak into the tools
        for (String v : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
                "no_proxy", "NO_PROXY")) {
            pb.environment().remove(v);
        }
        Process p = pb.start();
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command.get(0) + " did not finish within " + limit + ":\n"
                        + Files.readString(out) + "\n" + Files.readString(err));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Opens a socket to Harp and sends CONNECT; returns the socket positioned after the 200 response head. */
    static Socket connect(HarpServer harp, String authority, String httpVersion) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", harp.port()), (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT " + authority + " " + httpVersion + "\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(s.getInputStream());
            if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200")) {
                throw new IOException("CONNECT " + authority + " answered: " + head);
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * A whole HTTPS GET done by hand: CONNECT, a strict JSSE handshake (HTTPS endpoint identification, so the leaf
     * must name {@code host}), one request with {@code Connection: close}; returns the raw response.
     */
    static String getThroughTunnel(HarpServer harp, SSLContext trust, String host, int port, String path) throws IOException {
        String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        try (Socket tunnel = connect(harp, authority, "HTTP/1.1");
             SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(tunnel, host, port, true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            OutputStream out = tls.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Asserts that the peer ends the connection (a close, or a reset when it dropped unread bytes) before the
     * socket's read timeout, sending nothing first.
     */
    static void assertClosedByPeer(Socket s) throws IOException {
        int first;
        try {
            first = s.getInputStream().read();
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the connection was still open after " + s.getSoTimeout() + " ms", e);
        } catch (java.net.SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return;
            }
            throw e;
        }
        if (first != -1) {
            throw new AssertionError("expected the connection to end, but read byte " + first);
        }
    }

    /** A real ClientHello for localhost, as a JSSE client would send it. */
    static byte[] clientHello() throws IOException {
        try {
            SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
            engine.setUseClientMode(true);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            byte[] hello = new byte[out.remaining()];
            out.get(hello);
            return hello;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Reads a response head up to the blank line, byte by byte (so nothing after it is consumed). */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
