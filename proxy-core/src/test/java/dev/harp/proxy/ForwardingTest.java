package dev.harp.proxy;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingTest {
    static TestUpstream upstream;
    static HarpServer harp;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestUpstream.start();
        harp = HarpServer.builder().mode(Mode.PASSTHROUGH).environment(Map.of()).systemProperties(Map.of()).port(0).start();
        client = HttpClient.newBuilder().proxy(ProxySelector.of(harp.address())).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        harp.close();
        upstream.close();
    }

    @Test
    void forwardsAPlainGet() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(upstream.url("/hello"))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello harp\n");
    }
}
