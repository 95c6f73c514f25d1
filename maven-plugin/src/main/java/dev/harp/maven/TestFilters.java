package dev.harp.maven;

import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Whether a project's own POM narrows or skips its tests, so that {@code harp:prune} refuses as it does for
 * {@code -Dtest}: after such a build, fixtures of tests that never run still look unused. Looks at the
 * {@code maven-surefire-plugin} and {@code maven-failsafe-plugin} configuration (plugin-wide and per execution) for
 * {@code test}, {@code groups}, {@code excludedGroups}, a true {@code skip}/{@code skipTests}/{@code skipITs}/
 * {@code skipExec}; and at the project properties {@code skipTests}, {@code skipITs}, {@code maven.test.skip}. A value
 * left as an unresolved {@code ${...}} expression is taken as unset. Includes and excludes are not refused (the usual
 * split of unit tests and ITs uses them): a test class they leave out keeps its fixtures because it exists among the
 * compiled test classes, and shared fixtures are pruned only when every Harp test class ran ({@code BuildUsage}).
 */
final class TestFilters {
    private static final Set<String> RUNNERS = Set.of("maven-surefire-plugin", "maven-failsafe-plugin");
    private static final List<String> FILTERS = List.of("test", "it.test", "groups", "excludedGroups");
    private static final List<String> SKIPS = List.of("skip", "skipTests", "skipITs", "skipExec");
    private static final List<String> SKIP_PROPERTIES = List.of("skipTests", "skipITs", "maven.test.skip");

    private TestFilters() {
    }

    /**
     * @param project the project (null: nothing known, nothing narrowed)
     * @return the first setting that narrows or skips tests, e.g.
     *         {@code maven-failsafe-plugin <groups>fast</groups>}, or null
     */
    static String narrowing(MavenProject project) {
        if (project == null) {
            return null;
        }
        Properties properties = project.getProperties();
        if (properties != null) {
            for (String name : SKIP_PROPERTIES) {
                if (isTrue(properties.getProperty(name))) {
                    return "the project property " + name + "=" + properties.getProperty(name).strip();
                }
            }
        }
        List<Plugin> plugins = project.getBuildPlugins();
        for (Plugin plugin : plugins == null ? List.<Plugin>of() : plugins) {
            if (!RUNNERS.contains(plugin.getArtifactId())) {
                continue;
            }
            String found = narrowing(plugin.getArtifactId(), "", plugin.getConfiguration());
            if (found != null) {
                return found;
            }
            for (PluginExecution execution : plugin.getExecutions()) {
                found = narrowing(plugin.getArtifactId(), " (execution " + execution.getId() + ")",
                        execution.getConfiguration());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String narrowing(String plugin, String where, Object configuration) {
        if (!(configuration instanceof Xpp3Dom dom)) {
            return null;
        }
        String prefix = plugin + where + " ";
        for (String name : FILTERS) {
            String value = value(dom.getChild(name));
            if (value != null) {
                return prefix + "<" + name + ">" + value + "</" + name + ">";
            }
        }
        for (String name : SKIPS) {
            String value = value(dom.getChild(name));
            if (isTrue(value)) {
                return prefix + "<" + name + ">" + value + "</" + name + ">";
            }
        }
        return null;
    }

    /** @return the element's text, or null when absent, blank or an unresolved expression */
    private static String value(Xpp3Dom element) {
        String value = element == null ? null : element.getValue();
        if (value == null || value.isBlank() || value.strip().startsWith("${")) {
            return null;
        }
        return value.strip();
    }

    private static boolean isTrue(String value) {
        return value != null && value.strip().equalsIgnoreCase("true");
    }
}
