package dev.harp.samples.releases;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system under test: a small HTTP service answering {@code GET /latest/OWNER/REPO} with the latest release
 * of a repository, which it asks the outside releases API for. Run it with
 * {@code java -jar release-service.jar [PORT]} (0: any free port); once it accepts requests it prints
 * {@code release-service listening on http://127.0.0.1:PORT}. {@code -Dreleases.api=URL} names another API.
 */
public final class ReleaseService {
    private static final Pattern PATH = Pattern.compile("/latest/([A-Za-z0-9._-]{1,100})/([A-Za-z0-9._-]{1,100})");

    private ReleaseService() {
    }

    /** @param args the port to listen on, 8080 by default */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        ReleasesApi releases = new ReleasesApi(URI.create(System.getProperty("releases.api", "https://api.example.test")));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/latest/", exchange -> handle(exchange, releases));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("release-service listening on http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void handle(HttpExchange exchange, ReleasesApi releases) throws IOException {
        Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
        if (!"GET".equals(exchange.getRequestMethod()) || !path.matches()) {
            respond(exchange, 404, "usage: GET /latest/OWNER/REPO");
            return;
        }
        String name = path.group(1) + "/" + path.group(2);
        try {
            Optional<Release> latest = releases.latest(path.group(1), path.group(2));
            if (latest.isPresent()) {
                respond(exchange, 200, name + " " + latest.get().tag() + " (published " + latest.get().publishedAt() + ")");
            } else {
                respond(exchange, 404, name + " has no release");
            }
        } catch (IOException e) {
            System.err.println("release-service: " + e.getMessage());
            respond(exchange, 502, "the releases API failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, "shutting down");
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
