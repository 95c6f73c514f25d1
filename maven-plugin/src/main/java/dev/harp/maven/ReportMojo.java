package dev.harp.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.util.List;

/**
 * {@code mvn harp:report}: turns the build's usage folder ({@code target/harp}, where the JUnit extension and
 * {@code harp:stop} record what each test did with its fixtures) into {@code report.html} (one self-contained page)
 * and {@code summary.json}, and logs a one-screen summary with the page's path. As {@code harp report} on the
 * command line, with the same parameter names.
 */
@Mojo(name = "report", threadSafe = true)
public class ReportMojo extends AbstractMojo {

    /** The build's usage folder, holding {@code uses/*.json}. */
    @Parameter(property = "harp.usageDir", defaultValue = "${project.build.directory}/harp", required = true)
    File usageDir;

    /**
     * Folders of the HAR fixtures: files under them no test opened are reported; by default the JUnit extension's
     * fixture folder, so HARs kept elsewhere as plain test data are not reported as unused.
     */
    @Parameter(property = "harp.fixtures", defaultValue = "${project.basedir}/src/test/resources/harp")
    List<File> fixtures;

    /** Where the compiled test classes are: a deleted test class is told from one that did not run. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", readonly = true)
    File testClasses;

    /** Where {@code report.html} and {@code summary.json} go (unset: the usage folder). */
    @Parameter(property = "harp.out")
    File out;

    /** Skip the report. */
    @Parameter(property = "harp.skip", defaultValue = "false")
    boolean skip;

    /** The project's folder: the report names files relative to it. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    File basedir;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("Harp: report skipped (harp.skip)");
            return;
        }
        if (!usageDir.isDirectory()) {
            getLog().info("Harp: no usage data in " + usageDir + " (run the tests with Harp first); no report written");
            return;
        }
        if (out != null && out.exists() && !out.isDirectory()) {
            throw new MojoExecutionException("Harp: <out> " + out + " is a file, not a folder");
        }
        try {
            UsageReport.write(usageDir, fixtures, testClasses, out == null ? usageDir : out, basedir, getLog());
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException("Harp: cannot write the report of " + usageDir + ": " + e.getMessage(), e);
        }
    }
}
