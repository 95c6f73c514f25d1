package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.ModeResolution;
import dev.harp.options.Face;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Usage data for Harp test classes whose tests never ran: a disabled class ({@code @Disabled}, or any class-level
 * condition), a class whose {@code @BeforeAll} (or constructor, or an enclosing class's) failed, an aborted class;
 * and the {@code @Nested} classes inside them. JUnit calls no extension for these, so without this listener their
 * fixture files would look unused and pruning would delete them. For each such class this writes one
 * {@link FixtureUse} naming the class's fixture folder ({@code <directory>/<Class>}), or its shared {@code har}
 * file, with the outcome {@code SKIPPED}, {@code FAILED} or {@code ABORTED}: a folder as {@code fixture} means every
 * fixture under it belongs to a class that did not run.
 *
 * <p>Registered by the JUnit Platform launcher through {@link java.util.ServiceLoader}; not for direct use. It works
 * only for skipped, failed and aborted class containers, never initialises a test class (it reads annotations and
 * field types of classes loaded without initialisation), writes only for classes that use Harp, and never throws.
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
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && isClass(identifier)) {
            notRun(identifier, result.getStatus() == TestExecutionResult.Status.ABORTED
                    ? FixtureUse.Outcome.ABORTED : FixtureUse.Outcome.FAILED);
        }
    }

    private static boolean isClass(TestIdentifier identifier) {
        return identifier.isContainer() && identifier.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    /** Writes the class and the classes nested in it (their tests did not run either, or not all of them). */
    private void notRun(TestIdentifier identifier, FixtureUse.Outcome outcome) {
        TestPlan current = plan;
        if (current == null) {
            return;
        }
        Function<String, Optional<String>> parameters = current.getConfigurationParameters()::get;
        tryWrite(identifier, outcome, parameters);
        try {
            for (TestIdentifier child : current.getDescendants(identifier)) {
                if (isClass(child)) {
                    tryWrite(child, outcome, parameters);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Harp could not record the classes nested in {}: {}", identifier.getUniqueId(), e.toString());
        }
    }

    /** One class: whatever goes wrong (a field type missing from the class path, say) is a DEBUG line. */
    private void tryWrite(TestIdentifier identifier, FixtureUse.Outcome outcome,
                          Function<String, Optional<String>> parameters) {
        try {
            write(identifier, outcome, parameters);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Harp could not record {}, which did not run: {}", identifier.getUniqueId(), e.toString());
        }
    }

    private void write(TestIdentifier identifier, FixtureUse.Outcome outcome,
                       Function<String, Optional<String>> parameters) {
        Optional<TestSource> source = identifier.getSource();
        if (source.isEmpty() || written.contains(identifier.getUniqueId())) {
            return;
        }
        Class<?> type = load(((ClassSource) source.get()).getClassName());
        if (type == null) {
            return;
        }
        ClassOptions options = ClassOptions.of(type);
        if (options == null) {
            return; // not a Harp class: nothing of it is a fixture
        }
        if (!written.add(identifier.getUniqueId())) {
            return;
        }
        Path fixture = FixtureNames.classFixtures(RunSettings.baseDirectory(parameters), options.directory,
                options.har, type);
        Optional<Path> folder = UsageRecords.folder(parameters, UsageRecords.codeSource(type));
        if (folder.isEmpty()) {
            return;
        }
        Mode mode = Mode.REPLAY;
        String modeSource = "not run";
        try {
            ModeResolution resolution = RunSettings.mode(parameters, options.mode);
            mode = resolution.effective();
            modeSource = resolution.source();
        } catch (IllegalArgumentException e) {
            LOG.debug("Harp: no mode for {}: {}", type.getName(), e.getMessage());
        }
        FixtureUse use = FixtureUse.builder(fixture, Face.JUNIT, type.getName())
                .userId(identifier.getUniqueId())
                .outcome(outcome)
                .mode(mode, modeSource)
                .existed(options.har.isBlank() ? Files.isDirectory(fixture) : Files.isRegularFile(fixture))
                .selection(UsageRecords.selection(System.getProperties()))
                .build();
        try {
            UsageLog.at(folder.get()).write(use);
        } catch (Exception e) {
            LOG.debug("Harp could not write usage data under {}: {}", folder.get(), e.toString());
        }
    }

    /** @return the class, loaded but not initialised, or null when it cannot be loaded */
    private static Class<?> load(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, loader != null ? loader : ClassesNotRun.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("Harp: cannot load {} to tell whether it uses Harp: {}", name, e.toString());
            return null;
        }
    }

    /**
     * The options of a class that did not run that name its fixtures, found as {@link OptionsLookup} finds them:
     * its own {@link Harp @Harp}, else a {@code @RegisterExtension HarpExtension} field (its options are built in
     * code and cannot be read without running it: the defaults stand in), else the closest enclosing class's
     * {@code @Harp}, else the defaults of an {@code @ExtendWith(HarpExtension.class)}.
     */
    private record ClassOptions(String directory, String har, Mode mode) {
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
}
