package dev.harp.junit.testing;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs scenario classes through the Jupiter engine with {@link EngineTestKit}, isolated from the machine: fixtures
 * under a temporary base directory, no system properties or {@code junit-platform.properties}, and an empty
 * environment (CI runs with {@code CI=true}), plus the parameters given.
 */
public final class Scenarios {
    /** Configuration parameter that enables {@link Scenario} classes. */
    public static final String FLAG = "harp.test.scenario";

    private Scenarios() {
    }

    /**
     * @param basedir    the base directory fixtures are resolved against
     * @param parameters configuration parameters, e.g. {@code harp.mode}
     * @param classes    the scenario classes
     * @return the engine's events
     */
    public static EngineExecutionResults run(Path basedir, Map<String, String> parameters, Class<?>... classes) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(FLAG, "true");
        all.put("harp.basedir", basedir.toString());
        all.put("harp.environment.isolated", "true");
        all.putAll(parameters);
        return EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(all)
                .selectors(Arrays.stream(classes).map(DiscoverySelectors::selectClass).toArray(DiscoverySelector[]::new))
                .execute();
    }

    /**
     * @param results engine events
     * @return one line per failed test or container: its name and the failure's message
     */
    public static List<String> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream().map(Scenarios::describe).collect(Collectors.toList());
    }

    /**
     * @param results engine events
     * @return display names of the tests that passed
     */
    public static List<String> passed(EngineExecutionResults results) {
        return results.testEvents().succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName())
                .collect(Collectors.toList());
    }

    private static String describe(Event event) {
        String message = event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
                .orElse("(no throwable)");
        return event.getTestDescriptor().getDisplayName() + " -> " + message;
    }

    /** @param parameters alternating keys and values @return them as a map */
    public static Map<String, String> params(String... parameters) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < parameters.length; i += 2) {
            map.put(parameters[i], parameters[i + 1]);
        }
        return map;
    }
}
