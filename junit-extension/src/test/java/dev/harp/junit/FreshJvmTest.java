package dev.harp.junit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first {@code @Harp} class in a fresh JVM, as a test run starts it (issue 17): a class replaying plain HTTP makes
 * no CA, so it loads none of BouncyCastle (whose signed jars cost a cold JVM hundreds of milliseconds of CPU to open
 * and verify). Runs {@code dev.harp.junit.coldstart.ColdStartMain} (the benchmark's test JVM) twice on this test
 * classpath: once recording the class's fixture from a loopback origin, once replaying it with class loading logged.
 */
class FreshJvmTest {
    private static final String CLASS = "dev.harp.junit.coldstart.ColdClasses$Harp1";
    private static HttpServer origin;

    @TempDir
    Path dir;

    @BeforeAll
    static void startOrigin() throws IOException {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = new byte[1024];
        origin.createContext("/1k", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        origin.start();
    }

    @AfterAll
    static void stopOrigin() {
        origin.stop(0);
    }

    @Test
    void replayingPlainHttpLoadsNoBouncyCastle() throws Exception {
        String url = "http://127.0.0.1:" + origin.getAddress().getPort() + "/1k";
        run(List.of("-Dharp.mode=record", "-Dharp.bench.origin=" + url), "record");
        assertThat(dir.resolve("src/test/resources/harp/ColdClasses_Harp1/fetch.har")).isRegularFile();

        Path classes = dir.resolve("classes.log");
        run(List.of("-Dharp.bench.origin=" + url, "-Xlog:class+load=info:file=" + classes), "replay");
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).as("the extension ran").anyMatch(l -> l.contains(" dev.harp.junit.HarpExtension "));
        assertThat(loaded).as("the proxy ran").anyMatch(l -> l.contains(" dev.harp.HarpServer "));
        assertThat(loaded).as("classes of BouncyCastle loaded by a plain-HTTP replay")
                .noneMatch(l -> l.contains("org.bouncycastle."));
    }

    private void run(List<String> options, String what) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.harp.junit.coldstart.ColdStartMain",
                CLASS));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(what + ".out").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HARP_") || k.equals("CI")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(what + " JVM finished within 60 s").isTrue();
            assertThat(p.exitValue()).as(what + " JVM's exit (its output: %s)", Files.readString(dir.resolve(what + ".out")))
                    .isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
