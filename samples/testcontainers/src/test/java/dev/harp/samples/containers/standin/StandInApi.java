package dev.harp.samples.containers.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for {@code http://api.example.test}, used only to (re-)record this sample's fixture: with
 * {@code -Dharp.mode=record} it listens on 127.0.0.1:80 while the tests run (the {@code record-against-stand-in}
 * Maven profile maps api.example.test to 127.0.0.1 for Harp, which runs in the test JVM). In any other mode it does
 * nothing. A project recording a real API needs none of this.
 */
public final class StandInApi implements LauncherSessionListener {
    private HttpServer server;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"record".equalsIgnoreCase(System.getProperty("harp.mode"))) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("stand-in for api.example.test cannot listen on 127.0.0.1:80 (needs root or "
                    + "CAP_NET_BIND_SERVICE): " + e.getMessage(), e);
        }
        server.createContext("/", StandInApi::handle);
        server.start();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        boolean status = exchange.getRequestURI().getPath().equals("/v1/status");
        byte[] body = (status ? "{\"status\":\"operational\",\"version\":\"2.3.1\",\"region\":\"eu-west\"}"
                : "{\"error\":\"no such endpoint\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status ? 200 : 404, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
