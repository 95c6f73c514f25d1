package dev.harp.testing.prerequisites;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Something outside the JVM that some tests need, with how to tell whether this machine has it and what installs it.
 * Tests ask for one through {@link Prerequisites#require(Prerequisite)}; {@code .ci/run} installs every one of them.
 */
public enum Prerequisite {
    /** curl: the CLI and HTTPS tunnel tests drive it as a real client. */
    CURL("curl is not installed", "apt-get install curl", () -> runs("curl", "--version")),
    /** python3: its urllib is a second real HTTPS client. */
    PYTHON3("python3 is not installed", "apt-get install python3", () -> runs("python3", "--version")),
    /** openssl: verifies Harp's leaf certificates strictly. */
    OPENSSL("openssl is not installed", "apt-get install openssl", () -> runs("openssl", "version")),
    /** Chromium at the path the browser tests start. */
    CHROMIUM("/usr/bin/chromium is not installed", "apt-get install chromium",
            () -> Files.isExecutable(Path.of("/usr/bin/chromium"))),
    /** node with playwright-core (driving Debian's Chromium); the test supplies the probe, it knows node's paths. */
    PLAYWRIGHT("node with playwright-core is not available",
            "apt-get install nodejs npm, then npm install -g playwright-core", null),
    /** A Docker daemon for the Testcontainers tests; the test supplies the probe (Testcontainers' own check). */
    DOCKER("no Docker daemon answers", ".ci/docker-setup.sh: apt-get install docker.io, then start dockerd", null),
    /** A static busybox, copied into the Testcontainers tests' image. */
    BUSYBOX("no static busybox at /bin/busybox", "apt-get install busybox-static",
            () -> Files.isExecutable(Path.of("/bin/busybox"))),
    /** The shared corpus of other tools' HAR files, {@code shared/har-corpus} beside the clone. */
    HAR_CORPUS("the shared HAR corpus (../shared/har-corpus) is not there",
            "put a copy of shared/ beside the clone", () -> HarCorpus.locate().isPresent()),
    /** An IPv6 loopback address to listen on. */
    IPV6_LOOPBACK("IPv6 loopback ::1 is not available", "enable IPv6 on the loopback interface",
            Prerequisite::ipv6Loopback),
    /** A file system with POSIX permissions, for the tests of private key and HAR file modes. */
    POSIX_PERMISSIONS("the file system has no POSIX permissions", "run on Linux or macOS",
            () -> FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));

    private final String missing;
    private final String installation;
    private final BooleanSupplier probe;

    Prerequisite(String missing, String installation, BooleanSupplier probe) {
        this.missing = missing;
        this.installation = installation;
        this.probe = probe;
    }

    /** @return one line: what is missing and what provides it, e.g. "curl is not installed (apt-get install curl)" */
    public String describeMissing() {
        return missing + " (" + installation + ")";
    }

    /**
     * @return whether this machine has it
     * @throws IllegalStateException for a prerequisite only the test can probe ({@link #PLAYWRIGHT}, {@link #DOCKER})
     */
    public boolean isPresent() {
        if (probe == null) {
            throw new IllegalStateException(name() + " has no probe of its own: pass one to Prerequisites.require");
        }
        return probe.getAsBoolean();
    }

    /** Whether the command starts and exits 0 within 20 s. */
    static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where the shared HAR corpus is. */
    static final class HarCorpus {
        private HarCorpus() {
        }

        /** @return the first {@code shared/har-corpus} found walking up from the working directory */
        static Optional<Path> locate() {
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                Path candidate = p.resolve("shared").resolve("har-corpus");
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        }
    }
}
