package dev.harp.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

/**
 * Finds the options in force: the closest {@link Harp @Harp} wins. For a test: its method (directly or through a
 * meta-annotation), else its class. For a class: its own (inherited from superclasses or meta-present), else the
 * options given to a programmatic {@link HarpExtension}, else the closest enclosing class's, else the defaults.
 */
final class OptionsLookup {
    private OptionsLookup() {
    }

    /**
     * @param element a class or method
     * @return its {@code @Harp}, directly present, meta-present or inherited
     */
    static Optional<Harp> annotation(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, Harp.class);
    }

    /**
     * @param context      a class context
     * @param programmatic the options of a registered {@link HarpExtension}, or null
     * @return the class's options
     */
    static HarpOptions forClass(ExtensionContext context, HarpOptions programmatic) {
        Class<?> testClass = context.getRequiredTestClass();
        Optional<Harp> own = annotation(testClass);
        if (own.isPresent()) {
            return parse(own.get(), testClass);
        }
        if (programmatic != null) {
            return programmatic;
        }
        for (Optional<ExtensionContext> p = context.getParent(); p.isPresent(); p = p.get().getParent()) {
            Optional<Class<?>> enclosing = p.get().getTestClass();
            if (enclosing.isEmpty()) {
                break;
            }
            Optional<Harp> found = annotation(enclosing.get());
            if (found.isPresent()) {
                return parse(found.get(), enclosing.get());
            }
        }
        return HarpOptions.defaults();
    }

    /**
     * @param context      a test's context
     * @param programmatic the options of a registered {@link HarpExtension}, or null
     * @return the test's options
     */
    static HarpOptions forTest(ExtensionContext context, HarpOptions programmatic) {
        Optional<Harp> own = annotation(context.getRequiredTestMethod());
        if (own.isPresent()) {
            return parse(own.get(), context.getRequiredTestMethod());
        }
        return forClass(classContext(context), programmatic);
    }

    /**
     * @param context a test's (or test template invocation's) context
     * @return the context of the class it runs in
     */
    static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static HarpOptions parse(Harp annotation, AnnotatedElement where) {
        try {
            return HarpOptions.from(annotation);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("Harp: invalid @Harp on " + where + ": " + e.getMessage(), e);
        }
    }
}
