package dev.harp.junit;

import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.jupiter.api.parallel.Resources;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The resource locks of {@link Harp @Harp} tests, for JUnit's parallel execution (declared on {@code @Harp}, so
 * nothing is needed in test code):
 * <ul>
 *   <li>{@code harp.proxy:<class>} read-write: the tests of one class share one proxy switched between their
 *       fixtures, so they run one after another;</li>
 *   <li>{@value #JVM} read-write plus {@link Resources#SYSTEM_PROPERTIES} read-write when the JVM is wired: such
 *       classes run alone among Harp tests and tests declaring those locks;</li>
 *   <li>{@value #JVM} read otherwise: classes without wiring run in parallel with each other, each with its own
 *       proxy, but never while the JVM points at some proxy.</li>
 * </ul>
 * A programmatic {@link HarpExtension} that wires the JVM cannot declare locks: annotate such classes with
 * {@code @ResourceLock(HarpLocks.JVM)} or run them without parallelism.
 */
public final class HarpLocks implements ResourceLocksProvider {
    /** The lock key for the JVM's proxy and TLS defaults. */
    public static final String JVM = "harp.jvm";
    /** Prefix of the per-class lock key. */
    public static final String CLASS_PREFIX = "harp.proxy:";

    /** Called by JUnit. */
    public HarpLocks() {
    }

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        return OptionsLookup.annotation(testClass).map(harp -> locks(harp, testClass)).orElse(Set.of());
    }

    @Override
    public Set<Lock> provideForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
        return provideForClass(testClass);
    }

    @Override
    public Set<Lock> provideForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
        Optional<Harp> own = OptionsLookup.annotation(testMethod);
        return own.map(harp -> locks(harp, testClass)).orElse(Set.of());
    }

    private static Set<Lock> locks(Harp harp, Class<?> testClass) {
        Lock own = new Lock(CLASS_PREFIX + testClass.getName(), ResourceAccessMode.READ_WRITE);
        if (harp.wireJvm()) {
            return Set.of(own, new Lock(JVM, ResourceAccessMode.READ_WRITE),
                    new Lock(Resources.SYSTEM_PROPERTIES, ResourceAccessMode.READ_WRITE));
        }
        return Set.of(own, new Lock(JVM, ResourceAccessMode.READ));
    }
}
