package dev.harp;

import java.util.Map;
import java.util.Objects;

/**
 * The mode in force and where it came from.
 *
 * <p>Precedence, highest first: an explicit command-line {@code --mode}; the system property {@code harp.mode};
 * the environment variable {@code HARP_MODE}; what the annotation or build file says; the default {@code auto}.
 * {@code auto} then acts as {@code replay} when the environment variable {@code CI} is {@code true}, so CI never
 * records. The environment and properties are passed in, never read behind the caller's back, so tests can
 * inject them.
 *
 * @param requested the mode asked for, after precedence
 * @param effective the mode that runs ({@code replay} for {@code auto} on CI)
 * @param source    a short human explanation, e.g. {@code "HARP_MODE=record"} or {@code "auto, CI=true"}
 */
public record ModeResolution(Mode requested, Mode effective, String source) {
    /** Name of the system property that overrides annotations and build files. */
    public static final String PROPERTY = "harp.mode";
    /** Name of the environment variable that overrides annotations and build files. */
    public static final String ENVIRONMENT = "HARP_MODE";

    /** Checks the values. */
    public ModeResolution {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Resolves the mode.
     *
     * @param explicit   a mode given on the command line, which wins over everything; or null
     * @param configured the mode an annotation or a build file asks for; or null for the default
     * @param properties system properties (only {@code harp.mode} is read)
     * @param env        the environment (only {@code HARP_MODE} and {@code CI} are read)
     * @throws IllegalArgumentException when an override names no mode, naming where it came from
     */
    public static ModeResolution resolve(Mode explicit, Mode configured, Map<String, String> properties,
                                         Map<String, String> env) {
        Mode requested;
        String source;
        String prop = properties.get(PROPERTY);
        String envMode = env.get(ENVIRONMENT);
        if (explicit != null) {
            requested = explicit;
            source = "--mode " + explicit.cliName();
        } else if (prop != null && !prop.isBlank()) {
            requested = parse(prop, "system property " + PROPERTY);
            source = "-D" + PROPERTY + "=" + requested.cliName();
        } else if (envMode != null && !envMode.isBlank()) {
            requested = parse(envMode, "environment variable " + ENVIRONMENT);
            source = ENVIRONMENT + "=" + requested.cliName();
        } else if (configured != null) {
            requested = configured;
            source = "configured " + configured.cliName();
        } else {
            requested = Mode.AUTO;
            source = "default auto";
        }
        if (requested == Mode.AUTO && "true".equalsIgnoreCase(String.valueOf(env.get("CI")).trim())) {
            return new ModeResolution(requested, Mode.REPLAY, source + ", acting as replay because CI=true");
        }
        return new ModeResolution(requested, requested, source);
    }

    private static Mode parse(String text, String where) {
        try {
            return Mode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Resolves against this JVM's real system properties and environment. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ModeResolution resolveFromSystem(Mode explicit, Mode configured) {
        return resolve(explicit, configured, (Map) System.getProperties(), System.getenv());
    }
}
