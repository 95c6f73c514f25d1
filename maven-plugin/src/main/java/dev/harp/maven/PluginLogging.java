package dev.harp.maven;

/**
 * Routes the JBoss Logging of Undertow and XNIO inside this plugin to SLF4J, which Maven provides, so their lines
 * come out as Maven's {@code [INFO]}/{@code [WARNING]} instead of in java.util.logging's two-line format. JBoss
 * Logging picks its back end once, when its {@code LoggerProviders} class is initialised; the plugin has its own copy
 * of that class in its class realm, so the system property is set only around that initialisation and then put back:
 * other plugins in the same Maven JVM see no change.
 */
final class PluginLogging {
    private static final String PROVIDER = "org.jboss.logging.provider";

    private PluginLogging() {
    }

    static synchronized void routeJbossLoggingToMaven() {
        String before = System.getProperty(PROVIDER);
        if (before != null) {
            return; // the user chose a back end: keep it
        }
        System.setProperty(PROVIDER, "slf4j");
        try {
            Class.forName("org.jboss.logging.LoggerProviders", true, PluginLogging.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // Without JBoss Logging there is nothing to route.
        } finally {
            System.clearProperty(PROVIDER);
        }
    }
}
