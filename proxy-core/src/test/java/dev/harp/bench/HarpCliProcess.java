package dev.harp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Harp CLI process as users run it: {@code java -jar harp.jar --mode M --har F --port 0 ...} with the JVM's
 * default options, or the launcher ({@link CliLaunch}), its stdout and stderr in a log file, its port read from the
 * {@code listening on} line. Measures it from outside: peak RSS ({@code VmHWM} from /proc, with its descendants'),
 * the heap before and after a full GC ({@code jcmd GC.heap_info}, {@code GC.run}), the collector and heap limit the
 * JVM chose ({@code jcmd VM.flags}), and the time from SIGTERM to its exit.
 */
final class HarpCliProcess {
    /** Where the benchmark looks for the CLI jar (benchmark/run builds it), relative to the repository root. */
    static final Path JAR = Path.of("proxy-core", "target", "harp.jar");
    /** Bytes in a MiB. */
    static final long MIB = 1024 * 1024;
    static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    private final String mode;
    private final Process process;
    private final int port;
    private final Path log;

    private HarpCliProcess(String mode, Process process, int port, Path log) {
        this.mode = mode;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The CLI jar, or a clear failure saying how to build it. */
    static Path jar() throws IOException {
        for (Path candidate : List.of(JAR, Path.of("target", "harp.jar"), Path.of("..").resolve(JAR))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IOException("the cli-record and cli-start parts run the CLI jar, but " + JAR.toAbsolutePath().normalize()
                + " is missing: build it with `./mvnw -B -q -DskipTests package -pl proxy-core`"
                + " (benchmark/run does so when a cli part is in the run)");
    }

    /** The java process. */
    Process process() {
        return process;
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    /**
     * {@code java [jvmOptions] -jar harp.jar --mode M --har F --port 0 --bind 127.0.0.1 --ca-dir D}, in an environment
     * without the benchmark's JVM options (see {@link #userEnvironment}).
     */
    static ProcessBuilder command(Path java, Path jar, List<String> jvmOptions, String mode, Path har, Path caDir) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--mode", mode, "--har", har.toString(), "--port", "0",
                "--bind", "127.0.0.1", "--ca-dir", caDir.toString()));
        return userEnvironment(new ProcessBuilder(command));
    }

    /** The JVM's defaults, as a user's shell gives them: no JVM options or Harp settings from the benchmark's environment. */
    static ProcessBuilder userEnvironment(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS")
                || k.equals("_JAVA_OPTIONS") || k.startsWith("HARP_"));
        return pb;
    }

    /** Starts the CLI in {@code mode} with {@code --har har} and waits up to 60 s for its {@code listening on} line. */
    static HarpCliProcess start(Path java, Path jar, String mode, Path har, Path scratch) throws IOException,
            InterruptedException {
        return start(command(java, jar, List.of(), mode, har, scratch.resolve("cli-ca-" + mode)), mode,
                scratch.resolve("cli-" + mode + ".log"));
    }

    /** Starts the CLI {@code launch}'s way, as {@link #start(Path, Path, String, Path, Path)} does. */
    static HarpCliProcess start(Path java, CliLaunch launch, String mode, Path har, Path caDir, Path log)
            throws IOException, InterruptedException {
        return start(launch.command(java, List.of(), mode, har, caDir), mode + " (" + launch.label + ")", log);
    }

    private static HarpCliProcess start(ProcessBuilder pb, String mode, Path log) throws IOException,
            InterruptedException {
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = Children.start(pb);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = LISTENING.matcher(out);
            if (m.find()) {
                return new HarpCliProcess(mode, p, Integer.parseInt(m.group(2)), log);
            }
            if (!p.isAlive()) {
                throw new IOException("the " + mode + " CLI exited with " + p.exitValue() + " before listening: " + out);
            }
            Thread.sleep(50);
        }
        Children.end(p);
        throw new IOException("the " + mode + " CLI printed no 'listening on' line within 60 s: " + Files.readString(log));
    }

    /** VmHWM of the process and its descendants (see {@link CliLaunch#peakRssKib}), KiB; 0 when unknown. */
    long peakRssKib() {
        return CliLaunch.peakRssKib(process.toHandle());
    }

    /** Committed heap now, used heap after {@code jcmd PID GC.run}, and VmHWM; NaN where jcmd fails. */
    HeapPoint heapPoint(Path java, String when) {
        long rss = peakRssKib();
        try {
            double committed = heapInfo(jcmd(java, "GC.heap_info"), 1);
            jcmd(java, "GC.run");
            return new HeapPoint(when, heapInfo(jcmd(java, "GC.heap_info"), 2), committed, rss);
        } catch (IOException e) {
            return new HeapPoint(when, Double.NaN, Double.NaN, rss);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HeapPoint(when, Double.NaN, Double.NaN, rss);
        }
    }

    /** From {@code GC.heap_info}: group 1 the committed ("total"), group 2 the used heap, in bytes. */
    private static double heapInfo(String info, int group) {
        Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        long sum = 0;
        boolean any = false;
        while (m.find()) { // one line for G1, one per generation for Serial and Parallel
            sum += Long.parseLong(m.group(group));
            any = true;
        }
        return any ? sum * 1024.0 : Double.NaN;
    }

    /** The collector and maximum heap the JVM chose by itself, from {@code jcmd VM.flags}. */
    String jvmDefaults(Path java) {
        try {
            String flags = jcmd(java, "VM.flags");
            Matcher max = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
            Matcher gc = Pattern.compile("-XX:\\+Use(\\w+)GC\\b").matcher(flags);
            return (gc.find() ? gc.group(1) + " GC" : "default GC") + ", max heap "
                    + (max.find() ? String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(max.group(1)) / 1024.0 / MIB)
                    : "unknown");
        } catch (IOException e) {
            return "(jcmd unavailable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private String jcmd(Path java, String command) throws IOException, InterruptedException {
        Path jcmd = java.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IOException("no jcmd beside " + java);
        }
        Process p = Children.start(new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true));
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + command + " failed: " + out);
            }
            return out;
        } finally {
            Children.end(p);
        }
    }

    /**
     * SIGTERM, then waits for the exit (Harp writes what it still holds first); {@code whileWaiting} runs every
     * 20 ms meanwhile. Returns the seconds from the signal to the exit.
     */
    double stop(Runnable whileWaiting) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        process.destroy(); // SIGTERM
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
            whileWaiting.run();
            if (System.nanoTime() > deadline) {
                Children.end(process);
                throw new IOException("the " + mode + " CLI did not exit within 5 min of SIGTERM; log " + log);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Children.end(process); // already gone: only forgets it
        return seconds;
    }

    double stop() throws IOException, InterruptedException {
        return stop(() -> {
        });
    }

    /**
     * The process's memory at one point.
     *
     * @param usedAfterGc     used heap after a full GC, bytes (NaN when unknown)
     * @param committedBefore heap committed just before that GC, bytes (NaN when unknown)
     * @param peakRssKib      VmHWM at that point
     */
    record HeapPoint(String when, double usedAfterGc, double committedBefore, long peakRssKib) {
    }
}
