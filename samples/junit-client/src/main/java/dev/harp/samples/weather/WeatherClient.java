package dev.harp.samples.weather;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A typed client for a small weather API ({@code GET /v1/current}, {@code GET /v1/forecast}): JSON over HTTPS,
 * a bearer token, and a cache-busting {@code _ts} query parameter the API's CDN asks for on every call.
 */
public final class WeatherClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http;
    private final URI baseUri;
    private final String apiToken;
    private final Clock clock;

    /**
     * @param http     the HTTP client to send with
     * @param baseUri  the API's base address, e.g. {@code https://api.example.test}
     * @param apiToken the bearer token
     */
    public WeatherClient(HttpClient http, URI baseUri, String apiToken) {
        this(http, baseUri, apiToken, Clock.systemUTC());
    }

    WeatherClient(HttpClient http, URI baseUri, String apiToken, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.apiToken = Objects.requireNonNull(apiToken, "apiToken");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the weather now in the city */
    public Weather current(String city) {
        return get("/v1/current?city=" + encode(city) + "&units=metric", Weather.class);
    }

    /** @return one forecast per day, starting today */
    public List<DailyForecast> forecast(String city, int days) {
        return List.of(get("/v1/forecast?city=" + encode(city) + "&days=" + days, DailyForecast[].class));
    }

    private <T> T get(String pathAndQuery, Class<T> type) {
        URI uri = baseUri.resolve(pathAndQuery + "&_ts=" + clock.millis());
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + apiToken)
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new WeatherApiException(response.statusCode(), response.body());
            }
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri.getPath() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + uri.getPath(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The weather now. */
    public record Weather(String city, double temperatureC, String conditions) {
    }

    /** One day's forecast; {@code date} is ISO-8601 ({@code 2026-12-07}). */
    public record DailyForecast(String date, double minC, double maxC, String conditions) {
    }

    /** The API answered with an error status. */
    public static final class WeatherApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        WeatherApiException(int status, String body) {
            super("weather API answered " + status + ": " + (body.length() > 200 ? body.substring(0, 200) : body));
            this.status = status;
        }

        /** @return the HTTP status */
        public int status() {
            return status;
        }
    }
}
