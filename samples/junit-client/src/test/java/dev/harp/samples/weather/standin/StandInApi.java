package dev.harp.samples.weather.standin;

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
import java.time.LocalDate;
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
    private static final Map<String, double[]> CITIES = Map.of(
            "Paris", new double[] {11.5, 7.0, 14.0}, "Tokyo", new double[] {16.0, 12.5, 19.0},
            "Lima", new double[] {21.0, 18.0, 24.5}, "Oslo", new double[] {-2.5, -6.0, 0.5});
    private static final String[] CONDITIONS = {"cloudy", "sunny", "rain", "snow"};

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
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        double[] city = CITIES.get(query.getOrDefault("city", ""));
        String path = exchange.getRequestURI().getPath();
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() < 12) {
            respond(exchange, 401, "{\"error\":\"missing or malformed bearer token\"}");
        } else if (!query.containsKey("_ts")) {
            respond(exchange, 400, "{\"error\":\"the _ts cache-buster is required\"}");
        } else if (city == null) {
            respond(exchange, 404, "{\"error\":\"unknown city\",\"city\":\"" + query.get("city") + "\"}");
        } else if (path.equals("/v1/current")) {
            respond(exchange, 200, String.format("{\"city\":\"%s\",\"temperatureC\":%s,\"conditions\":\"%s\",\"observedAt\":\"%s\"}",
                    query.get("city"), city[0], conditions(city[0]), "2026-12-07T06:00:00Z"));
        } else if (path.equals("/v1/forecast")) {
            int days = Integer.parseInt(query.getOrDefault("days", "1"));
            StringBuilder body = new StringBuilder("[");
            for (int d = 0; d < days; d++) {
                body.append(d == 0 ? "" : ",").append(String.format("{\"date\":\"%s\",\"minC\":%s,\"maxC\":%s,\"conditions\":\"%s\"}",
                        LocalDate.of(2026, 12, 7).plusDays(d), city[1] + d, city[2] + d, conditions(city[1] + d)));
            }
            respond(exchange, 200, body.append(']').toString());
        } else {
            respond(exchange, 404, "{\"error\":\"no such endpoint\"}");
        }
    }

    private static String conditions(double temperature) {
        return CONDITIONS[temperature < 0 ? 3 : temperature < 10 ? 2 : temperature < 20 ? 0 : 1];
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
