package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.options.Face;
import dev.harp.options.OptionCatalog;
import dev.harp.replay.MatchOptions;
import dev.harp.replay.SequencePolicy;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;
import dev.harp.usage.FixtureUse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JUnit Jupiter extension behind {@link Harp @Harp}; register it programmatically to build options in code:
 *
 * <pre>{@code
 * @RegisterExtension
 * static HarpExtension harp = HarpExtension.builder()
 *         .mode(Mode.REPLAY)
 *         .ignoreQueryParams("timestamp")
 *         .build();
 * }</pre>
 *
 * <p>A {@code static} field gives one proxy per class, like {@code @Harp} on the class; an instance field gives each
 * test a proxy of its own. The options and their defaults are those of {@link Harp}. A {@code @Harp} on a test
 * method still wins for that test.
 *
 * <p>Each use of a fixture (a test's, a class phase's, a shared HAR's per class) is written as usage data, with the
 * test's outcome, into the module's {@code target/harp/uses/} ({@code -Dharp.usageDir} moves it, {@code off} turns it
 * off), for the report and pruning; see {@code dev.harp.usage}.
 *
 * <p>The extension injects {@link HarpProxy} into test, lifecycle and constructor parameters. When a test (or a
 * lifecycle method) fails after a replay miss, the failure it reports leads with the miss, the test's own failure
 * as its cause.
 */
public final class HarpExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler,
        TestWatcher {

    /** Default fixture directory, relative to the module's base directory. */
    public static final String DEFAULT_DIRECTORY = "src/test/resources/harp";

    private final HarpOptions options;
    private final Lifecycle lifecycle;

    /** Used by JUnit for {@code @Harp} and {@code @ExtendWith(HarpExtension.class)}: options come from annotations. */
    public HarpExtension() {
        this(null);
    }

    private HarpExtension(HarpOptions options) {
        this.options = options;
        this.lifecycle = new Lifecycle(options);
    }

    /** @return a builder with the defaults of {@link Harp} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        lifecycle.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        lifecycle.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        lifecycle.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        lifecycle.afterEach(context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        lifecycle.leadWithMisses(context, thrown);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        lifecycle.leadWithMisses(context, thrown);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        lifecycle.leadWithMisses(context, thrown);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        lifecycle.leadWithMisses(context, thrown);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        lifecycle.leadWithMisses(context, thrown);
    }

    /** Usage data: the test's use of its fixture is written as passed. */
    @Override
    public void testSuccessful(ExtensionContext context) {
        lifecycle.testEnded(context, FixtureUse.Outcome.PASSED);
    }

    /** Usage data: the test's use of its fixture is written as failed (it may not have made all its requests). */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        lifecycle.testEnded(context, FixtureUse.Outcome.FAILED);
    }

    /** Usage data: the test's use of its fixture is written as aborted. */
    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        lifecycle.testEnded(context, FixtureUse.Outcome.ABORTED);
    }

    /** Usage data: the fixture the disabled test would have used is written as skipped, so pruning keeps it. */
    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        lifecycle.testEnded(context, FixtureUse.Outcome.SKIPPED);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == HarpProxy.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return lifecycle.resolve(context);
    }

    @Override
    public String toString() {
        return options == null ? "HarpExtension[@Harp]" : "HarpExtension[programmatic]";
    }

    /** Options for a programmatic {@link HarpExtension}; same names and defaults as {@link Harp}. Not thread-safe. */
    public static final class Builder {
        // Defaults from the core's OptionCatalog (OptionsConsistencyTest checks these and @Harp's against it).
        private String har = OptionCatalog.HAR.defaultIn(Face.JUNIT);
        private String directory = OptionCatalog.DIRECTORY.defaultValue();
        private Mode mode = OptionCatalog.MODE.defaultValue();
        private MatchOptions match = MatchOptions.defaults();
        private boolean wireJvm = OptionCatalog.WIRE_JVM.defaultValue();
        private boolean failOnMiss = OptionCatalog.FAIL_ON_MISS.defaultValue();
        private boolean failOnUnused = OptionCatalog.FAIL_ON_UNUSED.defaultValue();
        private String latency = OptionCatalog.LATENCY.defaultValue();
        private boolean insecureUpstream = OptionCatalog.INSECURE_UPSTREAM.defaultValue();
        private String upstreamTrust = "";
        private List<String> noIntercept = OptionCatalog.NO_INTERCEPT.defaultValue();
        private String bindAddress = OptionCatalog.BIND_ADDRESS.defaultValue();
        private List<String> keepValues = OptionCatalog.KEEP_VALUES.defaultValue();
        private String proxyAuth = "";

        private Builder() {
        }

        /**
         * @param value one HAR file for every test, relative to the directory (see {@link Harp#har()})
         * @return this
         */
        public Builder har(String value) {
            this.har = Objects.requireNonNull(value, "har");
            return this;
        }

        /**
         * @param value the fixture directory (see {@link Harp#directory()})
         * @return this
         */
        public Builder directory(String value) {
            this.directory = Objects.requireNonNull(value, "directory");
            return this;
        }

        /**
         * @param value the mode asked for; {@code harp.mode} and {@code HARP_MODE} override it
         * @return this
         */
        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /**
         * @param value all matching options at once, replacing those set before
         * @return this
         */
        public Builder matchOptions(MatchOptions value) {
            this.match = Objects.requireNonNull(value, "matchOptions");
            return this;
        }

        /**
         * @param names query parameters left out of matching
         * @return this
         */
        public Builder ignoreQueryParams(String... names) {
            match = match.toBuilder().ignoreQueryParams(names).build();
            return this;
        }

        /**
         * @param paths JSON paths left out of matching
         * @return this
         */
        public Builder ignoreJsonPaths(String... paths) {
            match = match.toBuilder().ignoreJsonPaths(paths).build();
            return this;
        }

        /**
         * @param names headers that must also match
         * @return this
         */
        public Builder matchHeaders(String... names) {
            match = match.toBuilder().matchHeaders(names).build();
            return this;
        }

        /**
         * @param value whether request bodies are left out of matching
         * @return this
         */
        public Builder ignoreBody(boolean value) {
            match = match.toBuilder().ignoreBody(value).build();
            return this;
        }

        /**
         * @param mappings {@code ALIAS=RECORDED} pairs
         * @return this
         */
        public Builder hostAliases(String... mappings) {
            MatchOptions.Builder b = match.toBuilder();
            Arrays.stream(mappings).forEach(b::hostAlias);
            match = b.build();
            return this;
        }

        /**
         * @param value what repeated identical requests get
         * @return this
         */
        public Builder sequence(SequencePolicy value) {
            match = match.toBuilder().sequence(value).build();
            return this;
        }

        /**
         * @param value whether to wire the JVM's proxy and TLS defaults (default true)
         * @return this
         */
        public Builder wireJvm(boolean value) {
            this.wireJvm = value;
            return this;
        }

        /**
         * @param value whether replay misses fail the test (default true)
         * @return this
         */
        public Builder failOnMiss(boolean value) {
            this.failOnMiss = value;
            return this;
        }

        /**
         * @param value whether unused entries fail the test (default false)
         * @return this
         */
        public Builder failOnUnused(boolean value) {
            this.failOnUnused = value;
            return this;
        }

        /**
         * @param value {@code none}, {@code recorded}, or a delay such as {@code 250ms}
         * @return this
         */
        public Builder latency(String value) {
            this.latency = Objects.requireNonNull(value, "latency");
            return this;
        }

        /**
         * @param value whether Harp accepts any upstream certificate
         * @return this
         */
        public Builder insecureUpstream(boolean value) {
            this.insecureUpstream = value;
            return this;
        }

        /**
         * @param pemFile extra upstream CAs, relative to the base directory
         * @return this
         */
        public Builder upstreamTrust(String pemFile) {
            this.upstreamTrust = Objects.requireNonNull(pemFile, "upstreamTrust");
            return this;
        }

        /**
         * @param hostGlobs hosts tunnelled without interception
         * @return this
         */
        public Builder noIntercept(String... hostGlobs) {
            this.noIntercept = new ArrayList<>(Arrays.asList(hostGlobs));
            return this;
        }

        /**
         * @param value the address Harp listens on
         * @return this
         */
        public Builder bindAddress(String value) {
            this.bindAddress = Objects.requireNonNull(value, "bindAddress");
            return this;
        }

        /**
         * @param names JSON members, fields, headers or cookies whose values are recorded instead of {@code REDACTED}
         *              (a login answer's {@code session} the test reads back on replay; never a real credential)
         * @return this
         */
        public Builder keepValues(String... names) {
            this.keepValues = new ArrayList<>(Arrays.asList(names));
            return this;
        }

        /**
         * @param userColonPassword credentials clients must present (see {@link Harp#proxyAuth()}); empty for none
         * @return this
         */
        public Builder proxyAuth(String userColonPassword) {
            this.proxyAuth = Objects.requireNonNull(userColonPassword, "proxyAuth");
            return this;
        }

        /**
         * @return the extension
         * @throws IllegalArgumentException naming a malformed option (latency, JSON path, host alias)
         */
        public HarpExtension build() {
            return new HarpExtension(options());
        }

        HarpOptions options() {
            HarpOptions.ProxyOptions proxy = new HarpOptions.ProxyOptions(match, latency, wireJvm, insecureUpstream,
                    upstreamTrust, noIntercept, bindAddress, keepValues, HarpOptions.proxyAuth(proxyAuth));
            return new HarpOptions(har, directory, mode, failOnMiss, failOnUnused, proxy);
        }
    }
}
