package dev.harp.junit;

import dev.harp.ModeResolution;
import dev.harp.junit.State.ClassState;
import dev.harp.junit.State.TestState;
import dev.harp.usage.FixtureUse;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.Optional;

/**
 * The extension's work, kept apart from the public {@link HarpExtension} so that class stays a small API.
 *
 * <p>All state lives in the {@link Store} of the context that created it: a {@link ClassState} per test class
 * (nested classes reuse an enclosing class's proxy when their options allow, but always have their own state),
 * a {@link TestState} per test. Values are {@code AutoCloseable}, so JUnit closes them even if a callback below
 * never runs; the callbacks close them first, to turn what happened into failures.
 */
final class Lifecycle {
    static final Namespace NAMESPACE = Namespace.create(HarpExtension.class);

    private final HarpOptions programmatic;

    /** @param programmatic the options of a {@code @RegisterExtension} instance, or null for {@code @Harp} */
    Lifecycle(HarpOptions programmatic) {
        this.programmatic = programmatic;
        JvmShared.prepare(); // the CA and its client trust, made when first needed
    }

    void beforeAll(ExtensionContext context) throws Exception {
        Store store = context.getStore(NAMESPACE);
        ClassState enclosing = store.get(ClassState.class, ClassState.class);
        if (enclosing != null && enclosing.owner.equals(context.getUniqueId())) {
            throw new ExtensionConfigurationException("Harp: " + context.getRequiredTestClass().getName()
                    + " registers Harp twice (@Harp and a @RegisterExtension HarpExtension?); keep one");
        }
        HarpOptions options = OptionsLookup.forClass(context, programmatic);
        ModeResolution mode = RunSettings.mode(context, options.mode());
        String name = context.getRequiredTestClass().getSimpleName();
        Fixture start = new Fixture(FixtureNames.classPhase(context, options, "beforeAll"), mode,
                options.sharedHar() ? name : "@BeforeAll of " + name);
        Fixture parking = options.sharedHar() ? start
                : new Fixture(FixtureNames.classPhase(context, options, "afterAll"), mode, "@AfterAll of " + name);
        ClassState state;
        if (enclosing != null && enclosing.hosts(options, start) && options.sharedHar() == enclosing.options.sharedHar()) {
            if (!options.sharedHar()) {
                enclosing.noteOutsideTests(enclosing.proxy.switchTo(start), false);
            }
            state = new ClassState(context.getUniqueId(), options, enclosing.proxy, false, start, parking, enclosing);
        } else {
            ProxyHandle proxy = ProxyHandle.start(ProxyPool.of(context), RunSettings.baseDirectory(context),
                    options.proxy(), start);
            state = new ClassState(context.getUniqueId(), options, proxy, true, start, parking, enclosing);
        }
        store.put(ClassState.class, state);
    }

    void afterAll(ExtensionContext context) throws Exception {
        Store store = context.getStore(NAMESPACE);
        ClassState state = store.get(ClassState.class, ClassState.class);
        if (state == null || !state.owner.equals(context.getUniqueId())) {
            return;
        }
        store.remove(ClassState.class);
        if (state.ownsProxy) {
            SessionReport last = state.proxy.stop();
            if (last != null) {
                state.noteOutsideTests(last, true);
            }
        } else if (!state.options.sharedHar()) {
            state.noteOutsideTests(state.proxy.switchTo(state.parent.parking), true);
        } else {
            state.noteOutsideTests(state.proxy.takeNew().withUsage(state.proxy.cutUsage()), false);
        }
        Optional<String> problems = state.problems();
        FixtureUse.Outcome outcome = classOutcome(context, state, problems.isPresent());
        UsageRecords records = UsageRecords.of(context);
        for (UsageSlice slice : state.usage()) {
            records.classUsed(context, slice, slice.fixture().label(), outcome);
        }
        if (problems.isPresent()) {
            throw new AssertionFailedError(problems.get());
        }
    }

    void beforeEach(ExtensionContext context) throws Exception {
        Store store = context.getStore(NAMESPACE);
        if (store.get(TestState.class) != null) {
            return;
        }
        HarpOptions options = OptionsLookup.forTest(context, programmatic);
        ModeResolution mode = RunSettings.mode(context, options.mode());
        Fixture fixture = new Fixture(FixtureNames.test(context, options), mode, FixtureNames.label(context));
        ClassState owner = store.get(ClassState.class, ClassState.class);
        TestState state;
        if (owner != null && owner.hosts(options, fixture)) {
            if (owner.options.sharedHar()) {
                owner.noteOutsideTests(owner.proxy.takeNew().withUsage(owner.proxy.cutUsage()), false);
            } else {
                owner.noteOutsideTests(owner.proxy.switchTo(fixture), false);
            }
            state = new TestState(owner.proxy, false, options, fixture);
        } else {
            // a test's own proxy is its own: started for it and stopped after it, never shared through the pool
            ProxyHandle proxy = ProxyHandle.start(RunSettings.baseDirectory(context), options.proxy(), fixture);
            state = new TestState(proxy, true, options, fixture);
        }
        store.put(TestState.class, state);
    }

