package dev.harp.testing.prerequisites;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Ends a test run with one honest line: how many tests ran, how many were skipped and why, e.g.
 * {@code Harp tests (proxy-core): 540 ran, 3 skipped: 2x curl is not installed (apt-get install curl); 1x ...}.
 * Registered through {@code META-INF/services}, so Surefire's launcher (and an IDE's) picks it up; a test skipped
 * (an aborted assumption, such as a missing {@link Prerequisite}) or disabled counts with its reason, a skipped
 * container with each test under it (at least one), and parts of tests skipped through
 * {@link Prerequisites#optional} are listed after.
 */
public final class SkipSummary implements TestExecutionListener {
    private final PrintStream out;
    private final String module;
    private final Supplier<List<String>> partsSkipped;
    private final Map<String, Integer> skipped = new TreeMap<>();
    private final AtomicInteger ran = new AtomicInteger();
    private volatile TestPlan plan;

    /** The service-loaded listener: prints to standard output, names the module by the working directory. */
    public SkipSummary() {
        this(System.out, String.valueOf(Path.of("").toAbsolutePath().getFileName()),
                () -> Prerequisites.machine().drainPartsSkipped());
    }

    /**
     * @param out          where the line goes
     * @param module       the name in the line
     * @param partsSkipped drains the parts of tests skipped, one reason each
     */
    SkipSummary(PrintStream out, String module, Supplier<List<String>> partsSkipped) {
        this.out = out;
        this.module = module;
        this.partsSkipped = partsSkipped;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        count(identifier, reason);
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            count(identifier, result.getThrowable().map(Throwable::getMessage).orElse(null));
        } else if (identifier.isTest()) {
            ran.incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        out.println(line());
        out.flush();
    }

    /** @return the summary of what has finished so far */
    String line() {
        StringBuilder line = new StringBuilder("Harp tests (").append(module).append("): ").append(ran.get())
                .append(" ran, ");
        synchronized (skipped) {
            int total = skipped.values().stream().mapToInt(Integer::intValue).sum();
            line.append(total == 0 ? "none skipped" : total + " skipped: " + describe(skipped));
        }
        List<String> parts = partsSkipped.get();
        if (!parts.isEmpty()) {
            Map<String, Integer> byReason = new TreeMap<>();
            parts.forEach(reason -> byReason.merge(reason, 1, Integer::sum));
            line.append("; parts of tests skipped: ").append(describe(byReason));
        }
        return line.toString();
    }

    private void count(TestIdentifier identifier, String reason) {
        TestPlan current = plan;
        long tests = identifier.isTest() || current == null ? 1
                : current.getDescendants(identifier).stream().filter(TestIdentifier::isTest).count();
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.lines().findFirst().orElse("").strip();
        if (why.startsWith("Assumption failed: ")) {
            why = why.substring("Assumption failed: ".length());
        }
        synchronized (skipped) {
            skipped.merge(why, (int) Math.max(1, tests), Integer::sum);
        }
    }

    private static String describe(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getValue() + "x " + e.getKey()).collect(Collectors.joining("; "));
    }
}
