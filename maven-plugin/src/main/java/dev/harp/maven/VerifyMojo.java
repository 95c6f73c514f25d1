package dev.harp.maven;

import dev.harp.lint.FixtureLint;
import dev.harp.lint.LintFinding;
import dev.harp.lint.LintReport;
import dev.harp.record.Redactor;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mvn harp:verify}, bound to {@code verify} by default: lints every HAR fixture under {@code fixtures}, as the
 * command line's {@code --lint} does ({@link FixtureLint}): parse errors with file:line:col, secrets the redaction
 * rules would have hidden (named by place and shape, never printed), undecodable bodies, bad side files, and entries
 * replay can never serve. Prints each finding as {@code file: entry #N: what}, relative to the project's folder, and
 * fails the build on findings unless {@code failOnFindings} is false.
 *
 * <p>When the build's usage folder ({@code usageDir}) holds usage data, it also writes the report there
 * ({@code report.html}, {@code summary.json}, as {@code harp:report} does) and logs its one-screen summary with the
 * page's path; a report that cannot be written is a warning, never a failure.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractMojo {

    /** The HAR file, or the folder whose {@code *.har} files (at any depth) are checked. */
    @Parameter(property = "harp.verify.fixtures", defaultValue = "${project.basedir}/src/test/resources", required = true)
    File fixtures;

    /** Fail the build when a fixture has findings; false prints them as warnings only. */
    @Parameter(property = "harp.failOnFindings", defaultValue = "true")
    boolean failOnFindings;

    /** Skip the check. */
    @Parameter(property = "harp.skip", defaultValue = "false")
    boolean skip;

    /** More names whose values count as secrets, as {@code redact} adds them at record time. */
    @Parameter(property = "harp.redact")
    List<String> redact;

    /** Check no secrets at all (the fixtures were recorded with redaction off on purpose). */
    @Parameter(property = "harp.noRedact")
    Boolean noRedact;

    /** Names whose values are no secret, as {@code keepValues} keeps them at record time. */
    @Parameter(property = "harp.keepValues")
    List<String> keepValues;

    /** Body bytes decoded (compressed bodies) and read (side files) per body, as on replay. */
    @Parameter(property = "harp.captureLimit")
    Long captureLimit;

    /** The build's usage folder: when it holds usage data, the report is written there and summed up. */
    @Parameter(property = "harp.usageDir", defaultValue = "${project.build.directory}/harp", required = true)
    File usageDir;

    /**
     * The fixture folders the usage report covers (files under them no test opened are reported), as
     * {@code harp:report}'s {@code fixtures}; the lint above keeps its own, wider {@code fixtures}.
     */
    @Parameter(property = "harp.fixtures", defaultValue = "${project.basedir}/src/test/resources/harp")
    List<File> reportFixtures;

    /** Where the compiled test classes are: a deleted test class is told from one that did not run. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", readonly = true)
    File testClasses;

    /** The project's folder: findings name their files relative to it. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    File basedir;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Harp: verify skipped (harp.skip)");
            return;
        }
        try {
            lint();
        } finally {
            report();
        }
    }

    /** Writes the usage report and logs its summary when the build left usage data; warns if it cannot. */
    private void report() {
        if (usageDir == null || !UsageReport.hasData(usageDir)) {
            return;
        }
        try {
            UsageReport.write(usageDir, reportFixtures, testClasses, usageDir, basedir, getLog());
        } catch (IOException | RuntimeException e) {
            getLog().warn("Harp: cannot write the usage report of " + usageDir + ": " + e.getMessage());
        }
    }

    private void lint() throws MojoExecutionException, MojoFailureException {
        Path target = fixtures.toPath().toAbsolutePath().normalize();
        if (!Files.exists(target)) {
            if (target.equals(basedir.toPath().resolve("src/test/resources").toAbsolutePath().normalize())) {
                getLog().info("Harp: no fixtures to verify (" + target + " does not exist)");
                return;
            }
            throw new MojoExecutionException("Harp: the fixtures to verify, " + target + ", do not exist (<fixtures>)");
        }
        LintReport report;
        try {
            FixtureLint.Builder lint = FixtureLint.builder()
                    .redactor(Boolean.TRUE.equals(noRedact) ? Redactor.off() : Redactor.defaults())
                    .relativeTo(basedir.toPath());
            if (redact != null) {
                lint.redact(redact);
            }
            if (keepValues != null) {
                lint.keepValues(keepValues);
            }
            if (captureLimit != null) {
                lint.captureLimit(captureLimit);
            }
            report = lint.build().lint(target);
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("Harp: cannot verify " + target + ": " + e.getMessage(), e);
        }
        for (LintFinding finding : report.findings()) {
            if (failOnFindings) {
                getLog().error(finding.toString());
            } else {
                getLog().warn(finding.toString());
            }
        }
        if (report.isClean()) {
            getLog().info(report.summary());
        } else if (failOnFindings) {
            throw new MojoFailureException(report.summary() + "; fix or re-record the fixtures above "
                    + "(-Dharp.failOnFindings=false only warns)");
        } else {
            getLog().warn(report.summary());
        }
    }
}
