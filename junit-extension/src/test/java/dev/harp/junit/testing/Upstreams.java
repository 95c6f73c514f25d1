package dev.harp.junit.testing;

/** Where scenario classes (run inside EngineTestKit) find the upstreams the outer test started. */
public final class Upstreams {
    private static volatile TestUpstream http;
    private static volatile TestUpstream https;

    private Upstreams() {
    }

    /** @param value the plain-HTTP upstream for the next scenarios */
    public static void http(TestUpstream value) {
        http = value;
    }

    /** @param value the HTTPS upstream for the next scenarios */
    public static void https(TestUpstream value) {
        https = value;
    }

    /** @return the plain-HTTP upstream */
    public static TestUpstream http() {
        return http;
    }

    /** @return the HTTPS upstream */
    public static TestUpstream https() {
        return https;
    }
}
