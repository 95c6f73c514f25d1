package dev.harp.integration;

import dev.harp.testing.prerequisites.Prerequisite;
import dev.harp.testing.prerequisites.Prerequisites;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line refuses a CA that other users can read or replace, with one line naming the file and the
 * {@code chmod} that fixes it, and exit status 2 (run as a child JVM from the test classpath).
 */
class CliCaPermissionsTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Path caDir;

    @BeforeEach
    void createCa() throws IOException {
        Prerequisites.require(Prerequisite.POSIX_PERMISSIONS);
        caDir = dir.resolve("ca").toAbsolutePath();
        CertificateAuthority.loadOrCreate(caDir);
    }

    @Test
    void aKeyReadableByOthersExits2WithTheChmod() throws Exception {
        Path key = caDir.resolve(CertificateAuthority.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        ChildProcess.Result r = harp("--mode", "replay", "--har", dir.resolve("never.har").toString(), "--port", "0");

        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr().strip()).as(r.both())
                .isEqualTo("harp: " + key + ": the CA private key is readable by other users (permissions rw-r--r--);"
                        + " Harp refuses to use it. Fix it with: chmod 600 " + key);
        assertThat(r.stdout()).doesNotContain("listening on");
    }

    @Test
    void aFolderWritableByOthersExits2WithTheChmod() throws Exception {
        Files.setPosixFilePermissions(caDir, PosixFilePermissions.fromString("rwxrwxrwx"));

        ChildProcess.Result r = harp("--export-ca", dir.resolve("exported.pem").toString());

        assertThat(r.exit()).as(r.both()).isEqualTo(2);
        assertThat(r.stderr().strip()).as(r.both())
                .startsWith("harp: " + caDir + ": the CA folder is writable by other users (permissions rwxrwxrwx)")
                .endsWith("Fix it with: chmod go-w " + caDir)
                .doesNotContain("\n");
        assertThat(dir.resolve("exported.pem")).doesNotExist();
    }

    private ChildProcess.Result harp(String... args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, "dev.harp.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--ca-dir", caDir.toString()));
        Map<String, String> env = new HashMap<>();
        env.put("HARP_MODE", null);
        env.put("CI", null);
        return ChildProcess.run(cmd, dir, env, BOUND);
    }
}
