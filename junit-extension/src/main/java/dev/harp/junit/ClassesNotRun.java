package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.ModeResolution;
import dev.harp.options.Face;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Usage data for the tests of Harp classes that never ran, which JUnit tells no extension about, so their fixture
 * files would look unused and pruning would delete them:
 * <ul>
 *   <li>a class whose tests never ran: disabled ({@code @Disabled}, or any class-level condition), its
 *       {@code @BeforeAll} (or constructor, or an enclosing class's) failed, or aborted; and the {@code @Nested}
 *       classes inside it. Written as the class's fixture folder ({@code <directory>/<Class>}), or its shared
 *       {@code har} file, with the outcome {@code SKIPPED}, {@code FAILED} or {@code ABORTED};</li>
 *   <li>a test template or factory ({@code @ParameterizedTest}, {@code @RepeatedTest}, {@code @TestFactory}, ...)
 *       that failed as a container (its argument source or factory threw): its class folder, {@code FAILED} or
 *       {@code ABORTED}, as its invocations' files cannot be named;</li>
 *   <li>test methods and {@code @Nested} classes filtered out of the test plan (tags, {@code -Dtest=Class#method},
 *       an IDE running one method) while their class runs ({@link FilteredTests}): {@code SKIPPED}, naming a plain
 *       test's own file, a template's class folder, a nested class's folder.</li>
 * </ul>
 * A folder as {@code fixture} means every fixture under it belongs to a test that did not run.
 *
 * <p>Registered by the JUnit Platform launcher through {@link java.util.ServiceLoader}; not for direct use. It never
 * initialises a test class (it reads annotations and members of classes loaded without initialisation), writes
 * only for classes that use Harp, and never throws.
 */
public final class ClassesNotRun implements TestExecutionListener {
    private static final Logger LOG = LoggerFactory.getLogger(ClassesNotRun.class);

    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private volatile TestPlan plan;

    /** Made by the launcher. */
    public ClassesNotRun() {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        written.clear();
        try {
            FilteredTests.record(testPlan, this);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Harp could not record the tests filtered out of the run: {}", e.toString());
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        plan = null;
        written.clear();
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        if (isClass(identifier)) {
            notRun(identifier, FixtureUse.Outcome.SKIPPED);
        } else if (isMethodContainer(identifier)) {
            // a disabled factory (a disabled template is written by the extension, told by its TestWatcher)
            try {
                MethodSource source = (MethodSource) identifier.getSource().get();
                Class<?> type = load(source.getClassName());
                Optional<Method> method = type == null ? Optional.empty() : findMethod(type, source);
                if (method.isPresent() && TestMethods.isFactory(method.get())) {
                    templateNotRun(identifier, source, FixtureUse.Outcome.SKIPPED);
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("Harp could not record {}, which did not run: {}", identifier.getUniqueId(), e.toString());
            }
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return;
        }
        FixtureUse.Outcome outcome = result.getStatus() == TestExecutionResult.Status.ABORTED
                ? FixtureUse.Outcome.ABORTED : FixtureUse.Outcome.FAILED;
        if (isClass(identifier)) {
            notRun(identifier, outcome);
        } else if (isMethodContainer(identifier)) {
            templateNotRun(identifier, (MethodSource) identifier.getSource().get(), outcome);
        } else {
            dynamicNotRun(identifier, outcome);
        }
    }

    static boolean isClass(TestIdentifier identifier) {
        return identifier.isContainer() && identifier.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    private static boolean isMethodContainer(TestIdentifier identifier) {
        return identifier.isContainer() && identifier.getSource().filter(MethodSource.class::isInstance).isPresent();
    }

    /**
     * A dynamic test (or container) that failed: no extension hears of it, and its factory's use says passed. The
     * factory's class folder is written as failed, so its files are kept as those of a test that failed.
     */
    private void dynamicNotRun(TestIdentifier identifier, FixtureUse.Outcome outcome) {
        TestPlan current = plan;
        if (current == null || !identifier.getUniqueId().contains("/[dynamic-")) {
            return;
        }
        try {
            Optional<TestIdentifier> up = current.getParent(identifier);
            while (up.isPresent() && !isMethodContainer(up.get())) {
                up = current.getParent(up.get());
            }
            if (up.isPresent()) {
                templateNotRun(up.get(), (MethodSource) up.get().getSource().get(), outcome);
            }
        } catch (RuntimeException e) {
            LOG.debug("Harp could not record the factory of {}: {}", identifier.getUniqueId(), e.toString());
        }
    }

    private static Optional<Method> findMethod(Class<?> type, MethodSource source) {
        try {
            return ReflectionSupport.findMethod(type, source.getMethodName(), source.getMethodParameterTypes());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Writes the class and the classes nested in it (their tests did not run either, or not all of them). */
    private void notRun(TestIdentifier identifier, FixtureUse.Outcome outcome) {
        TestPlan current = plan;
        if (current == null) {
            return;
        }
        tryWrite(identifier, outcome);
        try {
            for (TestIdentifier child : current.getDescendants(identifier)) {
                if (isClass(child)) {
                    tryWrite(child, outcome);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Harp could not record the classes nested in {}: {}", identifier.getUniqueId(), e.toString());
        }
    }

    /** One class: whatever goes wrong (a field type missing from the class path, say) is a DEBUG line. */
    private void tryWrite(TestIdentifier identifier, FixtureUse.Outcome outcome) {
        try {
            Optional<TestSource> source = identifier.getSource();
            if (source.isEmpty() || written.contains(identifier.getUniqueId())) {
                return;
            }
            Class<?> type = load(((ClassSource) source.get()).getClassName());
            ClassOptions options = type == null ? null : ClassOptions.of(type);
            if (options != null) { // else not a Harp class: nothing of it is a fixture
                write(type, options, options.classFixtures(base(), type), type.getName(), identifier.getUniqueId(),
                        outcome);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Harp could not record {}, which did not run: {}", identifier.getUniqueId(), e.toString());
        }
    }

    /** A template or factory that failed as a container: its class folder (or shared file). */
    private void templateNotRun(TestIdentifier identifier, MethodSource source, FixtureUse.Outcome outcome) {
        try {
            Class<?> type = load(source.getClassName());
            ClassOptions options = type == null ? null : ClassOptions.of(type);
            if (options == null) {
                return;
            }
            Optional<Method> method = findMethod(type, source);
            if (method.isPresent()) {
                options = options.forMethod(method.get());
            }
            write(type, options, options.classFixtures(base(), type),
                    type.getSimpleName() + "." + source.getMethodName() + "()", identifier.getUniqueId(), outcome);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Harp could not record {}, which did not run: {}", identifier.getUniqueId(), e.toString());
        }
    }

    /** @return the run's configuration parameters (none outside a run) */
    Function<String, Optional<String>> parameters() {
        TestPlan current = plan;
        return current == null ? k -> Optional.empty() : current.getConfigurationParameters()::get;
    }

    /** @return the run's base directory */
    Path base() {
        return RunSettings.baseDirectory(parameters());
    }

    /**
     * Writes one use of a fixture by a test (or class) that did not run, once per {@code userId} and fixture.
     *
     * @param type    the test class
     * @param options its options (or the test method's)
     * @param fixture the fixture: a file, or a folder standing for every file under it
     * @param user    who would have used it, for people
     * @param userId  the JUnit unique id of who would have used it
     * @param outcome why it was not used
     */
    void write(Class<?> type, ClassOptions options, Path fixture, String user, String userId,
               FixtureUse.Outcome outcome) {
        if (!written.add(userId + " " + fixture)) {
            return;
        }
        Function<String, Optional<String>> parameters = parameters();
        Optional<Path> folder = UsageRecords.folder(parameters, UsageRecords.codeSource(type));
        if (folder.isEmpty()) {
            return;
        }
        Mode mode = Mode.REPLAY;
        String modeSource = "not run";
        try {
            ModeResolution resolution = RunSettings.mode(parameters, options.mode());
            mode = resolution.effective();
            modeSource = resolution.source();
        } catch (IllegalArgumentException e) {
            LOG.debug("Harp: no mode for {}: {}", type.getName(), e.getMessage());
        }
        FixtureUse use = FixtureUse.builder(fixture, Face.JUNIT, user)
                .userId(userId)
                .outcome(outcome)
                .mode(mode, modeSource)
                .existed(Files.exists(fixture))
                .selection(UsageRecords.selection(System.getProperties()))
                .build();
        try {
            UsageLog.at(folder.get()).write(use);
        } catch (Exception e) {
            LOG.debug("Harp could not write usage data under {}: {}", folder.get(), e.toString());
        }
    }

    /** @return the class, loaded but not initialised, or null when it cannot be loaded */
    static Class<?> load(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, loader != null ? loader : ClassesNotRun.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("Harp: cannot load {} to tell whether it uses Harp: {}", name, e.toString());
            return null;
        }
    }
}
