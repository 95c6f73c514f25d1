package dev.harp.junit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Small blocking HTTP helpers with bounded timeouts. */
public final class Http {
    /** Bound on every request made by tests. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Http() {
    }

    /** @param client a client @param uri the target @return the response */
    public static HttpResponse<String> get(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @param uri the target @return the body fetched with a {@code HttpClient.newHttpClient()} built now */
    public static String getWithNewDefaultClient(URI uri) {
        return get(HttpClient.newHttpClient(), uri).body();
    }

    /** @param uri the target @return status and body fetched with {@link HttpURLConnection} and JVM defaults */
    public static String getWithUrlConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            int status = connection.getResponseCode();
            InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
