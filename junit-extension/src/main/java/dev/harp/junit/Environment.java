package dev.harp.junit;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The environment variables the extension reads ({@code HARP_MODE}, {@code CI}), behind a seam so tests never
 * depend on the machine they run on (CI runs with {@code CI=true}).
 *
 * <p>The JUnit configuration parameter {@code harp.environment.NAME} replaces the variable {@code NAME}, and
 * {@code harp.environment.isolated=true} hides the real environment altogether. Both exist for testing the
 * extension and a project's Harp set-up; ordinary builds use neither.
 */
final class Environment {
    /** Prefix of the configuration parameters that replace environment variables. */
    static final String PREFIX = "harp.environment.";
    /** Configuration parameter that hides the real environment. */
    static final String ISOLATED = PREFIX + "isolated";

    private final Function<String, Optional<String>> parameters;
    private final boolean isolated;

    private Environment(Function<String, Optional<String>> parameters) {
        this.parameters = parameters;
        this.isolated = parameters.apply(ISOLATED).map(Boolean::parseBoolean).orElse(false);
    }

    /**
     * @param context any extension context of the run
     * @return the environment as this run sees it
     */
    static Environment of(ExtensionContext context) {
        return new Environment(context::getConfigurationParameter);
    }

    /**
     * @param parameters the run's configuration parameters (a launcher listener has no extension context)
     * @return the environment as this run sees it
     */
    static Environment from(Function<String, Optional<String>> parameters) {
        return new Environment(parameters);
    }

    /**
     * @param name a variable name
     * @return its value, or null when unset
     */
    String get(String name) {
        return parameters.apply(PREFIX + name).orElseGet(() -> isolated ? null : System.getenv(name));
    }

    /**
     * @param names variable names
     * @return the set ones among them
     */
    Map<String, String> snapshot(String... names) {
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            String value = get(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }
}
