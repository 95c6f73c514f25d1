package dev.harp.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The CLI ({@code dev.harp.cli.Main}) as a child process that keeps running until stopped with SIGTERM. */
final class CliProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final Process process;
    private final StringBuffer output;
    private final String proxy;
    private final CompletableFuture<Void> drained;

    private CliProcess(Process process, StringBuffer output, String proxy, CompletableFuture<Void> drained) {
        this.process = process;
        this.output = output;
        this.proxy = proxy;
        this.drained = drained;
    }

    /** The command line that starts the CLI from the test class path with its CA in {@code caDir}. */
    static List<String> command(Path caDir, String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, "dev.harp.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--ca-dir", caDir.toString()));
        return cmd;
    }

    /**
     * Starts {@code command} in {@code workDir} and waits (bounded) for its {@code listening on} line.
     *
     * @param environment changes to the machine's environment: a null value removes the variable
     */
    static CliProcess start(Path workDir, List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        environment.forEach((name, value) -> {
            if (value == null) {
                pb.environment().remove(name);
            } else {
                pb.environment().put(name, value);
            }
        });
        Process p = pb.start();
        StringBuffer out = new StringBuffer();
        CompletableFuture<String> listening = new CompletableFuture<>();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete("http://" + m.group(1) + ":" + m.group(2));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            listening.completeExceptionally(new IllegalStateException("harp ended without listening:\n" + out));
        });
        try {
            String proxy = listening.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            return new CliProcess(p, out, proxy, drained);
        } catch (Exception e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("harp did not print 'listening on': " + out, e);
        }
    }

    /** The proxy's URL, {@code http://HOST:PORT}, as its {@code listening on} line gave it. */
    String proxy() {
        return proxy;
    }

    /** The process's id (the launcher's, which became java by {@code exec}). */
    long pid() {
        return process.pid();
    }

    int port() {
        return URI.create(proxy).getPort();
    }

    /** SIGTERM, then the exit status; the contract allows 15 s. */
    int stop() throws Exception {
        // Process.destroy() would also close our end of its output, losing what the shutdown prints
        assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits within 15 s of SIGTERM").isTrue();
        drained.get(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** Everything it printed (standard output and error) so far. */
    String output() {
        return output.toString();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
