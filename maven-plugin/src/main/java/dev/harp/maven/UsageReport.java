package dev.harp.maven;

import dev.harp.report.BuildReport;
import org.apache.maven.plugin.logging.Log;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code harp:report} and {@code harp:verify} share: read a usage folder, write the page, log the summary. */
final class UsageReport {
    private UsageReport() {
    }

    /**
     * @param usageDir the usage folder
     * @param fixtures the fixture folders (files and missing folders are left out)
     * @param out      where the page and summary go
     * @param testClasses the compiled test classes ({@code ${project.build.testOutputDirectory}}), or null
     * @param basedir  the project's folder: paths are shown relative to it
     * @return the report written
     * @throws IOException when the usage folder cannot be read or the files cannot be written
     */
    static BuildReport write(File usageDir, List<File> fixtures, File testClasses, File out, File basedir, Log log)
            throws IOException {
        List<Path> roots = new ArrayList<>();
        if (fixtures != null) {
            for (File f : fixtures) {
                if (f.isDirectory()) {
                    roots.add(f.toPath());
                }
            }
        }
        BuildReport report = BuildReport.read(usageDir.toPath(), roots, testClassFolders(testClasses),
                basedir.toPath());
        BuildReport.Written written = report.write(out.toPath());
        for (String line : report.summaryLines(written.html())) {
            log.info(line);
        }
        return report;
    }

    /**
     * @param testClasses {@code ${project.build.testOutputDirectory}}, or null
     * @return it when it is a folder, else none (unknown: no test class can be told deleted)
     */
    static List<Path> testClassFolders(File testClasses) {
        return testClasses != null && testClasses.isDirectory()
                ? List.of(testClasses.toPath().toAbsolutePath().normalize()) : List.of();
    }

    /** @return whether the usage folder holds any usage file */
    static boolean hasData(File usageDir) {
        return BuildReport.hasUsageFiles(usageDir.toPath());
    }
}
