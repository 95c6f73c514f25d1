package dev.harp.samples.releases;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The release service started as its own process ({@code java -jar target/release-service.jar 0}), its outgoing
 * calls sent through Harp: the JVM's standard proxy and trust properties, set from what {@code harp:start}
 * published and Failsafe passed on as system properties ({@code harp.proxyUrl}, {@code harp.trustStore},
 * {@code harp.trustStorePassword}). Its standard error goes to {@code target/release-service.log}.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Path LOG = Path.of("target", "release-service.log");

    private final Process process;
    private final URI url;

    private ServiceProcess(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** Starts the service and returns once it accepts requests (it prints its URL then), within 60 seconds. */
    static ServiceProcess start() throws IOException, InterruptedException {
        URI proxy = URI.create(required("harp.proxyUrl"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // what @{harp.argLine} gives a test JVM, for the service's JVM
                "-Dhttps.proxyHost=" + proxy.getHost(), "-Dhttps.proxyPort=" + proxy.getPort(),
                "-Dhttp.proxyHost=" + proxy.getHost(), "-Dhttp.proxyPort=" + proxy.getPort(),
                "-Djavax.net.ssl.trustStore=" + required("harp.trustStore"),
                "-Djavax.net.ssl.trustStorePassword=" + required("harp.trustStorePassword"),
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-jar", required("service.jar"), "0"));
        Process process = new ProcessBuilder(command).redirectError(LOG.toFile()).start();
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            line = null;
        }
        if (line == null || !line.startsWith("release-service listening on ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the release service did not start (printed " + line + "); "
                    + LOG.toAbsolutePath() + " says: " + Files.readString(LOG).strip());
        }
        return new ServiceProcess(process, URI.create(line.substring("release-service listening on ".length())));
    }

    /** @return the service's base URL, {@code http://127.0.0.1:PORT} */
    URI url() {
        return url;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " is not set: run the integration tests "
                    + "with `mvn verify`, so that harp:start publishes it and Failsafe passes it on");
        }
        return value;
    }
}
