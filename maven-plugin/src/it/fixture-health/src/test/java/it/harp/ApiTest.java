package it.harp;

import dev.harp.Mode;
import dev.harp.junit.Harp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each test replays its own fixture and leaves one recorded entry unused (the .../archived and .../legacy ones). */
@Harp(mode = Mode.REPLAY)
class ApiTest {

    private static String get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://api.example.test" + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    @Test
    void orders() throws Exception {
        assertEquals("{\"orders\":[1,2]}", get("/orders"));
    }

    @Test
    void users() throws Exception {
        assertEquals("{\"users\":[\"ada\"]}", get("/users"));
    }
}
