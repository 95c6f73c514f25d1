package dev.harp.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's own) with the routes the integration tests need.
 * Counts requests and connections so tests can prove what reached it.
 */
public final class TestUpstream implements AutoCloseable {
    /** 1,024 bytes covering every byte value. */
    public static final byte[] BINARY = binary();
    /** The Content-Length {@code HEAD /head-length} announces. */
    public static final int HEAD_LENGTH = 78258;
    /** {@code /page}: an HTML page whose script fetches {@code /json} and shows it. */
    public static final String PAGE = "<!doctype html><html><head><title>harp page</title></head><body>"
            + "<pre id=\"out\">loading</pre><script>fetch('/json').then(r => r.json())"
            + ".then(j => { document.getElementById('out').textContent = j.name + ' ' + j.unicode; })"
            + ".catch(e => { document.getElementById('out').textContent = 'failed ' + e; });</script></body></html>";

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();

    private TestUpstream(HttpServer server) {
        this.server = server;
    }

    /** Starts on an ephemeral port. */
    public static TestUpstream start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TestUpstream up = new TestUpstream(s);
        s.createContext("/", up::handle);
        s.setExecutor(up.pool);
        s.start();
        return up;
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} followed by the path. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Requests served so far. */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            byte[] requestBody = ex.getRequestBody().readAllBytes();
            switch (path) {
                case "/hello" -> send(ex, 200, "text/plain; charset=utf-8", "hello harp\n".getBytes(StandardCharsets.UTF_8));
                case "/json" -> send(ex, 200, "application/json", "{\"name\":\"harp\",\"unicode\":\"żółw 🐢\"}".getBytes(StandardCharsets.UTF_8));
                case "/bytes" -> send(ex, 200, "application/octet-stream", BINARY);
                case "/gzip" -> {
                    ex.getResponseHeaders().add("Content-Encoding", "gzip");
                    send(ex, 200, "text/plain", gzip("compressed hello ".repeat(40)));
                }
                case "/echo" -> {
                    ex.getResponseHeaders().add("X-Echo-Method", ex.getRequestMethod());
                    String ct = ex.getRequestHeaders().getFirst("Content-Type");
                    send(ex, 200, ct == null ? "application/octet-stream" : ct, requestBody);
                }
                case "/headers" -> {
                    Map<String, List<String>> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    seen.putAll(ex.getRequestHeaders());
                    send(ex, 200, "text/plain", String.join("\n", seen.keySet()).toLowerCase().getBytes(StandardCharsets.UTF_8));
                }
                case "/cookies" -> {
                    for (int i = 1; i <= 3; i++) {
                        ex.getResponseHeaders().add("Set-Cookie", "c" + i + "=v" + i + "; Path=/");
                    }
                    send(ex, 200, "text/plain", "cookies\n".getBytes(StandardCharsets.UTF_8));
                }
                case "/count" -> send(ex, 200, "text/plain", ("count=" + counter.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8));
                case "/query" -> send(ex, 200, "text/plain", ("query=" + query + "\n").getBytes(StandardCharsets.UTF_8));
                case "/redirect" -> {
                    ex.getResponseHeaders().add("Location", "/hello");
                    send(ex, 302, "text/plain", new byte[0]);
                }
                case "/empty" -> {
                    ex.sendResponseHeaders(204, -1);
                }
                case "/br" -> {
                    ex.getResponseHeaders().add("Content-Encoding", "br");
                    send(ex, 200, "text/plain; charset=utf-8", resource("/bodies/hello.txt.br"));
                }
                case "/head-length" -> {
                    // a HEAD answer announcing the length of the body a GET would get
                    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    if ("HEAD".equals(ex.getRequestMethod())) {
                        ex.getResponseHeaders().add("Content-Length", Integer.toString(HEAD_LENGTH));
                        ex.sendResponseHeaders(200, -1);
                    } else {
                        send(ex, 200, "application/octet-stream", new byte[HEAD_LENGTH]);
                    }
                }
                case "/not-modified" -> {
                    ex.getResponseHeaders().add("ETag", "\"v1\"");
                    ex.getResponseHeaders().add("Cache-Control", "max-age=60");
                    ex.sendResponseHeaders(304, -1);
                }
                case "/page" -> send(ex, 200, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8));
                case "/large" -> streamLarge(ex, Long.parseLong(query == null ? "1048576" : query.replace("size=", "")));
                case "/chunked" -> {
                    ex.getResponseHeaders().add("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < 5; i++) {
                            out.write(("chunk " + i + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                }
                default -> {
                    if (path.startsWith("/status/")) {
                        int code = Integer.parseInt(path.substring("/status/".length()));
                        send(ex, code, "text/plain", ("status " + code + "\n").getBytes(StandardCharsets.UTF_8));
                    } else {
                        send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    private static void streamLarge(HttpExchange ex, long size) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, size);
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31);
        }
        try (OutputStream out = ex.getResponseBody()) {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", contentType);
        boolean noBody = "HEAD".equals(ex.getRequestMethod()) || status == 204 || status == 304;
        ex.sendResponseHeaders(status, noBody ? -1 : body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A test resource's bytes, e.g. {@code /bodies/hello.txt.br}. */
    public static byte[] resource(String name) throws IOException {
        try (InputStream in = TestUpstream.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Gzip-compresses text. */
    public static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] binary() {
        byte[] b = new byte[1024];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** Reads a stream fully (helper for tests). */
    public static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
