package dev.harp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh process timed from its exec to its {@code listening on} line (the cli-start and cli-load parts): its stdout
 * and stderr on one pipe read by a thread of its own, so the line is seen as soon as the child writes it.
 */
final class FreshCli {
    /** Bound on one start reaching its {@code listening on} line, and on its exit after SIGTERM. */
    static final long WAIT_SECONDS = 60;
    /**
     * The tag of a {@code -Xlog:class+load} line: {@code [class,load] }, padded ({@code [class,load ] }) when the JVM
     * aligns it with a longer tag of another line (a CDS warning, for one).
     */
    private static final Pattern CLASS_LOAD = Pattern.compile("\\[class,load\\s*\\]\\s+");

    private FreshCli() {
    }

    /**
     * A started process, when it was spawned and when its {@code listening on} line arrived (both
     * {@link System#nanoTime()}), its port, and the classes it loaded before that line (when logged).
     */
    record Launched(Process process, long execNanos, long listeningNanos, int port, Map<String, Integer> classes) {
        double listeningMillis() {
            return (listeningNanos - execNanos) / 1e6;
        }
    }

    /** A line of the child's output and when this JVM read it. */
    private record Line(long nanos, String text) {
    }

    /**
     * Spawns the process with its stdout and stderr on one pipe, read by a thread of its own until the end (the child
     * never blocks on a full pipe), and waits, at most {@link #WAIT_SECONDS}, for the {@code listening on} line.
     * Class-load lines ({@code -Xlog:class+load} to stdout) before it are counted: the JVM writes and flushes each as
     * the class loads, so those before the line in the pipe are those loaded before Harp printed it.
     */
    static Launched launch(ProcessBuilder pb) throws IOException, InterruptedException {
        pb.redirectErrorStream(true);
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        long exec = System.nanoTime();
        Process p = Children.start(pb);
        Thread reader = new Thread(() -> readLines(p.getInputStream(), lines), "fresh-cli-output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (String key : List.of("all", "jackson", "bouncycastle", "undertow", "harp", "picocli", "jdk")) {
            classes.put(key, 0);
        }
        StringBuilder output = new StringBuilder();
        long deadline = exec + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Line line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException("no 'listening on' line within " + WAIT_SECONDS + " s: " + tail(output));
                }
                if (line.text() == null) { // end of its output
                    p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
                    throw new IOException("exited before listening (" + (p.isAlive() ? "still alive" : "exit "
                            + p.exitValue()) + "): " + tail(output));
                }
                Matcher load = CLASS_LOAD.matcher(line.text());
                if (load.find()) {
                    count(classes, line.text().substring(load.end()));
                    continue;
                }
                output.append(line.text()).append('\n');
                Matcher m = HarpCliProcess.LISTENING.matcher(line.text());
                if (m.find()) {
                    return new Launched(p, exec, line.nanos(), Integer.parseInt(m.group(2)), classes);
                }
            }
        } catch (IOException e) {
            Children.end(p);
            throw new IOException(String.join(" ", pb.command()) + ": " + e.getMessage(), e);
        } catch (InterruptedException | RuntimeException e) {
            Children.end(p);
            throw e;
        }
    }

    private static void readLines(InputStream in, BlockingQueue<Line> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                lines.add(new Line(System.nanoTime(), s));
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            lines.add(new Line(System.nanoTime(), null));
        }
    }

    private static void count(Map<String, Integer> classes, String rest) {
        String name = rest.split(" ", 2)[0];
        classes.merge("all", 1, Integer::sum);
        String group = name.startsWith("com.fasterxml.jackson.") ? "jackson"
                : name.startsWith("org.bouncycastle.") ? "bouncycastle"
                : name.startsWith("io.undertow.") || name.startsWith("org.xnio.") || name.startsWith("org.jboss.") ? "undertow"
                : name.startsWith("dev.harp.") ? "harp"
                : name.startsWith("picocli.") ? "picocli"
                : Arrays.asList("java.", "javax.", "jdk.", "sun.", "com.sun.").stream().anyMatch(name::startsWith) ? "jdk"
                : null;
        if (group != null) {
            classes.merge(group, 1, Integer::sum);
        }
    }

    private static String tail(StringBuilder output) {
        return output.length() <= 2000 ? output.toString() : "..." + output.substring(output.length() - 2000);
    }

    /** SIGTERM, and its exit within {@link #WAIT_SECONDS}. */
    static void stop(Process p, String what) throws IOException, InterruptedException {
        p.destroy();
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            Children.end(p);
            throw new IOException(what + " did not exit within " + WAIT_SECONDS + " s of SIGTERM");
        }
    }
}
