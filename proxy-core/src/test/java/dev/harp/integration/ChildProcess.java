package dev.harp.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a child process to its end within a bound, its output captured in files (no pipe can fill up). */
final class ChildProcess {
    /** What a finished child left behind. */
    record Result(int exit, String stdout, String stderr) {
        String both() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private ChildProcess() {
    }

    /**
     * @param env variables to set (a null value removes the variable)
     * @throws IOException when the command cannot start or does not end within {@code timeout} (it is then killed)
     */
    static Result run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) throws IOException {
        Path out = Files.createTempFile("harp-child", ".out");
        Path err = Files.createTempFile("harp-child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            env.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IOException(command + " did not end within " + timeout + "; output so far:\n"
                            + Files.readString(out) + "\n" + Files.readString(err));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Whether {@code command} runs and exits 0 within a few seconds. */
    static boolean succeeds(List<String> command, Map<String, String> env) {
        try {
            return run(command, Path.of("").toAbsolutePath(), env, Duration.ofSeconds(20)).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
