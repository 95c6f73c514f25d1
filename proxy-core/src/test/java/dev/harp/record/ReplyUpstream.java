package dev.harp.record;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 whose every answer is chosen by the request: status 200 (or {@code X-Reply-Status}),
 * the request body echoed byte for byte with the request's {@code Content-Type} and {@code Content-Encoding} (or
 * {@code X-Reply-Type}), and each {@code X-Reply-Header: Name: value} as a response header. So a test states in one
 * request what the recorder sees going out and coming back.
 */
final class ReplyUpstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    private ReplyUpstream(HttpServer server) {
        this.server = server;
    }

    static ReplyUpstream start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ReplyUpstream up = new ReplyUpstream(s);
        s.setExecutor(up.executor);
        s.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> h = ex.getRequestHeaders();
            String type = ex.getRequestHeaders().getFirst("X-Reply-Type");
            if (type == null) {
                type = ex.getRequestHeaders().getFirst("Content-Type");
            }
            if (type != null) {
                ex.getResponseHeaders().add("Content-Type", type);
            }
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null) {
                ex.getResponseHeaders().add("Content-Encoding", encoding);
            }
            for (String spec : h.getOrDefault("X-Reply-Header", List.of())) {
                int colon = spec.indexOf(':');
                ex.getResponseHeaders().add(spec.substring(0, colon).trim(), spec.substring(colon + 1).trim());
            }
            String status = ex.getRequestHeaders().getFirst("X-Reply-Status");
            ex.sendResponseHeaders(status == null ? 200 : Integer.parseInt(status), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        s.start();
        return up;
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
