package dev.harp.maven;

import dev.harp.drift.DriftOptions;
import dev.harp.drift.DriftReport;
import dev.harp.drift.HarDrift;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mvn harp:diff -Dharp.diff.old=OLD -Dharp.diff.new=NEW}: what changed in the responses between two recordings
 * of the same requests, as the command line's {@code harp diff} reports it ({@link HarDrift}): two HAR files, or two
 * folders whose {@code *.har} files are paired by relative path. Needs no project, so it runs anywhere. Prints the
 * report; with {@code failOnDrift} a drift fails the build (for a nightly re-recording job).
 */
@Mojo(name = "diff", requiresProject = false, threadSafe = true)
public class DiffMojo extends AbstractMojo {

    /** The old recording: a HAR file or a folder of them. */
    @Parameter(alias = "old", property = "harp.diff.old", required = true)
    File oldRecording;

    /** The new recording: a HAR file or a folder of them. */
    @Parameter(alias = "new", property = "harp.diff.new", required = true)
    File newRecording;

    /** Fail the build when the recordings drifted; false (the default) prints the report only. */
    @Parameter(property = "harp.failOnDrift", defaultValue = "false")
    boolean failOnDrift;

    /** Count value changes (JSON values, array lengths, header values, non-JSON bodies) as drift too. */
    @Parameter(property = "harp.diff.values", defaultValue = "false")
    boolean values;

    /** Compare timestamps and dates in JSON bodies too. */
    @Parameter(property = "harp.diff.compareTimestamps", defaultValue = "false")
    boolean compareTimestamps;

    /** Response body parts not compared, e.g. {@code $.meta.build}, as replay's {@code ignoreJsonPaths} names them. */
    @Parameter(property = "harp.ignoreJsonPaths")
    List<String> ignoreJsonPaths;

    /** Response headers not compared, beside Date, Expires, ETag, request ids and the like. */
    @Parameter(property = "harp.diff.ignoreHeaders")
    List<String> ignoreHeaders;

    /** Query parameters left out when requests are paired, as replay's {@code ignoreQueryParams}. */
    @Parameter(property = "harp.ignoreQueryParams")
    List<String> ignoreQueryParams;

    /** Body bytes read per side file or decoded per compressed body, as on replay. */
    @Parameter(property = "harp.captureLimit")
    Long captureLimit;

    /** Also write the report as JSON to this file (the command line's {@code --json}). */
    @Parameter(property = "harp.diff.jsonFile")
    File jsonFile;

    /** Skip the comparison. */
    @Parameter(property = "harp.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Harp: diff skipped (harp.skip)");
            return;
        }
        DriftReport report;
        try {
            DriftOptions.Builder options = DriftOptions.builder().values(values).timestamps(compareTimestamps);
            if (ignoreJsonPaths != null) {
                options.ignoreJsonPaths(ignoreJsonPaths);
            }
            if (ignoreHeaders != null) {
                options.ignoreHeaders(ignoreHeaders);
            }
            if (ignoreQueryParams != null) {
                options.ignoreQueryParams(ignoreQueryParams);
            }
            if (captureLimit != null) {
                options.captureLimit(captureLimit);
            }
            report = HarDrift.compare(oldRecording.toPath(), newRecording.toPath(), options.build());
            if (jsonFile != null) {
                Path json = jsonFile.toPath();
                if (json.getParent() != null) {
                    Files.createDirectories(json.getParent());
                }
                Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("Harp: cannot compare " + oldRecording + " with " + newRecording + ": "
                    + e.getMessage(), e);
        }
        List<String> lines = report.describe().lines().toList();
        for (String line : lines.subList(0, lines.size() - 1)) {
            if (failOnDrift && report.hasDrift()) {
                getLog().error(line);
            } else if (report.hasDrift()) {
                getLog().warn(line);
            } else {
                getLog().info(line);
            }
        }
        if (!report.hasDrift()) {
            getLog().info(report.summary());
        } else if (failOnDrift) {
            throw new MojoFailureException(report.summary() + " (-Dharp.failOnDrift=false only prints it)");
        } else {
            getLog().warn(report.summary());
        }
    }
}
