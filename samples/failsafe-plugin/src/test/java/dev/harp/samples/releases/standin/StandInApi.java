package dev.harp.samples.releases.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stand-in for {@code https://api.example.test}, used only to (re-)record this sample's fixture: with
 * {@code -Dharp.mode=record} it listens on 127.0.0.1:443 while the integration tests run, with a certificate from
 * a throw-away CA. Harp, in Maven's JVM, reaches it because the record command gives Maven's JVM a hosts file
 * ({@code MAVEN_OPTS=-Djdk.net.hosts.file=src/test/stand-in/hosts}) and {@code -Dharp.insecureUpstream=true}
 * (see README.md). In any other mode it does nothing. A project recording a real API needs none of this.
 */
public final class StandInApi implements LauncherSessionListener {
    private static final String HOST = "api.example.test";
    private static final Map<String, String> LATEST = Map.of(
            "/v1/repos/acme/widgets/releases/latest", "{\"tag\":\"v2.4.1\",\"name\":\"Widgets 2.4.1\",\"publishedAt\":\"2026-11-30\"}",
            "/v1/repos/acme/gadgets/releases/latest", "{\"tag\":\"v0.9.0\",\"name\":\"Gadgets 0.9\",\"publishedAt\":\"2026-10-02\"}");

    private HttpsServer server;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"record".equalsIgnoreCase(System.getProperty("harp.mode"))) {
            return;
        }
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 443), 0);
            LeafCertificates certificates = new LeafCertificates(CertificateAuthority.inMemory());
            server.setHttpsConfigurator(new HttpsConfigurator(MitmTls.serverContext(certificates, HOST)));
            server.createContext("/", StandInApi::handle);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("stand-in for " + HOST + " cannot listen on 127.0.0.1:443 (needs root or "
                    + "CAP_NET_BIND_SERVICE): " + e.getMessage(), e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String release = LATEST.get(exchange.getRequestURI().getPath());
        byte[] body = (release != null ? release : "{\"error\":\"not found\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(release != null ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
