package dev.harp.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    static {
        TestRoutes.noNagle();
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final TestRoutes routes = new TestRoutes();

    private TestUpstream(HttpServer server) {
        this.server = server;
    }

    /** Starts on an ephemeral port. */
    public static TestUpstream start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TestUpstream up = new TestUpstream(s);
        s.createContext("/", up.routes);
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
        return routes.requests();
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
