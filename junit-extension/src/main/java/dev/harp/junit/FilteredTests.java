package dev.harp.junit;

import dev.harp.usage.FixtureUse;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tests of Harp classes that the run filtered out of its test plan while their class stays in it: a tag filter
 * ({@code <groups>}, {@code <excludedGroups>}), a method filter ({@code -Dtest=Class#method}), an IDE running one
 * method. They never appear in the run, so without a record their fixtures would look like orphans. When the plan
 * starts, each class container of a class that uses Harp has its test methods (declared and inherited, see
 * {@link TestMethods}) and {@code @Nested} classes compared with its children in the plan; each one missing is
 * written as {@code SKIPPED}: a plain test's own fixture, a template's or factory's class folder, a nested class's
 * folder (and those of the classes nested in it); a class sharing one {@code har} file names that file.
 *
 * <p>Class templates ({@code @ParameterizedClass}) are left out: their tests join the plan only when each
 * invocation runs, so the plan cannot tell what was filtered out of them.
 *
 * <p>Classes that are not Harp's cost one class lookup (already loaded by discovery) and a few annotation reads.
 * Classes missing from the plan altogether are not written here: whether they still exist is told elsewhere.
 */
final class FilteredTests {
    private static final Logger LOG = LoggerFactory.getLogger(FilteredTests.class);

    private FilteredTests() {
    }

    /**
     * @param plan the plan about to run
     * @param out  where the uses are written
     */
    static void record(TestPlan plan, ClassesNotRun out) {
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier identifier : plan.getDescendants(root)) {
                if (ClassesNotRun.isClass(identifier)) {
                    try {
                        classInPlan(plan, identifier, out);
                    } catch (RuntimeException | LinkageError e) {
                        LOG.debug("Harp could not tell which tests of {} were filtered out: {}",
                                identifier.getUniqueId(), e.toString());
                    }
                }
            }
        }
    }

    private static void classInPlan(TestPlan plan, TestIdentifier identifier, ClassesNotRun out) {
        Class<?> type = ClassesNotRun.load(((ClassSource) identifier.getSource().orElseThrow()).getClassName());
        ClassOptions options = type == null ? null : ClassOptions.of(type);
        if (options == null || AnnotationSupport.isAnnotated(type, ClassTemplate.class)) {
            return; // not a Harp class; or a class template, whose tests join the plan only as it runs
        }
        Set<String> methods = new HashSet<>();
        Set<String> classes = new HashSet<>();
        for (TestIdentifier child : plan.getChildren(identifier)) {
            Optional<TestSource> source = child.getSource();
            if (source.isPresent() && source.get() instanceof MethodSource method) {
                methods.add(key(method));
            } else if (source.isPresent() && source.get() instanceof ClassSource nested) {
                classes.add(nested.getClassName());
            }
        }
        Path base = out.base();
        String classId = identifier.getUniqueId();
        for (Method method : TestMethods.of(type)) {
            MethodSource source = MethodSource.from(type, method);
            if (methods.contains(key(source))) {
                continue;
            }
            ClassOptions own = options.forMethod(method);
            boolean plain = TestMethods.kind(method).orElseThrow() == TestMethods.Kind.TEST;
            String segment = plain ? "method" : method.getReturnType() == void.class ? "test-template" : "test-factory";
            out.write(type, own, plain ? own.testFixture(base, type, method) : own.classFixtures(base, type),
                    type.getSimpleName() + "." + method.getName() + "()",
                    classId + "/[" + segment + ":" + key(source) + "]", FixtureUse.Outcome.SKIPPED);
        }
        for (Class<?> nested : TestMethods.nested(type)) {
            if (!classes.contains(nested.getName())) {
                nestedFilteredOut(nested, classId + "/[nested-class:" + nested.getSimpleName() + "]", base, out);
            }
        }
    }

    /** A {@code @Nested} class missing from the plan, and the classes nested in it: their folders. */
    private static void nestedFilteredOut(Class<?> nested, String uniqueId, Path base, ClassesNotRun out) {
        ClassOptions options = ClassOptions.of(nested);
        if (options == null) {
            return;
        }
        out.write(nested, options, options.classFixtures(base, nested), nested.getName(), uniqueId,
                FixtureUse.Outcome.SKIPPED);
        for (Class<?> inner : TestMethods.nested(nested)) {
            nestedFilteredOut(inner, uniqueId + "/[nested-class:" + inner.getSimpleName() + "]", base, out);
        }
    }

    /** @return {@code name(parameter types)}, as Jupiter's method sources spell it */
    private static String key(MethodSource source) {
        return source.getMethodName() + "(" + source.getMethodParameterTypes() + ")";
    }
}
