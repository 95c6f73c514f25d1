package it.harp;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

class BackstopIT {

    @Test
    void recordsThenFails() throws Exception {
        HttpServer service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/backstop", exchange -> {
            byte[] body = "recorded before the failure".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:"
                    + service.getAddress().getPort() + "/backstop").openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(10_000);
            assertEquals(200, connection.getResponseCode());
            try (InputStream in = connection.getInputStream()) {
                assertEquals("recorded before the failure", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            service.stop(0);
        }
        fail("this test fails on purpose: the build must end before harp:stop");
    }
}
