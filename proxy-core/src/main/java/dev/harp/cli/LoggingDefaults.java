package dev.harp.cli;

/**
 * Logging defaults of the executable jar only (the library never configures logging): Harp's own lines at INFO
 * on standard error, Undertow and XNIO at WARN, both routed through SLF4J. A user's {@code -D} settings win.
 */
final class LoggingDefaults {
    private LoggingDefaults() {
    }

    static void apply() {
        setIfAbsent("org.jboss.logging.provider", "slf4j");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.io.undertow", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.xnio", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.jboss", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.jdk.internal.httpclient", "warn");
    }

    static void verbose() {
        System.setProperty("org.slf4j.simpleLogger.log.dev.harp", "debug");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
