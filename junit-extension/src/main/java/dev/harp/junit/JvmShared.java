package dev.harp.junit;

import dev.harp.har.Har;
import dev.harp.har.HarWriter;
import dev.harp.tls.CertificateAuthority;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JVM-wide resources shared by every proxy the extension starts: one in-memory CA (so a JVM-wide default
 * {@code SSLContext} trusts every proxy, and no key ever touches the disk) and one empty HAR that stands in for a
 * fixture that does not exist yet when replaying.
 */
final class JvmShared {
    private static Path emptyHar;

    private JvmShared() {
    }

    /** Created on first use: the initialisation-on-demand holder idiom makes it thread-safe without locking. */
    private static final class Holder {
        static final CertificateAuthority CA = CertificateAuthority.inMemory();
    }

    /** @return the CA of every proxy in this JVM */
    static CertificateAuthority ca() {
        return Holder.CA;
    }

    /**
     * @return a valid HAR with no entries, in a temporary folder removed when the JVM exits; replaying it turns
     *         every request into a miss, which the extension reports as a missing fixture
     * @throws IOException if the temporary file cannot be written
     */
    static synchronized Path emptyHar() throws IOException {
        if (emptyHar == null || !Files.isRegularFile(emptyHar)) {
            Path dir = Files.createTempDirectory("harp-junit-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("no-fixture-yet.har");
            HarWriter.write(file, Har.newRecording(dev.harp.HarpServer.version()));
            file.toFile().deleteOnExit();
            emptyHar = file;
        }
        return emptyHar;
    }
}
