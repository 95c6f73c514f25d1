package dev.harp.resilience;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Harp's CLI in a child JVM (this test's class path), optionally under a descriptor limit ({@code ulimit -n}) and a
 * heap limit; its output is collected; its port comes from the {@code listening on HOST:PORT} line.
 */
final class ChildHarp implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]*:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile int port = -1;

    private ChildHarp(Process process) {
        this.process = process;
        Thread drain = new Thread(this::drain, "child-harp-output");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Starts the CLI with {@code args}.
     *
     * @param descriptorLimit {@code ulimit -n} for the child, or 0 for this JVM's own
     * @param jvmOptions      options for the child JVM ({@code -Xmx256m}, ...)
     */
    static ChildHarp start(int descriptorLimit, List<String> jvmOptions, List<String> args)
            throws IOException, InterruptedException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmOptions);
        java.addAll(List.of("-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.harp.cli.Main"));
        java.addAll(args);
        List<String> command;
        if (descriptorLimit > 0) {
            StringBuilder line = new StringBuilder("ulimit -n " + descriptorLimit + " && exec");
            for (String part : java) {
                line.append(" '").append(part.replace("'", "'\\''")).append('\'');
            }
            command = List.of("bash", "-c", line.toString());
        } else {
            command = java;
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // the mode is given by flag; CI runs with CI=true, which must not turn the child's auto mode into replay
        pb.environment().remove("CI");
        pb.environment().remove("HARP_MODE");
        ChildHarp child = new ChildHarp(pb.start());
        if (!child.listening.await(30, TimeUnit.SECONDS) || child.port < 0) {
            child.close();
            throw new AssertionError("the child proxy did not start:\n" + child.output());
        }
        return child;
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (port < 0 && m.find()) {
                    port = Integer.parseInt(m.group(1));
                    listening.countDown();
                }
            }
        } catch (IOException ended) {
            // the child is gone
        } finally {
            listening.countDown();
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Everything the child printed so far (standard output and error). */
    String output() {
        return output.toString();
    }

    /** CPU time (user + system) the child used so far, from {@code /proc/PID/stat}, in clock ticks (1/100 s). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
    }

    /** The child's peak resident memory ({@code VmHWM} in {@code /proc/PID/status}), in KiB. */
    long peakResidentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Open descriptors of the child. */
    int openDescriptors() {
        String[] fds = Path.of("/proc", Long.toString(process.pid()), "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    /** SIGTERM, then waits (bounded) for the exit; returns whether it exited in time. */
    boolean terminate(Duration max) throws InterruptedException {
        process.destroy();
        return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL, then waits for the exit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
