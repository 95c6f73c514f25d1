package dev.harp.junit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;

/**
 * Which methods of a class Jupiter runs as tests, and of which kind, told from annotations alone (directly present
 * or meta-present, so {@code @ParameterizedTest} and {@code @RepeatedTest} count as templates). Mirrors Jupiter's
 * own rules: not static, not private, not abstract; {@code @Test} and templates return {@code void}, factories
 * do not.
 */
final class TestMethods {
    /** How a test method's fixtures are named. */
    enum Kind {
        /** A plain {@code @Test}: one fixture, {@code <Class>/<method>.har}. */
        TEST,
        /**
         * A {@code @TestTemplate} (parameterized, repeated, ...) or {@code @TestFactory}: fixtures per invocation
         * ({@code <method>_1_Tokyo.har}), known only by running it, so it is named by the class folder.
         */
        TEMPLATE
    }

    private TestMethods() {
    }

    /**
     * @param method any method
     * @return its kind, or empty when Jupiter would not run it as a test
     */
    static Optional<Kind> kind(Method method) {
        int modifiers = method.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers) || Modifier.isAbstract(modifiers)) {
            return Optional.empty();
        }
        boolean returnsVoid = method.getReturnType() == void.class;
        if (returnsVoid && AnnotationSupport.isAnnotated(method, Test.class)) {
            return Optional.of(Kind.TEST);
        }
        if (returnsVoid && AnnotationSupport.isAnnotated(method, TestTemplate.class)
                || !returnsVoid && AnnotationSupport.isAnnotated(method, TestFactory.class)) {
            return Optional.of(Kind.TEMPLATE);
        }
        return Optional.empty();
    }

    /**
     * @param type a test class
     * @return its test methods, declared and inherited (overridden ones once), superclasses first
     */
    static List<Method> of(Class<?> type) {
        return ReflectionSupport.findMethods(type, m -> kind(m).isPresent(), HierarchyTraversalMode.TOP_DOWN);
    }

    /**
     * @param type a test class
     * @return its {@code @Nested} classes, declared and inherited
     */
    static List<Class<?>> nested(Class<?> type) {
        return ReflectionSupport.findNestedClasses(type, c -> c.isAnnotationPresent(Nested.class)
                && !Modifier.isStatic(c.getModifiers()) && !Modifier.isPrivate(c.getModifiers()));
    }

    /**
     * @param method any method
     * @return whether Jupiter runs it as a {@code @TestFactory} (JUnit tells no {@code TestWatcher} about those)
     */
    static boolean isFactory(Method method) {
        return method.getReturnType() != void.class && kind(method).orElse(null) == Kind.TEMPLATE;
    }

    /**
     * @param context a context JUnit handed an extension
     * @return whether it is a test template's or factory's own context (the container of its invocations), not
     *         one invocation's and not a plain test's
     */
    static boolean isTemplateContainer(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        boolean invocation = context.getParent().flatMap(ExtensionContext::getTestMethod).isPresent();
        return method.isPresent() && !invocation && kind(method.get()).orElse(null) == Kind.TEMPLATE;
    }
}
