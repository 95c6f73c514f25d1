package dev.harp.maven;

import dev.harp.tls.CertificateAuthority;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code mvn harp:export-ca -Dharp.caFile=harp-ca.pem}: writes the certificate of Harp's CA (never its key) for a
 * browser, an operating system or another tool to trust; as PEM, or as a PKCS#12 trust store when the file name ends
 * in {@code .p12}. The CA is the one {@code harp:run} and the command line use ({@code caDirectory}, else
 * {@code $HARP_CA_DIR}, else {@code ~/.harp}), created on first use. Needs no project.
 */
@Mojo(name = "export-ca", requiresProject = false, threadSafe = true)
public class ExportCaMojo extends AbstractMojo {

    /** The file to write: {@code .pem} (PEM certificate) or {@code .p12} (PKCS#12 trust store). */
    @Parameter(property = "harp.caFile", defaultValue = "harp-ca.pem", required = true)
    File caFile;

    /** Password of a {@code .p12} trust store. */
    @Parameter(property = "harp.trustStorePassword", defaultValue = "changeit", required = true)
    String trustStorePassword;

    /** Folder of the CA, created on first use (unset: $HARP_CA_DIR, else ~/.harp). */
    @Parameter(property = "harp.caDirectory")
    File caDirectory;

    @Override
    public void execute() throws MojoExecutionException {
        Path folder = caDirectory != null ? caDirectory.toPath() : CertificateAuthority.defaultDirectory();
        Path target = caFile.toPath().toAbsolutePath().normalize();
        try {
            CertificateAuthority ca = CertificateAuthority.loadOrCreate(folder);
            if (target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".p12")) {
                ca.exportPkcs12TrustStore(target, trustStorePassword.toCharArray());
            } else {
                ca.exportPem(target);
            }
            getLog().info("Harp CA written to " + target + " (SHA-256 " + ca.sha256Fingerprint() + ", CA in "
                    + folder + ")");
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException("Harp: cannot export the CA of " + folder + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }
}
