package dev.harp.junit;

import dev.harp.usage.FixtureUse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** What the extension keeps in JUnit's {@code ExtensionContext.Store}; each value is closed with its context. */
final class State {
    private State() {
    }

    /**
     * A test class's proxy and fixtures, owned by the class context that created it.
     */
    static final class ClassState implements AutoCloseable {
        final String owner;
        final HarpOptions options;
        final ProxyHandle proxy;
        final boolean ownsProxy;
        final Fixture start;
        final Fixture parking;
        final ClassState parent;
        private final List<String> problems = new ArrayList<>();
        private boolean startReported;
        /** Usage data of the class's own fixtures (class phases, a shared HAR), one merged stretch per file. */
        private final Map<Path, UsageSlice> usage = new LinkedHashMap<>();
        /** The worst outcome of the class's tests so far (PASSED when none failed). */
        private FixtureUse.Outcome tests = FixtureUse.Outcome.PASSED;

        ClassState(String owner, HarpOptions options, ProxyHandle proxy, boolean ownsProxy, Fixture start,
                   Fixture parking, ClassState parent) {
            this.owner = owner;
            this.options = options;
            this.proxy = proxy;
            this.ownsProxy = ownsProxy;
            this.start = start;
            this.parking = parking;
            this.parent = parent;
        }

        /**
         * @param options a test's or nested class's options
         * @param fixture its fixture
         * @return whether this class's proxy can serve it
         */
        boolean hosts(HarpOptions options, Fixture fixture) {
            if (!proxy.options().equals(options.proxy())) {
                return false;
            }
            return !this.options.sharedHar()
                    || fixture.path().equals(start.path()) && fixture.mode().equals(start.mode());
        }

        /**
         * Remembers problems of requests made outside any test, reported when the class ends.
         *
         * @param report   a report of a class-level fixture
         * @param complete whether the fixture is done with (so unused entries are final)
         */
        synchronized void noteOutsideTests(SessionReport report, boolean complete) {
            if (report.usage() != null) {
                usage.merge(report.usage().fixture().path(), report.usage(), UsageSlice::merge);
            }
            boolean leavingStart = !options.sharedHar() && report.fixture().equals(start) && !startReported;
            if (leavingStart) {
                startReported = true;
            }
            Reports.failure(report, options.failOnMiss(), options.failOnUnused(), complete || leavingStart)
                    .ifPresent(problems::add);
        }

        /**
         * Notes how one of the class's tests ended: a class use of a shared file is only complete when all are.
         *
         * @param outcome the test's outcome
         */
        synchronized void noteTestOutcome(FixtureUse.Outcome outcome) {
            if (outcome == FixtureUse.Outcome.FAILED) {
                tests = outcome;
            } else if (!outcome.complete() && tests == FixtureUse.Outcome.PASSED) {
                tests = FixtureUse.Outcome.ABORTED; // a skipped or aborted test did not make all its requests
            }
        }

        /** @return the worst outcome of the class's tests so far */
        synchronized FixtureUse.Outcome testOutcomes() {
            return tests;
        }

        /** @return the class's own fixtures and what was done with them */
        synchronized List<UsageSlice> usage() {
            return List.copyOf(usage.values());
        }

        /** @return the problems noted so far, joined, or empty */
        Optional<String> problems() {
            return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", problems));
        }

        @Override
        public void close() {
            if (ownsProxy) {
                proxy.close();
            }
        }
    }

    /**
     * The proxy one test runs on.
     *
     * @param proxy     the proxy
     * @param ownsProxy whether it was started for this test alone
     * @param options   the test's options
     * @param fixture   the test's fixture
     */
    record TestState(ProxyHandle proxy, boolean ownsProxy, HarpOptions options, Fixture fixture)
            implements AutoCloseable {
        @Override
        public void close() {
            if (ownsProxy) {
                proxy.close();
            }
        }
    }
}
