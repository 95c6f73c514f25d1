package dev.harp.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;

import java.util.List;
import java.util.Properties;

/** Whether {@code harp:start} and {@code harp:stop} are skipped, and why. */
final class Skips {
    /** Failsafe's and Surefire's flags: no integration tests run, so no proxy is needed. */
    private static final List<String> TEST_FLAGS = List.of("skipITs", "skipTests", "maven.test.skip");

    private Skips() {
    }

    /**
     * @param skip    the goal's own {@code skip} parameter ({@code -Dharp.skip})
     * @param session the session ({@code -D} flags)
     * @param project the project ({@code <properties>})
     * @return the flag that skips the goal, or null when it runs
     */
    static String reason(boolean skip, MavenSession session, MavenProject project) {
        if (skip) {
            return "harp.skip";
        }
        for (String flag : TEST_FLAGS) {
            if (Boolean.parseBoolean(value(flag, session, project))) {
                return flag;
            }
        }
        return null;
    }

    private static String value(String name, MavenSession session, MavenProject project) {
        for (Properties properties : new Properties[] {session.getUserProperties(), session.getSystemProperties(),
                project.getProperties()}) {
            String value = properties == null ? null : properties.getProperty(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
