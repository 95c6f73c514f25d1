package it.harp;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundTripIT {

    @Test
    void publishedPropertiesAreTheLiveProxy() throws Exception {
        int port = Integer.parseInt(System.getProperty("harp.port"));          // ${harp.port}
        assertEquals(port, Integer.getInteger("http.proxyPort"));              // @{harp.argLine}
        assertEquals(port, Integer.getInteger("https.proxyPort"));
        assertEquals("", System.getProperty("http.nonProxyHosts"));
        assertEquals("http://127.0.0.1:" + port, System.getProperty("harp.proxyUrl"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertTrue(socket.isConnected(), "Harp listens on the published port");
        }
        KeyStore trust = KeyStore.getInstance(System.getProperty("javax.net.ssl.trustStoreType"));
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("javax.net.ssl.trustStore")))) {
            trust.load(in, System.getProperty("javax.net.ssl.trustStorePassword").toCharArray());
        }
        assertNotNull(trust.getCertificate("harp-ca"), "the trust store holds Harp's CA");
        assertTrue(trust.size() > 1, "and the JDK's CAs");
    }

    @Test
    void greetingIsRecordedThenReplayed() throws Exception {
        int servicePort = Integer.getInteger("service.port");
        // -Dharp.mode reaches the test JVM as a system property (Failsafe passes the build's user properties).
        boolean record = "record".equals(System.getProperty("harp.mode"));
        HttpServer service = null;
        if (record) {
            service = HttpServer.create(new InetSocketAddress("127.0.0.1", servicePort), 0);
            service.createContext("/greeting", exchange -> {
                byte[] body = "hello from the service".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            service.start();
        }
        try {
            // HttpURLConnection follows http.proxyHost/Port; the empty http.nonProxyHosts sends 127.0.0.1 through too.
            HttpURLConnection connection = (HttpURLConnection)
                    new URL("http://127.0.0.1:" + servicePort + "/greeting?name=harp&ts=" + System.nanoTime())
                            .openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(10_000);
            assertEquals(200, connection.getResponseCode());
            try (InputStream in = connection.getInputStream()) {
                assertEquals("hello from the service", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            if (service != null) {
                service.stop(0);
            }
        }
    }
}
