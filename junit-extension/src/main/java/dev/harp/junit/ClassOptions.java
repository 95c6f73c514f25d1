package dev.harp.junit;

import dev.harp.Mode;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The options that name a class's fixtures, read from annotations alone (for a launcher listener, which sees
 * classes that did not run, or tests that were filtered out), found as {@link OptionsLookup} finds them:
 * its own {@link Harp @Harp}, else a {@code @RegisterExtension HarpExtension} field (its options are built in
 * code and cannot be read without running it: the defaults stand in), else the closest enclosing class's
 * {@code @Harp}, else the defaults of an {@code @ExtendWith(HarpExtension.class)}.
 */
record ClassOptions(String directory, String har, Mode mode) {
    /** @return the class's options, or null when it does not use Harp */
    static ClassOptions of(Class<?> type) {
        Optional<Harp> own = OptionsLookup.annotation(type);
        if (own.isPresent()) {
            return of(own.get());
        }
        boolean extended = false;
        for (Class<?> c = type; c != null; c = nestedIn(c)) {
            if (hasExtensionField(c)) {
                return defaults();
            }
            extended |= extendsWithHarp(c);
        }
        for (Class<?> c = nestedIn(type); c != null; c = nestedIn(c)) {
            Optional<Harp> enclosing = OptionsLookup.annotation(c);
            if (enclosing.isPresent()) {
                return of(enclosing.get());
            }
        }
        return extended ? defaults() : null;
    }

    /**
     * @param method a test method of a class that uses Harp
     * @return the method's own {@code @Harp} when it has one (the closest wins, as for a test that runs), else these
     */
    ClassOptions forMethod(Method method) {
        return OptionsLookup.annotation(method).map(ClassOptions::of).orElse(this);
    }

    /** @return whether one explicit HAR file serves every test */
    boolean sharedHar() {
        return !har.isBlank();
    }

    /**
     * @param base      the base directory
     * @param testClass the test class
     * @return its folder {@code <directory>/<Class>}, or the shared HAR file
     */
    Path classFixtures(Path base, Class<?> testClass) {
        return FixtureNames.classFixtures(base, directory, har, testClass);
    }

    /**
     * @param base      the base directory
     * @param testClass the test class
     * @param method    a plain {@code @Test} method
     * @return its fixture {@code <directory>/<Class>/<method>.har}, or the shared HAR file
     */
    Path testFixture(Path base, Class<?> testClass, Method method) {
        return sharedHar() ? classFixtures(base, testClass)
                : classFixtures(base, testClass).resolve(method.getName() + ".har");
    }

    private static ClassOptions defaults() {
        HarpOptions defaults = HarpOptions.defaults();
        return new ClassOptions(defaults.directory(), defaults.har(), defaults.mode());
    }

    private static ClassOptions of(Harp harp) {
        return new ClassOptions(harp.directory(), harp.har(), harp.mode());
    }

    /** @return the class a {@code @Nested} (inner) class runs inside, or null */
    private static Class<?> nestedIn(Class<?> type) {
        return type.isMemberClass() && !Modifier.isStatic(type.getModifiers()) ? type.getEnclosingClass() : null;
    }

    private static boolean hasExtensionField(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType() == HarpExtension.class && field.isAnnotationPresent(RegisterExtension.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean extendsWithHarp(Class<?> type) {
        return AnnotationSupport.findRepeatableAnnotations(type, ExtendWith.class).stream()
                .anyMatch(e -> Arrays.asList(e.value()).contains(HarpExtension.class));
    }
}
