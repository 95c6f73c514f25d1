package dev.harp.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The properties by which Surefire and Failsafe narrow a run to some tests ({@code -Dtest}, {@code -Dit.test},
 * {@code -Dgroups}, {@code -DexcludedGroups}), in one place for every face: the JUnit extension records them in each
 * use (the forked JVM sees the {@code -D} values), {@code harp:stop} records them from the Maven session, and
 * {@code harp:prune} refuses to run in a build narrowed by them. A use with a selection is never taken as proof that
 * the entries it did not use are unused by the whole build.
 */
public final class Selection {
    /** The narrowing properties, in the order {@link #describe} lists them. */
    public static final List<String> PROPERTIES = List.of("test", "it.test", "groups", "excludedGroups");

    private Selection() {
    }

    /**
     * @param lookup a property's value by name (system properties, a Maven session's user properties); null or blank
     *               when unset
     * @return the narrowing properties set, e.g. {@code it.test=OrderIT groups=fast}, or empty when none is
     */
    public static String describe(Function<String, String> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        List<String> parts = new ArrayList<>();
        for (String name : PROPERTIES) {
            String value = lookup.apply(name);
            if (value != null && !value.isBlank()) {
                parts.add(name + "=" + value.strip());
            }
        }
        return String.join(" ", parts);
    }

    /**
     * @param lookup a property's value by name
     * @return the first narrowing property set, e.g. {@code test=OrderIT}, or null when none is
     */
    public static String first(Function<String, String> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        for (String name : PROPERTIES) {
            String value = lookup.apply(name);
            if (value != null && !value.isBlank()) {
                return name + "=" + value.strip();
            }
        }
        return null;
    }
}
