package dev.harp.junit.coldstart;

import dev.harp.junit.testing.Scenarios;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's test JVM (part {@code junit-start}, issue 17): runs the given test classes on the JUnit Platform, as
 * Surefire's fork does, and prints one line per class, {@code class NAME MICROS} (its container's start to finish),
 * then {@code tests N failed F}. Exits 0 only when every test ran and passed. Not a test itself.
 */
public final class ColdStartMain {
    private ColdStartMain() {
    }

    /**
     * @param args binary names of the test classes to run, in order
     */
    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(args).map(DiscoverySelectors::selectClass).toList())
                .configurationParameter(Scenarios.FLAG, "true") // the classes are scenarios: disabled anywhere else
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        ClassTimes times = new ClassTimes();
        launcher.execute(request, summary, times);
        TestExecutionSummary s = summary.getSummary();
        for (String line : times.lines) {
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "tests passed %d failed %d%n", s.getTestsSucceededCount(),
                s.getTotalFailureCount());
        if (s.getTotalFailureCount() > 0) {
            s.printFailuresTo(new PrintWriter(System.out, true), 30);
        }
        System.out.flush();
        boolean ok = s.getTotalFailureCount() == 0 && s.getTestsSucceededCount() == args.length;
        System.exit(ok ? 0 : 1);
    }

    /** Wall time of each class container, in the order the classes finish. */
    private static final class ClassTimes implements TestExecutionListener {
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private final List<String> lines = new ArrayList<>();

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.getSource().filter(ClassSource.class::isInstance).isPresent() && id.isContainer()) {
                started.put(id.getUniqueId(), System.nanoTime());
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Long t0 = started.remove(id.getUniqueId());
            if (t0 != null) {
                String name = ((ClassSource) id.getSource().orElseThrow()).getClassName();
                synchronized (lines) {
                    lines.add(String.format(Locale.ROOT, "class %s %d %s", name, (System.nanoTime() - t0) / 1_000,
                            result.getStatus()));
                }
            }
        }
    }
}
