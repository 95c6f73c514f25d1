package dev.harp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Harp CLI child of the {@link CdsTraining}: its output collected, every wait bounded by the training's deadline. */
final class TrainingChild implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on \\S+:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Void> drained;
    private final Instant deadline;

    private TrainingChild(Process process, Instant deadline) {
        this.process = process;
        this.deadline = deadline;
        this.drained = CompletableFuture.runAsync(this::drain);
    }

    /** Starts the command and waits for its {@code listening on} line. */
    static TrainingChild start(List<String> command, Map<String, String> env, Path cwd, Instant deadline)
            throws Exception {
        TrainingChild child = run(command, env, cwd, deadline);
        try {
            child.port.get(remaining(deadline), TimeUnit.MILLISECONDS);
            return child;
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            child.close();
            throw new IOException("Harp did not print 'listening on'" + child.describeOutput());
        } catch (InterruptedException e) {
            child.close();
            throw e;
        }
    }

    /** Starts the command. */
    static TrainingChild run(List<String> command, Map<String, String> env, Path cwd, Instant deadline)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().clear();
        pb.environment().putAll(env);
        return new TrainingChild(pb.start(), deadline);
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        port.completeExceptionally(new IOException("ended"));
    }

    /** The port of the {@code listening on} line. */
    int proxyPort() {
        return port.join();
    }

    /** SIGTERM, as a user's Ctrl-C, and the bounded wait for the exit (the JVM's 143, 128 + SIGTERM, or 0). */
    void stop() throws Exception {
        process.toHandle().destroy();
        awaitExit(143, 0);
    }

    /** Waits (bounded) for the exit and checks its status is one of those expected. */
    void awaitExit(int... expected) throws Exception {
        if (!process.waitFor(remaining(deadline), TimeUnit.MILLISECONDS)) {
            throw new IOException("Harp did not exit in time" + describeOutput());
        }
        try {
            drained.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // a grandchild holding the pipe: the status is what counts
        }
        if (java.util.Arrays.stream(expected).noneMatch(e -> e == process.exitValue())) {
            throw new IOException("Harp exited " + process.exitValue() + describeOutput());
        }
    }

    private String describeOutput() {
        return "; its output: " + tail(output.toString());
    }

    /** The last lines of a process's output, for a one-paragraph failure message. */
    static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }

    private static long remaining(Instant deadline) {
        return Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
