package dev.harp.junit;

import dev.harp.usage.FixtureUse;
import dev.harp.usage.UsageLog;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes the run's usage data: one {@link FixtureUse} per use of a fixture, into the usage folder. Kept in the root
 * context's store, so one instance serves a whole run (every class, in parallel too). A test's use is held from
 * {@code afterEach} until JUnit tells its outcome ({@code TestWatcher}), then written. Writing never fails a test: a
 * folder that cannot be written is one warning per folder.
 *
 * <p>The folder: {@code harp.usageDir} (configuration parameter or system property), else {@code HARP_USAGE_DIR},
 * relative to the base directory; {@code off} or {@code none} writes nothing. Unset: the Maven module's
 * {@code target/harp}, found from where the test class was loaded ({@code .../target/test-classes}), else
 * {@code <base directory>/target/harp} when that {@code target} folder exists, else nothing is written.
 */
final class UsageRecords {
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecords.class);
    /** The configuration parameter (or system property) naming the usage folder. */
    static final String PROPERTY = "harp.usageDir";
    /** The environment variable naming the usage folder. */
    static final String ENVIRONMENT = "HARP_USAGE_DIR";

    private final Map<String, FixtureUse.Builder> pending = new ConcurrentHashMap<>();
    private final Map<String, Optional<UsageLog>> logs = new ConcurrentHashMap<>();
    private final Set<Path> warned = ConcurrentHashMap.newKeySet();
    private final String selection;
    private volatile boolean toldNone;
    private volatile boolean toldFailure;

    private UsageRecords(String selection) {
        this.selection = selection;
    }

    /**
     * @param context any context of the run
     * @return the run's usage records
     */
    static UsageRecords of(ExtensionContext context) {
        Store store = context.getRoot().getStore(Lifecycle.NAMESPACE);
        return store.getOrComputeIfAbsent(UsageRecords.class, k -> new UsageRecords(selection(System.getProperties())),
                UsageRecords.class);
    }

    /**
     * @param properties the JVM's system properties
     * @return what narrowed the run, e.g. {@code test=WeatherTest#forecast}, or empty
     */
    static String selection(java.util.Properties properties) {
        return dev.harp.usage.Selection.describe(properties::getProperty);
    }

    /**
     * Holds a test's use until its outcome is known.
     *
     * @param test  the test's context
     * @param slice what it did with its fixture
     * @param user  who used it, for people
     */
    void testUsed(ExtensionContext test, UsageSlice slice, String user) {
        if (slice != null) {
            try {
                pending.put(test.getUniqueId(), slice.toUse(user, test.getUniqueId()));
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    /**
     * Writes a test's use with its outcome. A test that never reached its fixture (disabled, or failed before
     * Harp switched to it) is written for the fixture it would have used, so pruning leaves that file alone; for a
     * test template or factory that is the class's folder (a folder as fixture stands for every file under it).
     *
     * @param test     the test's context
     * @param outcome  how it ended
     * @param fallback the fixture it would have used, when it has no use held (may be null)
     */
    void testEnded(ExtensionContext test, FixtureUse.Outcome outcome, Fixture fallback) {
        try {
            FixtureUse.Builder use = pending.remove(test.getUniqueId());
            if (use == null) {
                if (fallback == null) {
                    return;
                }
                use = FixtureUse.builder(fallback.path(), dev.harp.options.Face.JUNIT, fallback.label())
                        .userId(test.getUniqueId())
                        .mode(fallback.mode().effective(), fallback.mode().source())
                        .existed(Files.exists(fallback.path()));
            }
            write(test, use.outcome(outcome));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Writes a class phase's use ({@code beforeAll.har}, {@code afterAll.har}, a shared HAR).
     *
     * @param owner   the class's context
     * @param slice   everything the phase did with the fixture
     * @param user    who used it, for people
     * @param outcome how the class ended, as well as it can be told
     */
    void classUsed(ExtensionContext owner, UsageSlice slice, String user, FixtureUse.Outcome outcome) {
        if (slice.idle()) {
            return; // no file and nothing asked of it: no use worth a record
        }
        try {
            write(owner, slice.toUse(user, owner.getUniqueId()).outcome(outcome));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Usage data never fails a test: what went wrong building a use is one warning per run. */
    private void failed(RuntimeException e) {
        if (!toldFailure) {
            toldFailure = true;
            LOG.warn("Harp could not record usage data: {}", e.toString());
        } else {
            LOG.debug("Harp could not record usage data: {}", e.toString());
        }
    }

    private void write(ExtensionContext context, FixtureUse.Builder use) {
        Optional<UsageLog> log = log(context);
        if (log.isEmpty()) {
            return;
        }
        try {
            log.get().write(use.selection(selection).build());
        } catch (IOException | RuntimeException e) {
            Path folder = log.get().folder();
            if (warned.add(folder)) {
                LOG.warn("Harp could not write usage data under {}: {}", folder, e.toString());
            } else {
                LOG.debug("Harp could not write usage data under {}: {}", folder, e.toString());
            }
        }
    }

    /** The usage folder for a test class, resolved once per place classes are loaded from. */
    private Optional<UsageLog> log(ExtensionContext context) {
        Optional<Class<?>> testClass = context.getTestClass();
        String key = testClass.map(UsageRecords::codeSource).map(Path::toString).orElse("");
        return logs.computeIfAbsent(key, k -> {
            Optional<UsageLog> log = folder(context, testClass.map(UsageRecords::codeSource).orElse(null))
                    .map(UsageLog::at);
            if (log.isEmpty() && !toldNone) {
                toldNone = true;
                LOG.debug("Harp writes no usage data: {} is off, and no target folder was found (set -D{} to write it)",
                        PROPERTY, PROPERTY);
            }
            return log;
        });
    }

    /**
     * @param context    a context of the run
     * @param codeSource where the test class was loaded from, or null
     * @return the usage folder, or empty for none
     */
    static Optional<Path> folder(ExtensionContext context, Path codeSource) {
        return folder(context::getConfigurationParameter, codeSource);
    }

    /**
     * @param parameters the run's configuration parameters (also what a launcher listener has)
     * @param codeSource where the test class was loaded from, or null
     * @return the usage folder, or empty for none
     */
    static Optional<Path> folder(Function<String, Optional<String>> parameters, Path codeSource) {
        String configured = parameters.apply(PROPERTY).filter(v -> !v.isBlank())
                .orElseGet(() -> Environment.from(parameters).get(ENVIRONMENT));
        return folder(RunSettings.baseDirectory(parameters), configured, codeSource);
    }

    /**
     * @param base       the base directory
     * @param configured {@code harp.usageDir} or {@code HARP_USAGE_DIR}, or null
     * @param codeSource where the test class was loaded from, or null
     * @return the configured folder (relative to {@code base}; empty for {@code off}), else the module's
     *         {@code target/harp} beside the code source's folder, else {@code base/target/harp} when
     *         {@code base/target} exists, else empty
     */
    static Optional<Path> folder(Path base, String configured, Path codeSource) {
        if (configured != null && !configured.isBlank()) {
            if (UsageLog.isOff(configured)) {
                return Optional.empty();
            }
            try {
                return Optional.of(base.resolve(configured.strip()).toAbsolutePath().normalize());
            } catch (InvalidPathException e) {
                LOG.warn("Harp: {} '{}' is not a valid path; no usage data written", PROPERTY, configured);
                return Optional.empty();
            }
        }
        if (codeSource != null && Files.isDirectory(codeSource) && codeSource.getParent() != null
                && codeSource.getParent().getFileName() != null
                && codeSource.getParent().getFileName().toString().equals("target")) {
            return Optional.of(codeSource.getParent().resolve("harp"));
        }
        Path target = base.resolve("target");
        return Files.isDirectory(target) ? Optional.of(target.resolve("harp")) : Optional.empty();
    }

    /** @return where a class was loaded from (a folder or a jar), or null when it cannot be told */
    static Path codeSource(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null
                    : Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
