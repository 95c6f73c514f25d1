package it.harp;

import org.junit.jupiter.api.Test;

import java.net.HttpURLConnection;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OrdersIT {

    @Test
    void ordersWithAnotherTimestamp() throws Exception {
        // Recorded with ts=100; the live request carries another timestamp: a miss. The test fails on the status, and
        // harp:stop fails the build with the reason, before Failsafe's verify reports the test.
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:1/orders?ts=123").openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(10_000);
        assertEquals(200, connection.getResponseCode());
    }
}
