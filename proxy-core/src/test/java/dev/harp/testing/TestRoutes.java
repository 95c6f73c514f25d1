package dev.harp.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The routes shared by {@link TestUpstream} (HTTP) and {@link TestHttpsUpstream} (HTTPS): /hello, /json, /bytes,
 * /gzip, /echo, /headers, /cookies, /count, /query, /redirect, /empty, /status/N, /large?size=N, /chunked.
 */
final class TestRoutes implements HttpHandler {
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();
    private int active;

    /**
     * The JDK server writes a response head and body in separate writes and leaves Nagle's algorithm on, so with
     * delayed ACKs every response stalls ~40 ms; turn it off before the first server is created.
     */
    static void noNagle() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Requests served so far. */
    int requests() {
        return requests.get();
    }

    /** Waits until no request is being handled (an aborted one included); false if that took longer than the bound. */
    synchronized boolean awaitIdle(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void started() {
        active++;
    }

    private synchronized void ended() {
        active--;
        notifyAll();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        started();
        try {
            route(ex);
        } finally {
            ended();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            byte[] requestBody = ex.getRequestBody().readAllBytes();
            switch (path) {
                case "/hello" -> send(ex, 200, "text/plain; charset=utf-8", "hello harp\n".getBytes(StandardCharsets.UTF_8));
                case "/json" -> send(ex, 200, "application/json", "{\"name\":\"harp\",\"unicode\":\"żółw 🐢\"}".getBytes(StandardCharsets.UTF_8));
                case "/bytes" -> send(ex, 200, "application/octet-stream", TestUpstream.BINARY);
                case "/gzip" -> {
                    ex.getResponseHeaders().add("Content-Encoding", "gzip");
                    send(ex, 200, "text/plain", TestUpstream.gzip("compressed hello ".repeat(40)));
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
                    send(ex, 200, "text/plain; charset=utf-8", TestUpstream.resource("/bodies/hello.txt.br"));
                }
                case "/head-length" -> {
                    // a HEAD answer announcing the length of the body a GET would get
                    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    if ("HEAD".equals(ex.getRequestMethod())) {
                        ex.getResponseHeaders().add("Content-Length", Integer.toString(TestUpstream.HEAD_LENGTH));
                        ex.sendResponseHeaders(200, -1);
                    } else {
                        send(ex, 200, "application/octet-stream", new byte[TestUpstream.HEAD_LENGTH]);
                    }
                }
                case "/not-modified" -> {
                    ex.getResponseHeaders().add("ETag", "\"v1\"");
                    ex.getResponseHeaders().add("Cache-Control", "max-age=60");
                    ex.sendResponseHeaders(304, -1);
                }
                case "/page" -> send(ex, 200, "text/html; charset=utf-8", TestUpstream.PAGE.getBytes(StandardCharsets.UTF_8));
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
}
