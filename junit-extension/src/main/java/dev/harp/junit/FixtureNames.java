package dev.harp.junit;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where fixtures live: {@code <basedir>/<directory>/<Class>/<test>.har}.
 *
 * <ul>
 *   <li>{@code <Class>} is the test class's name without its package, nested classes joined with {@code _}
 *       ({@code Outer_Inner}); for inherited tests it is the concrete class that runs them;</li>
 *   <li>{@code <test>} is the method name; invocations of parameterized and repeated tests add {@code _} and their
 *       display name made file-safe ({@code fetch_1_tokyo}, {@code retry_repetition_2_of_3});</li>
 *   <li>{@code <Class>/beforeAll.har} takes requests made before the first test (e.g. {@code @BeforeAll}),
 *       {@code <Class>/afterAll.har} requests made after a test (e.g. {@code @AfterAll});</li>
 *   <li>with an explicit {@code har}, that one file (relative to the directory) serves everything.</li>
 * </ul>
 */
final class FixtureNames {
    /** Longest file-safe suffix kept whole; longer ones are cut and get a hash. */
    static final int MAX_SUFFIX = 60;

    private FixtureNames() {
    }

    /**
     * @param context a context of the run (for the base directory)
     * @param options the options in force
     * @return the absolute fixture directory
     */
    static Path root(ExtensionContext context, HarpOptions options) {
        return root(RunSettings.baseDirectory(context), options.directory());
    }

    /**
     * @param base      the base directory
     * @param directory the {@code directory} option, relative to {@code base} unless absolute
     * @return the absolute fixture directory
     */
    static Path root(Path base, String directory) {
        return base.resolve(directory.trim()).normalize();
    }

    /**
     * Where all of a class's fixtures live, for a class that did not run.
     *
     * @param base      the base directory
     * @param directory the class's {@code directory} option
     * @param har       the class's {@code har} option, or empty
     * @param testClass the test class
     * @return the shared HAR file when {@code har} is set, else the class's folder {@code <directory>/<Class>}
     */
    static Path classFixtures(Path base, String directory, String har, Class<?> testClass) {
        Path root = root(base, directory);
        return har.isBlank() ? root.resolve(classDirectory(testClass)) : root.resolve(har.trim()).normalize();
    }

    /**
     * @param context a class context
     * @param options the class's options
     * @param phase   {@code beforeAll} or {@code afterAll}
     * @return the fixture for requests outside the tests
     */
    static Path classPhase(ExtensionContext context, HarpOptions options, String phase) {
        Path root = root(context, options);
        if (options.sharedHar()) {
            return root.resolve(options.har()).normalize();
        }
        return root.resolve(classDirectory(context.getRequiredTestClass())).resolve(phase + ".har");
    }

    /**
     * @param context a test's context
     * @param options the test's options
     * @return the test's fixture
     */
    static Path test(ExtensionContext context, HarpOptions options) {
        Path root = root(context, options);
        if (options.sharedHar()) {
            return root.resolve(options.har()).normalize();
        }
        return root.resolve(classDirectory(context.getRequiredTestClass())).resolve(testName(context) + ".har");
    }

    /**
     * @param testClass a test class
     * @return its name without package, {@code $} replaced by {@code _}
     */
    static String classDirectory(Class<?> testClass) {
        String name = testClass.getName();
        String pkg = testClass.getPackageName();
        if (!pkg.isEmpty()) {
            name = name.substring(pkg.length() + 1);
        }
        return name.replace('$', '_');
    }

    /**
     * @param context a test's context
     * @return the method name, plus a file-safe suffix for invocations of test templates
     */
    static String testName(ExtensionContext context) {
        String method = context.getRequiredTestMethod().getName();
        boolean invocation = context.getParent().flatMap(ExtensionContext::getTestMethod).isPresent();
        return invocation ? method + "_" + fileSafe(context.getDisplayName()) : method;
    }

    /**
     * @param context a test's context
     * @return {@code Class.method()} plus the invocation's display name, for messages
     */
    static String label(ExtensionContext context) {
        String base = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName() + "()";
        boolean invocation = context.getParent().flatMap(ExtensionContext::getTestMethod).isPresent();
        return invocation ? base + " " + context.getDisplayName() : base;
    }

    /**
     * @param text any text, e.g. {@code [1] city=Tokyo}
     * @return letters, digits, {@code .} and {@code -} kept, other runs turned into one {@code _}, ends trimmed,
     *         at most {@value #MAX_SUFFIX} characters ({@code 1_city_Tokyo})
     */
    static String fileSafe(String text) {
        String safe = text.replaceAll("[^A-Za-z0-9.-]+", "_").replaceAll("^[_.]+|[_.]+$", "");
        if (safe.isEmpty()) {
            safe = "invocation";
        }
        if (safe.length() > MAX_SUFFIX) {
            String hash = String.format(Locale.ROOT, "%08x", text.hashCode());
            safe = safe.substring(0, MAX_SUFFIX - 9) + "_" + hash;
        }
        return safe;
    }
}
