package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.ModeResolution;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the run, rather than the annotation, decides: the mode override and the base directory. Read through
 * JUnit configuration parameters, which also see system properties and {@code junit-platform.properties}.
 */
final class RunSettings {
    /** Configuration parameter (or system property) naming the base directory for fixtures. */
    static final String BASEDIR = "harp.basedir";

    private RunSettings() {
    }

    /**
     * Resolves the mode of one test: {@code harp.mode}, else {@code HARP_MODE}, else the annotation's; {@code auto}
     * acts as {@code replay} when {@code CI=true}.
     *
     * @param context    the test's or class's context
     * @param configured the mode the annotation asks for
     * @return the mode in force and why
     */
    static ModeResolution mode(ExtensionContext context, Mode configured) {
        try {
            return mode(context::getConfigurationParameter, configured);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("Harp: " + e.getMessage(), e);
        }
    }

    /**
     * @param parameters the run's configuration parameters
     * @param configured the mode the options ask for
     * @return the mode in force and why, as {@link #mode(ExtensionContext, Mode)}
     * @throws IllegalArgumentException for a {@code harp.mode} or {@code HARP_MODE} that is no mode
     */
    static ModeResolution mode(Function<String, Optional<String>> parameters, Mode configured) {
        Map<String, String> properties = parameters.apply(ModeResolution.PROPERTY)
                .map(value -> Map.of(ModeResolution.PROPERTY, value))
                .orElse(Map.of());
        Map<String, String> env = Environment.from(parameters).snapshot(ModeResolution.ENVIRONMENT, "CI");
        return ModeResolution.resolve(null, configured, properties, env);
    }

    /**
     * The module's base directory: {@code harp.basedir}, else Surefire's {@code basedir} system property, else the
     * working directory.
     *
     * @param context any context of the run
     * @return an absolute directory
     */
    static Path baseDirectory(ExtensionContext context) {
        return baseDirectory(context::getConfigurationParameter);
    }

    /**
     * @param parameters the run's configuration parameters
     * @return the base directory, as {@link #baseDirectory(ExtensionContext)}
     */
    static Path baseDirectory(Function<String, Optional<String>> parameters) {
        String configured = parameters.apply(BASEDIR)
                .filter(value -> !value.isBlank())
                .orElseGet(() -> System.getProperty("basedir", System.getProperty("user.dir")));
        return Path.of(configured.strip()).toAbsolutePath().normalize();
    }
}
