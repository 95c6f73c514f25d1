package dev.harp.samples.rates.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;
import dev.harp.tls.UpstreamTls;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in for {@code https://api.example.test}, used only to (re-)record this sample's fixtures: with
 * {@code -Dharp.mode=record} it listens on 127.0.0.1:443 while the tests run (the {@code record-against-stand-in}
 * Maven profile maps api.example.test to 127.0.0.1), and Harp's upstream connections trust its throw-away CA.
 * In any other mode it does nothing. A project recording a real API needs none of this.
 */
public final class StandInApi implements LauncherSessionListener {
    /** The host the fixtures name. */
    public static final String HOST = "api.example.test";
    private static final Map<String, String> RATES = Map.of(
            "EUR", "{\"USD\":1.0842,\"GBP\":0.8571,\"JPY\":162.35}",
            "USD", "{\"EUR\":0.9223,\"GBP\":0.7905,\"JPY\":149.74}");

    private HttpsServer server;
    private SSLContext previousDefault;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"record".equalsIgnoreCase(System.getProperty("harp.mode"))) {
            return;
        }
        try {
            CertificateAuthority ca = CertificateAuthority.inMemory();
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 443), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(MitmTls.serverContext(new LeafCertificates(ca), HOST)));
            server.createContext("/", StandInApi::handle);
            server.start();
            // Harp forwards with the JVM's default TLS context: let it trust the stand-in's CA too, while recording
            previousDefault = SSLContext.getDefault();
            SSLContext trusting = SSLContext.getInstance("TLS");
            trusting.init(null, new TrustManager[] {UpstreamTls.trustingAlso(ca.certificate())}, null);
            SSLContext.setDefault(trusting);
        } catch (IOException e) {
            throw new UncheckedIOException("stand-in for " + HOST + " cannot listen on 127.0.0.1:443 (needs root or "
                    + "CAP_NET_BIND_SERVICE): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stand-in for " + HOST + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (server != null) {
            server.stop(0);
            SSLContext.setDefault(previousDefault);
            server = null;
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String key = exchange.getRequestHeaders().getFirst("X-Api-Key");
        String base = query.getOrDefault("base", "");
        if (key == null || key.length() < 10) {
            respond(exchange, 401, "{\"error\":\"missing or malformed X-Api-Key\"}");
        } else if (!exchange.getRequestURI().getPath().equals("/v1/rates")) {
            respond(exchange, 404, "{\"error\":\"no such endpoint\"}");
        } else if (!RATES.containsKey(base)) {
            respond(exchange, 422, "{\"error\":\"unsupported base currency\",\"base\":\"" + base + "\"}");
        } else {
            respond(exchange, 200, "{\"base\":\"" + base + "\",\"date\":\"2026-12-07\",\"rates\":" + RATES.get(base) + "}");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
