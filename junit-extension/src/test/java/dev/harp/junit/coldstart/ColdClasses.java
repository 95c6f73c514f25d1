package dev.harp.junit.coldstart;

import dev.harp.Mode;
import dev.harp.junit.Harp;
import dev.harp.junit.testing.Scenario;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The test classes {@link ColdStartMain} runs for the benchmark's {@code junit-start} part: each sends one
 * {@code GET} for the 1 KiB body of the origin named by the system property {@value #ORIGIN}, with a JDK
 * {@link HttpClient} built in the test (so it takes the JVM's default proxy selector and TLS context). The
 * {@code HarpN} classes replay it through Harp (JVM wired, the benchmark records their fixtures first with
 * {@code -Dharp.mode=record}); the {@code PlainN} ones send it straight to the origin.
 */
final class ColdClasses {
    /** System property: the URL every class requests. */
    static final String ORIGIN = "harp.bench.origin";

    private ColdClasses() {
    }

    /** The one test every class has; {@link Scenario}: never run by Surefire, only by {@link ColdStartMain}. */
    @Scenario
    abstract static class Fetch {
        @Test
        void fetch() throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(URI.create(System.getProperty(ORIGIN))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertEquals(1024, response.body().length);
        }
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp1 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp2 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp3 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp4 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp5 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp6 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp7 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp8 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp9 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp10 extends Fetch {
    }

    @Harp(mode = Mode.REPLAY)
    static class Harp11 extends Fetch {
    }

    static class Plain1 extends Fetch {
    }

    static class Plain2 extends Fetch {
    }

    static class Plain3 extends Fetch {
    }

    static class Plain4 extends Fetch {
    }

    static class Plain5 extends Fetch {
    }

    static class Plain6 extends Fetch {
    }

    static class Plain7 extends Fetch {
    }

    static class Plain8 extends Fetch {
    }

    static class Plain9 extends Fetch {
    }

    static class Plain10 extends Fetch {
    }

    static class Plain11 extends Fetch {
    }
}
