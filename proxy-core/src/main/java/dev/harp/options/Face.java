package dev.harp.options;

/**
 * A way of configuring Harp. Each face spells an option its own way: the command line uses its
 * {@linkplain HarpOption#cliFlag() flag}, the JUnit annotation and builder and the Maven plugin its
 * {@linkplain HarpOption#name() name}.
 */
public enum Face {
    /** {@code java -jar harp.jar --ignore-query-param ts}. */
    CLI,
    /** {@code @Harp(ignoreQueryParams = "ts")} and {@code HarpExtension.builder().ignoreQueryParams("ts")}. */
    JUNIT,
    /** {@code <ignoreQueryParams>ts</ignoreQueryParams>} in a POM (the plugin does not exist yet). */
    MAVEN
}
