package dev.harp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two ways a user starts Harp's CLI (issue 17), each row of the cli-start and cli-load parts runs for both:
 * the launcher {@code proxy-core/target/harp} (a POSIX sh script that runs the JVM with Harp's own options and
 * class-data archive; extra JVM options through {@code HARP_JAVA_OPTS}), and {@code java -jar
 * proxy-core/target/harp.jar} with the JVM's defaults. Both are built by {@code ./mvnw -DskipTests package -pl
 * proxy-core}; a missing launcher makes its rows say {@link #NOT_BUILT} instead of failing the run.
 */
enum CliLaunch {
    /** {@code proxy-core/target/harp ARGS}. */
    LAUNCHER("launcher"),
    /** {@code java -jar proxy-core/target/harp.jar ARGS}. */
    JAR("java -jar");

    /** Where the benchmark looks for the launcher, relative to the repository root. */
    static final Path LAUNCHER_PATH = Path.of("proxy-core", "target", "harp");
    /** What a row of the launcher says when there is none. */
    static final String NOT_BUILT = "launcher not built";

    final String label;

    CliLaunch(String label) {
        this.label = label;
    }

    /** Those that can run here: {@code java -jar} always (it fails clearly without the jar), the launcher when built. */
    static List<CliLaunch> available() {
        return launcher() == null ? List.of(JAR) : List.of(LAUNCHER, JAR);
    }

    /** The launcher script, or null when it is not built. */
    static Path launcher() {
        for (Path candidate : List.of(LAUNCHER_PATH, Path.of("target", "harp"), Path.of("..").resolve(LAUNCHER_PATH))) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** How it is run, for the notes. */
    String shown() {
        return this == LAUNCHER ? "`" + LAUNCHER_PATH + " ARGS`" : "`java -jar " + HarpCliProcess.JAR + " ARGS`";
    }

    /**
     * The command for {@code --mode M --har F --port 0 --bind 127.0.0.1 --ca-dir D}, in a user's environment (see
     * {@link HarpCliProcess#userEnvironment}). {@code jvmOptions} go on {@code java}'s command line, or in
     * {@code HARP_JAVA_OPTS} for the launcher. The launcher gets {@code JAVA_HOME} and the front of {@code PATH} set to
     * the benchmark's JDK, so both ways run the same {@code java}.
     */
    ProcessBuilder command(Path java, List<String> jvmOptions, String mode, Path har, Path caDir) throws IOException {
        List<String> harpArgs = List.of("--mode", mode, "--har", har.toString(), "--port", "0", "--bind", "127.0.0.1",
                "--ca-dir", caDir.toString());
        List<String> command = new ArrayList<>();
        if (this == JAR) {
            command.add(java.toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", HarpCliProcess.jar().toString()));
            command.addAll(harpArgs);
            return HarpCliProcess.userEnvironment(new ProcessBuilder(command));
        }
        Path script = launcher();
        if (script == null) {
            throw new IOException(NOT_BUILT + ": " + LAUNCHER_PATH.toAbsolutePath().normalize() + " is missing");
        }
        command.add(script.toString());
        command.addAll(harpArgs);
        ProcessBuilder pb = HarpCliProcess.userEnvironment(new ProcessBuilder(command));
        if (!jvmOptions.isEmpty()) {
            pb.environment().put("HARP_JAVA_OPTS", String.join(" ", jvmOptions));
        }
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", java.toAbsolutePath().getParent() + ":" + pb.environment().getOrDefault("PATH", ""));
        return pb;
    }

    /**
     * Peak RSS of a started CLI: {@code VmHWM} from /proc/PID/status of the process and of each of its descendants
     * (the launcher may leave a shell above the JVM), summed; KiB, 0 when unknown.
     */
    static long peakRssKib(ProcessHandle process) {
        long sum = vmHwmKib(process.pid());
        for (ProcessHandle d : process.descendants().toList()) {
            sum += vmHwmKib(d.pid());
        }
        return sum;
    }

    private static long vmHwmKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }
}