    void afterEach(ExtensionContext context) throws Exception {
        Store store = context.getStore(NAMESPACE);
        TestState state = store.remove(TestState.class, TestState.class);
        if (state == null) {
            return;
        }
        SessionReport report;
        boolean unusedFinal = true;
        if (state.ownsProxy()) {
            report = state.proxy().stop();
        } else {
            ClassState owner = store.get(ClassState.class, ClassState.class);
            if (owner.options.sharedHar()) {
                report = state.proxy().takeNew().as(state.fixture()).withUsage(state.proxy().cutUsage());
                unusedFinal = false;
            } else {
                report = state.proxy().switchTo(owner.parking);
            }
        }
        if (report == null) {
            return;
        }
        UsageRecords records = UsageRecords.of(context);
        records.testUsed(context, report.usage(), state.fixture().label());
        if (report.recorded() > 0) {
            context.publishReportEntry("harp.recorded", report.recorded() + " entries into " + report.fixture().path());
        }
        Optional<String> failure = Reports.failure(report, state.options().failOnMiss(), state.options().failOnUnused(),
                unusedFinal);
        if (context.getTestMethod().filter(TestMethods::isFactory).isPresent()) {
            // JUnit tells no TestWatcher how a factory ended: its use is written now, its dynamic tests having run
            // (one that failed is written by ClassesNotRun, as a failed use of the class folder)
            testEnded(context, factoryOutcome(context, failure.isPresent()));
        }
        if (failure.isPresent()) {
            throw new AssertionFailedError(failure.get());
        }
    }

    /**
     * A test or lifecycle method threw. If its replay fixture saw misses (and they fail tests), fail with them
     * instead, the method's own failure as the cause: the first thing a report shows is then which request missed
     * and why, not the {@code expected 200 but was 502} it led to. The misses are reported here once, not again
     * after the test.
     *
     * @param context the test's context, or the class's for {@code @BeforeAll}/{@code @AfterAll}
     * @param thrown  what the method threw
     * @throws Throwable the miss failure, or {@code thrown} unchanged
     */
    void leadWithMisses(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TestAbortedException || thrown instanceof VirtualMachineError) {
            throw thrown;
        }
        Store store = context.getStore(NAMESPACE);
        TestState test = store.get(TestState.class, TestState.class);
        ClassState owner = store.get(ClassState.class, ClassState.class);
        SessionReport report = null;
        if (test != null && test.options().failOnMiss() && test.fixture().replaysOnly()) {
            report = test.proxy().takeNew().as(test.fixture());
        } else if (test == null && owner != null && owner.options.failOnMiss() && owner.proxy.current().replaysOnly()) {
            report = owner.proxy.takeNew();
        }
        if (report == null || report.misses().isEmpty()) {
            throw thrown;
        }
        AssertionFailedError lead = new AssertionFailedError(Reports.misses(report)
                + "\n\nThe test then failed with (the cause below): " + thrown, thrown);
        lead.setStackTrace(thrown.getStackTrace()); // where the test failed, not where Harp noticed
        throw lead;
    }

    /**
     * A test ended (or was disabled): its use of its fixture is written with the outcome, and its class told. A
     * template or factory that never ran (disabled) has no use held: it is written for its class's folder.
     *
     * @param context the test's context
     * @param outcome how it ended
     */
    void testEnded(ExtensionContext context, FixtureUse.Outcome outcome) {
        Fixture fallback = null;
        try {
            HarpOptions options = OptionsLookup.forTest(context, programmatic);
            if (!TestMethods.isTemplateContainer(context)) {
                fallback = new Fixture(FixtureNames.test(context, options), RunSettings.mode(context, options.mode()),
                        FixtureNames.label(context));
            } else if (outcome != FixtureUse.Outcome.PASSED) {
                // a disabled (or failed) template or factory: its invocations' files cannot be named, its class
                // folder (or shared file) can, and a folder as fixture stands for every file under it
                fallback = new Fixture(FixtureNames.classFixtures(RunSettings.baseDirectory(context),
                        options.directory(), options.har(), context.getRequiredTestClass()),
                        RunSettings.mode(context, options.mode()), FixtureNames.label(context));
            }
        } catch (RuntimeException e) {
            // options that do not parse failed the test already; without them there is no fixture to name
        }
        UsageRecords.of(context).testEnded(context, outcome, fallback);
        context.getParent().map(parent -> parent.getStore(NAMESPACE).get(ClassState.class, ClassState.class))
                .ifPresent(owner -> owner.noteTestOutcome(outcome));
    }

    /** How a factory method ended, as far as its own context tells (its dynamic tests are not in it). */
    private static FixtureUse.Outcome factoryOutcome(ExtensionContext context, boolean harpFails) {
        Optional<Throwable> thrown = context.getExecutionException();
        if (thrown.isPresent()) {
            return thrown.get() instanceof TestAbortedException ? FixtureUse.Outcome.ABORTED
                    : FixtureUse.Outcome.FAILED;
        }
        return harpFails ? FixtureUse.Outcome.FAILED : FixtureUse.Outcome.PASSED;
    }

    /**
     * How a class ended, for the uses of its own fixtures: failed when a class-level method failed (or Harp failed
     * it); for a shared HAR also the worst of its tests, as their requests are part of the same use.
     */
    private static FixtureUse.Outcome classOutcome(ExtensionContext context, ClassState state, boolean problems) {
        Optional<Throwable> thrown = context.getExecutionException();
        if (thrown.isPresent()) {
            return thrown.get() instanceof TestAbortedException ? FixtureUse.Outcome.ABORTED
                    : FixtureUse.Outcome.FAILED;
        }
        if (problems) {
            return FixtureUse.Outcome.FAILED;
        }
        return state.options.sharedHar() ? state.testOutcomes() : FixtureUse.Outcome.PASSED;
    }

    HarpProxy resolve(ExtensionContext context) {
        Store store = context.getStore(NAMESPACE);
        TestState test = store.get(TestState.class, TestState.class);
        if (test != null) {
            return test.proxy().view();
        }
        ClassState owner = store.get(ClassState.class, ClassState.class);
        if (owner != null) {
            return owner.proxy.view();
        }
        throw new ParameterResolutionException("Harp: no proxy runs for " + context.getDisplayName()
                + "; put @Harp on the test class (or on this test method) to inject a HarpProxy");
    }
}
