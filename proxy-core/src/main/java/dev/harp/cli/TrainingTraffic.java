package dev.harp.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.ClientTls;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The traffic of the {@link CdsTraining}: a plain HTTP and an HTTPS upstream on 127.0.0.1 (the HTTPS one, reached as
 * {@code localhost}, with a certificate from a throw-away in-memory CA that Harp trusts through
 * {@code --upstream-trust}), and the requests sent
 * through Harp in each mode, each checked, so that a training that did not exercise what it should fails.
 */
final class TrainingTraffic implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String JSON = "{\"user\":\"ada\",\"password\":\"not-a-secret\",\"items\":[1,2,3]}";

    private final HttpServer plain;
    private final HttpsServer tls;
    private final Path upstreamCaPem;

    private TrainingTraffic(HttpServer plain, HttpsServer tls, Path upstreamCaPem) {
        this.plain = plain;
        this.tls = tls;
        this.upstreamCaPem = upstreamCaPem;
    }

    /** Starts both upstreams on ephemeral loopback ports; writes the HTTPS one's CA into {@code work}. */
    static TrainingTraffic start(Path work) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        CertificateAuthority ca = CertificateAuthority.inMemory();
        Path pem = work.resolve("upstream-ca.pem");
        ca.exportPem(pem);
        HttpServer plain = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(MitmTls.serverContext(new LeafCertificates(ca), "localhost")));
        for (HttpServer s : List.of(plain, tls)) {
            s.createContext("/", TrainingTraffic::answer);
            s.start();
        }
        return new TrainingTraffic(plain, tls, pem);
    }

    /** The PEM of the HTTPS upstream's CA, for {@code --upstream-trust}. */
    Path upstreamCaPem() {
        return upstreamCaPem;
    }

    /**
     * Sends the mode's requests through the proxy on {@code proxyPort} and checks the answers.
     *
     * @param harpCaPem Harp's CA certificate, trusted for the intercepted HTTPS requests
     */
    void drive(String mode, int proxyPort, Path harpCaPem) throws Exception {
        X509Certificate harpCa;
        try (InputStream in = Files.newInputStream(harpCaPem)) {
            harpCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        ProxySelector proxy = ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort));
        HttpClient h1 = client(proxy, harpCa, HttpClient.Version.HTTP_1_1);
        HttpClient h2 = client(proxy, harpCa, HttpClient.Version.HTTP_2);
        List<String> bases = List.of("http://127.0.0.1:" + plain.getAddress().getPort(),
                "https://localhost:" + tls.getAddress().getPort());
        for (String base : bases) {
            expect(h1, get(base + "/hello"), 200, "hello");
            expect(h1, HttpRequest.newBuilder(URI.create(base + "/echo")).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON)).build(), 200, "ada");
            expect(h1, get(base + "/gzip"), 200, ""); // gzip passes through as sent: the HAR keeps it decoded
        }
        expect(h2, get(bases.get(1) + "/hello"), 200, "hello");
        if (mode.equals("replay")) {
            expect(h1, get(bases.get(0) + "/never-recorded"), 502, "");
            expect(h2, get(bases.get(1) + "/never-recorded"), 502, "");
        } else if (mode.equals("auto")) {
            expect(h2, get(bases.get(1) + "/hello?recorded=later"), 200, "hello");
        }
    }

    private static HttpClient client(ProxySelector proxy, X509Certificate harpCa, HttpClient.Version version) {
        return HttpClient.newBuilder().proxy(proxy).sslContext(ClientTls.trusting(harpCa).sslContext())
                .version(version).connectTimeout(TIMEOUT).build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    }

    private static void expect(HttpClient client, HttpRequest request, int status, String bodyPart) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status || !response.body().contains(bodyPart)) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + " (expected " + status + "): " + response.body().lines().findFirst().orElse(""));
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            if (path.equals("/echo")) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                body = request;
            } else if (path.equals("/gzip")) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                body = gzip("{\"text\":\"compressed " + "x".repeat(200) + "\"}");
            } else {
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                body = "hello from the training upstream\n".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        plain.stop(0);
        tls.stop(0);
    }
}
