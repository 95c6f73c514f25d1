package dev.harp.testing.prerequisites;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The one place tests ask for a {@link Prerequisite}. Where it is missing, a test is skipped (aborted, as an
 * assumption) on a developer's machine, and fails with one line naming it when the environment says {@code CI=true}:
 * in CI everything must run. {@link SkipSummary} reports the skips at the end of the run.
 *
 * <p>The environment is read through the function given to the constructor, so that this rule itself is tested
 * without depending on the machine's {@code CI} variable; the static methods use the real environment.
 */
public final class Prerequisites {
    private static final Prerequisites MACHINE = new Prerequisites(System::getenv);

    private final UnaryOperator<String> environment;
    private final Queue<String> partsSkipped = new ConcurrentLinkedQueue<>();

    /** @param environment reads an environment variable, null when unset */
    public Prerequisites(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** Skips (or in CI fails) the calling test unless the prerequisite is present. */
    public static void require(Prerequisite prerequisite) {
        MACHINE.check(prerequisite, prerequisite::isPresent);
    }

    /** As {@link #require(Prerequisite)}, with the test's own probe (for {@link Prerequisite#DOCKER} and the like). */
    public static void require(Prerequisite prerequisite, BooleanSupplier probe) {
        MACHINE.check(prerequisite, probe);
    }

    /**
     * For a test whose main check runs anyway and only one part needs the prerequisite.
     *
     * @return whether it is present; when it is not, in CI the test fails, elsewhere the skipped part is noted for
     *         the {@link SkipSummary}
     */
    public static boolean optional(Prerequisite prerequisite) {
        return MACHINE.has(prerequisite, prerequisite::isPresent);
    }

    /** @return the instance the static methods use: the real environment */
    static Prerequisites machine() {
        return MACHINE;
    }

    /** @return the shared HAR corpus folder, after {@link #require requiring} {@link Prerequisite#HAR_CORPUS} */
    public static Path harCorpus() {
        require(Prerequisite.HAR_CORPUS);
        return Prerequisite.HarCorpus.locate().orElseThrow();
    }

    /** @return whether a missing prerequisite fails instead of skipping: {@code CI=true} */
    public boolean strict() {
        return "true".equalsIgnoreCase(environment.apply("CI"));
    }

    /**
     * @param prerequisite what the test needs
     * @param probe        whether it is present
     * @throws org.opentest4j.TestAbortedException     when it is missing, outside CI
     * @throws org.opentest4j.AssertionFailedError when it is missing in CI
     */
    public void check(Prerequisite prerequisite, BooleanSupplier probe) {
        if (!probe.getAsBoolean()) {
            missing(prerequisite);
            Assumptions.abort(prerequisite.describeMissing());
        }
    }

    /**
     * @param prerequisite what one part of the test needs
     * @param probe        whether it is present
     * @return whether it is present (in CI, a missing one fails the test)
     */
    public boolean has(Prerequisite prerequisite, BooleanSupplier probe) {
        if (probe.getAsBoolean()) {
            return true;
        }
        missing(prerequisite);
        partsSkipped.add(prerequisite.describeMissing());
        return false;
    }

    private void missing(Prerequisite prerequisite) {
        if (strict()) {
            Assertions.fail("CI=true requires " + prerequisite.name() + ": " + prerequisite.describeMissing());
        }
    }

    /** @return the parts of tests skipped so far by {@link #has}, one reason each; and forgets them */
    List<String> drainPartsSkipped() {
        List<String> drained = new ArrayList<>();
        for (String reason; (reason = partsSkipped.poll()) != null; ) {
            drained.add(reason);
        }
        return drained;
    }
}
