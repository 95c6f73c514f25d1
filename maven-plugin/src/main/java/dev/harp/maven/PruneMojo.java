package dev.harp.maven;

import dev.harp.prune.PrunePlan;
import dev.harp.prune.PruneResult;
import dev.harp.prune.Pruning;
import dev.harp.usage.Selection;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import javax.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * {@code mvn harp:prune}: after a complete build, removes the fixture entries no test used and the fixture files no
 * test opened, as the build's usage data ({@code target/harp/uses}) says. A dry run unless {@code apply}
 * ({@code -Dharp.prune.apply=true}): it prints what it would remove and what it leaves alone, and why. Refuses when
 * this Maven run is itself narrowed ({@code -Dtest}, {@code -Dit.test}, {@code -Dgroups}, {@code -DexcludedGroups}:
 * {@link Selection#PROPERTIES}) or the project's Surefire/Failsafe configuration narrows or skips tests
 * ({@link TestFilters}), besides every rule the usage data imposes (see {@link PrunePlan}). Parameters are named as
 * for {@code harp:report}: {@code harp.usageDir}, {@code harp.fixtures}.
 */
@Mojo(name = "prune", threadSafe = true)
public class PruneMojo extends AbstractMojo {
    /** Properties that narrow a run to some tests: pruning after such a run could remove what other tests need. */
    static final List<String> NARROWING = Selection.PROPERTIES;

    /** The build's usage folder, where the tests' usage files are ({@code uses/*.json}). */
    @Parameter(property = "harp.usageDir", defaultValue = "${project.build.directory}/harp", required = true)
    File usageDir;

    /**
     * The folders of HAR fixtures to prune (files under them no test opened are removed); by default the JUnit
     * extension's fixture folder, so HARs kept elsewhere as plain test data are never touched.
     */
    @Parameter(property = "harp.fixtures", defaultValue = "${project.basedir}/src/test/resources/harp",
            required = true)
    List<File> fixtures;

    /** Where the compiled test classes are: a deleted test class is told from one that did not run. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", readonly = true)
    File testClasses;

    /** The project: its Surefire/Failsafe configuration says whether the build narrows or skips tests. */
    @Parameter(defaultValue = "${project}", readonly = true)
    MavenProject project;

    /** Remove what the dry run lists; false only prints it. */
    @Parameter(property = "harp.prune.apply", defaultValue = "false")
    boolean apply;

    /** Skip the goal. */
    @Parameter(property = "harp.skip", defaultValue = "false")
    boolean skip;

    /** The project's folder: paths are shown relative to it. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    File basedir;

    private final MavenSession session;

    /** @param session the build session (its command-line properties say whether the run is narrowed) */
    @Inject
    public PruneMojo(MavenSession session) {
        this.session = session;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Harp: prune skipped (harp.skip)");
            return;
        }
        String narrowed = narrowed(session.getUserProperties());
        if (narrowed != null) {
            throw new MojoFailureException("Harp: prune refuses to run in a build narrowed with -D" + narrowed
                    + ": tests that did not run may need what looks unused; run the complete build, then "
                    + "mvn harp:prune");
        }
        String configured = TestFilters.narrowing(project);
        if (configured != null) {
            throw new MojoFailureException("Harp: prune refuses to run: " + configured + " narrows or skips the "
                    + "project's tests, whose fixtures would look unused; remove it for a complete build, then "
                    + "mvn harp:prune");
        }
        Path usage = usageDir.toPath().toAbsolutePath().normalize();
        List<Path> folders = fixtures.stream().map(f -> f.toPath().toAbsolutePath().normalize()).toList();
        PrunePlan plan;
        try {
            if (!java.nio.file.Files.exists(usage) && !Pruning.anyFixture(folders)) {
                // a module without Harp (a parent POM, a library without HTTP tests) in a reactor-wide harp:prune
                getLog().info("Harp: nothing to prune here (no usage data in " + usage + ", no *.har fixtures)");
                return;
            }
            plan = Pruning.plan(usage, folders, UsageReport.testClassFolders(testClasses));
        } catch (IllegalArgumentException | IOException e) {
            throw new MojoExecutionException("Harp: prune: " + e.getMessage(), e);
        }
        Path base = basedir.toPath();
        if (!apply || plan.isEmpty()) {
            plan.describe(base).lines().forEach(line -> getLog().info(line));
            getLog().info(plan.isEmpty() ? "Harp: nothing to prune" : "Harp: dry run, nothing changed; "
                    + "-Dharp.prune.apply=true removes it");
            return;
        }
        PruneResult result = plan.apply(base);
        plan.describeKept(base).lines().forEach(line -> getLog().info(line));
        result.done().forEach(line -> getLog().info(line));
        result.refused().forEach(line -> getLog().error("refused: " + line));
        if (!result.complete()) {
            throw new MojoFailureException("Harp: " + result.summary());
        }
        getLog().info("Harp: " + result.summary());
    }

    /** @return the first property that narrows the run, or null */
    static String narrowed(Properties user) {
        return Selection.first(name -> user == null ? null : user.getProperty(name));
    }
}
