package dev.harp.junit.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificate;
import dev.harp.tls.LeafCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local upstream on 127.0.0.1 and a free port: answers {@code upstream says: METHOD PATH?QUERY} (plus the request
 * body), as HTTP, or as HTTPS with a certificate from a stand-in "public" CA that the JDK does not trust.
 */
public final class TestUpstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final String scheme;

    private TestUpstream(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    /** @return a started plain-HTTP upstream */
    public static TestUpstream http() throws IOException {
        return new TestUpstream(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
    }

    /**
     * @param publicCa the CA that signs the upstream's certificate (for 127.0.0.1)
     * @return a started HTTPS upstream
     */
    public static TestUpstream https(CertificateAuthority publicCa) throws Exception {
        LeafCertificate leaf = new LeafCertificates(publicCa).leafFor("127.0.0.1");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("leaf", leaf.privateKey(), new char[0], leaf.chainArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new TestUpstream(server, "https");
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        URI uri = exchange.getRequestURI();
        String text = "upstream says: " + exchange.getRequestMethod() + " " + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + (body.isEmpty() ? "" : " " + body);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** @param pathAndQuery e.g. {@code /weather?day=1} @return the absolute URI */
    public URI uri(String pathAndQuery) {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    /** @return requests answered so far */
    public int requests() {
        return requests.get();
    }

    /** @param pathAndQuery the request target @return what this upstream answers to a GET of it */
    public static String expected(String pathAndQuery) {
        return "upstream says: GET " + pathAndQuery;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
