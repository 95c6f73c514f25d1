package dev.harp.integration;

import dev.harp.HarpServer;
import dev.harp.HarpConfig;
import dev.harp.Mode;
import dev.harp.tls.CertificateAuthority;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * What the replay integration tests share: Harp started with an injected (empty) environment so the machine's
 * {@code CI} and {@code HARP_MODE} never leak in, one in-memory CA, and a JDK HTTP client that uses Harp as its
 * proxy for {@code http://} and (CONNECT + TLS trusting Harp's CA) {@code https://} URLs.
 */
final class Proxied {
    /** One CA for every test: minting a CA key costs time. */
    static final CertificateAuthority CA = CertificateAuthority.inMemory();
    /** Bound on every request a test sends. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Proxied() {
    }

    /** A builder for Harp in {@code mode} on {@code har}, any free port, no environment, the shared CA. */
    static HarpConfig.Builder harp(Mode mode, Path har) {
        return HarpServer.builder()
                .mode(mode)
                .har(har)
                .port(0)
                .environment(Map.of())
                .systemProperties(Map.of())
                .certificateAuthority(CA)
                .upstreamConnectTimeout(Duration.ofSeconds(5))
                .upstreamResponseTimeout(Duration.ofSeconds(10));
    }

    /** A client that sends everything through {@code harp}, speaks HTTP/1.1, never follows redirects. */
    static HttpClient client(HarpServer harp) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(harp.address()))
                .sslContext(trusting(harp.certificateAuthority()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** An SSL context that trusts only {@code ca}. */
    static SSLContext trusting(CertificateAuthority ca) {
        return dev.harp.testing.TestHttpsUpstream.trustingOnly(ca.certificate());
    }

    static HttpResponse<byte[]> get(HttpClient client, String url, String... headers) {
        return send(client, "GET", url, null, headers);
    }

    /**
     * Sends one request and returns the response with its body as bytes.
     *
     * @param body    request body, or null for none
     * @param headers name, value, name, value...
     */
    static HttpResponse<byte[]> send(HttpClient client, String method, String url, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response read off the wire by {@link #raw}: every header line as sent, in order. */
    record RawResponse(String statusLine, List<String> headerLines, byte[] body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        List<String> values(String name) {
            List<String> out = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':', 1);
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    out.add(line.substring(colon + 1).trim());
                }
            }
            return out;
        }
    }

    /**
     * Sends {@code METHOD absoluteUrl HTTP/1.1} with {@code Connection: close} straight to Harp's socket and reads
     * everything it answers, so a test sees the exact header lines (the JDK client hides or refuses some).
     */
    static RawResponse raw(HarpServer harp, String method, String absoluteUrl, String... headerLines) throws IOException {
        URI uri = URI.create(absoluteUrl);
        StringBuilder head = new StringBuilder(method).append(' ').append(absoluteUrl).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getRawAuthority()).append("\r\n").append("Connection: close\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(harp.address(), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            byte[] all = socket.getInputStream().readAllBytes();
            int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (end < 0) {
                throw new IOException("no complete response head: " + new String(all, StandardCharsets.ISO_8859_1));
            }
            String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            byte[] body = Arrays.copyOfRange(all, end + 4, all.length);
            return new RawResponse(lines[0], List.of(Arrays.copyOfRange(lines, 1, lines.length)), body);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static byte[] gunzip(byte[] gzip) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
