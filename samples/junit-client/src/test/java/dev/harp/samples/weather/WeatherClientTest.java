package dev.harp.samples.weather;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.harp.junit.Harp;
import dev.harp.samples.weather.WeatherClient.DailyForecast;
import dev.harp.samples.weather.WeatherClient.WeatherApiException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each test gets its own fixture, {@code src/test/resources/harp/WeatherClientTest/<test>.har}: recorded on the
 * first run (or with {@code -Dharp.mode=record}), replayed offline afterwards and always on CI.
 * The client adds a fresh {@code _ts} to every request, so replay must ignore it.
 */
@Harp(ignoreQueryParams = "_ts")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // fixturesHoldNoToken last: it reads what the others recorded
class WeatherClientTest {
    static final URI API = URI.create("https://api.example.test");
    /** Only needed where the API is reached (recording); replay matches no header, so any value works there. */
    static final String TOKEN = System.getenv().getOrDefault("WEATHER_API_TOKEN", "sample-token-7f3a9c2e51");

    // Built per test, after @Harp pointed the JVM's default proxy and TLS trust at Harp.
    final WeatherClient weather = new WeatherClient(HttpClient.newHttpClient(), API, TOKEN);

    @Test
    void currentWeather() {
        WeatherClient.Weather paris = weather.current("Paris");

        assertThat(paris.city()).isEqualTo("Paris");
        assertThat(paris.temperatureC()).isBetween(-30.0, 45.0);
        assertThat(paris.conditions()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Tokyo", "Lima", "Oslo"})
    void currentWeatherIn(String city) {
        assertThat(weather.current(city).city()).isEqualTo(city);
    }

    @Test
    void forecastHasOneEntryPerDay() {
        List<DailyForecast> days = weather.forecast("Paris", 3);

        assertThat(days).hasSize(3);
        assertThat(days).allSatisfy(day -> assertThat(day.minC()).isLessThanOrEqualTo(day.maxC()));
    }

    @Test
    void unknownCityIsAnError() {
        assertThatThrownBy(() -> weather.current("Atlantis"))
                .isInstanceOfSatisfying(WeatherApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    /** The committed fixtures must not leak the token: Harp redacts Authorization when recording. */
    @Test
    @Order(Integer.MAX_VALUE)
    void fixturesHoldNoToken() throws IOException {
        Path fixtures = Path.of("src/test/resources/harp/WeatherClientTest");
        List<Path> hars;
        try (Stream<Path> files = Files.list(fixtures)) {
            hars = files.filter(f -> f.toString().endsWith(".har")).toList();
        }
        assertThat(hars).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (Path har : hars) {
            assertThat(Files.readString(har)).as(har.toString()).doesNotContain(TOKEN);
            for (JsonNode entry : json.readTree(har.toFile()).path("log").path("entries")) {
                for (JsonNode header : entry.path("request").path("headers")) {
                    if (header.path("name").asText().equalsIgnoreCase("Authorization")) {
                        assertThat(header.path("value").asText()).as(har.toString()).isEqualTo("REDACTED");
                    }
                }
            }
        }
    }
}
