package dev.harp.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A build step, run by {@code proxy-core/pom.xml} at {@code package} right after the executable jar is made:
 * installs the launcher script beside {@code harp.jar} and makes {@code harp.jsa}, a static class-data sharing (CDS)
 * archive of the classes the CLI loads to start and to serve its first requests, so that the launcher starts Harp in
 * about half the time of {@code java -jar}.
 *
 * <p>The training runs the built jar as a child JVM with {@code -XX:DumpLoadedClassList} once per mode (after one
 * {@code --export-ca} that creates the CA), each with a temporary CA folder and HAR, and sends plain HTTP and
 * intercepted HTTPS (HTTP/1.1 and h2) through it to upstreams on 127.0.0.1 ({@link TrainingTraffic}); it never touches
 * {@code ~/.harp} or any address but loopback, and every wait is bounded. The class lists are merged and
 * {@code java -Xshare:dump} writes the archive with the JVM running this step, which is the JVM of the build.
 *
 * <p>A failed training degrades explicitly: the build goes on with a WARNING naming the cause and no archive (the
 * launcher then starts Harp as fast as {@code java -jar}); {@code harp.jar} is the build's contract and must not depend
 * on an optimisation. {@code verify} still fails then, since {@code LauncherIT} asserts that the archive is used.
 *
 * <p>Usage: {@code java -cp harp.jar dev.harp.cli.CdsTraining HARP_JAR LAUNCHER_SOURCE [skip]}: writes {@code harp}
 * and {@code harp.jsa} (and the merged {@code harp.classlist}, for inspection) into the jar's folder; with
 * {@code skip} ({@code -Dharp.cds.skip}) only the launcher.
 */
final class CdsTraining {
    /** Bound on the whole training, beyond which it gives up (a hung child must not hang the build). */
    static final Duration BOUND = Duration.ofMinutes(4);
    private static final String[] MODES = {"record", "replay", "auto", "passthrough"};

    private final Path jar;
    private final Path work;
    private final Instant deadline = Instant.now().plus(BOUND);

    private CdsTraining(Path jar, Path work) {
        this.jar = jar;
        this.work = work;
    }

    /**
     * Runs the step; exits 0 unless the arguments are wrong or the launcher cannot be installed.
     *
     * @param args the built jar, the launcher script's source, and optionally {@code skip} (or {@code true})
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: CdsTraining HARP_JAR LAUNCHER_SOURCE [skip]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath().normalize();
        Path dir = jar.getParent();
        boolean skip = args.length > 2 && (args[2].equals("skip") || args[2].equals("true"));
        try {
            installLauncher(Path.of(args[1]), dir.resolve("harp"));
        } catch (IOException e) {
            System.err.println("[ERROR] Harp launcher: cannot install " + dir.resolve("harp") + ": " + e);
            System.exit(1);
        }
        Path archive = dir.resolve("harp.jsa");
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            System.err.println("[ERROR] Harp launcher: cannot delete the old " + archive + ": " + e);
            System.exit(1);
        }
        if (skip) {
            System.out.println("[INFO] Harp launcher: " + dir.resolve("harp") + " (no CDS archive: harp.cds.skip)");
            System.exit(0);
        }
        long start = System.nanoTime();
        try {
            Path work = Files.createTempDirectory("harp-cds-");
            try {
                new CdsTraining(jar, work).train(archive, dir.resolve("harp.classlist"));
            } finally {
                deleteTree(work);
            }
            System.out.printf("[INFO] Harp launcher: %s with the CDS archive %s (%d MiB, trained in %.1f s)%n",
                    dir.resolve("harp"), archive, Files.size(archive) >> 20, (System.nanoTime() - start) / 1e9);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            System.out.println("[WARNING] Harp launcher: no CDS archive, proxy-core/target/harp will start Harp without"
                    + " it (as slowly as java -jar): " + why);
            try {
                Files.deleteIfExists(archive);
            } catch (IOException ignored) {
                // reported above: the archive is what failed
            }
        }
        System.exit(0);
    }

    /** Copies the launcher script and makes it executable where the file system knows permissions. */
    static void installLauncher(Path source, Path target) throws IOException {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException windows) {
            // no POSIX permissions (Windows): the script is for POSIX shells anyway
        }
    }

    private void train(Path archive, Path mergedList) throws Exception {
        Path ca = work.resolve("ca");
        Path har = work.resolve("flows.har");
        List<Path> lists = new ArrayList<>();
        try (TrainingTraffic traffic = TrainingTraffic.start(work)) {
            Path list = work.resolve("export-ca.classlist");
            runToEnd(list, "--export-ca", work.resolve("exported-ca.pem").toString(), "--ca-dir", ca.toString());
            lists.add(list);
            for (String mode : MODES) {
                list = work.resolve(mode + ".classlist");
                List<String> args = new ArrayList<>(List.of("--mode", mode, "--har", har.toString(), "--port", "0",
                        "--ca-dir", ca.toString(), "--upstream-trust", traffic.upstreamCaPem().toString()));
                try (TrainingChild child = TrainingChild.start(command(list, args), environment(ca), work, deadline)) {
                    traffic.drive(mode, child.proxyPort(), ca.resolve("harp-ca.pem"));
                    child.stop();
                } catch (Exception e) {
                    throw new IOException("the training run in mode " + mode + " failed: " + e.getMessage(), e);
                }
                lists.add(list);
            }
        }
        merge(lists, mergedList);
        dump(mergedList, archive);
    }

    private void runToEnd(Path list, String... args) throws Exception {
        try (TrainingChild child = TrainingChild.run(command(list, List.of(args)), environment(work.resolve("ca")),
                work, deadline)) {
            child.awaitExit(0);
        }
    }

    private List<String> command(Path list, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:DumpLoadedClassList=" + list, "-jar", jar.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** The child's environment: Harp's own variables and CI removed (a HARP_PROXY_AUTH would lock the training out). */
    private static java.util.Map<String, String> environment(Path ca) {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.startsWith("HARP_") || name.equals("CI"));
        env.put("HARP_CA_DIR", ca.toString());
        return env;
    }

    /** The union of the class lists, in order of first appearance, without their comments. */
    static void merge(List<Path> lists, Path merged) throws IOException {
        Set<String> lines = new LinkedHashSet<>();
        for (Path list : lists) {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        if (lines.stream().noneMatch(l -> l.startsWith("dev/harp/"))) {
            throw new IOException("the training runs listed no Harp class: -XX:DumpLoadedClassList did not work");
        }
        Files.write(merged, lines, StandardCharsets.UTF_8);
    }

    /** {@code java -Xshare:dump}, into a temporary file renamed once complete. */
    private void dump(Path list, Path archive) throws Exception {
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        Path log = work.resolve("dump.log");
        Files.deleteIfExists(partial);
        Process p = new ProcessBuilder(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + list,
                "-XX:SharedArchiveFile=" + partial, "-cp", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(Math.max(1, Duration.between(Instant.now(), deadline).toSeconds()), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (!ended || p.exitValue() != 0 || !Files.isRegularFile(partial)) {
            Files.deleteIfExists(partial);
            throw new IOException("java -Xshare:dump " + (ended ? "exited " + p.exitValue() : "timed out") + ": "
                    + TrainingChild.tail(Files.readString(log, StandardCharsets.UTF_8)));
        }
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The java of the JVM running this step. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.out.println("[WARNING] Harp launcher: could not delete " + root + ": " + e);
        }
    }
}
