package dev.harp.testing.prerequisites;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** The summary line, from a real launcher run of a class with passing, skipped and disabled tests. */
class SkipSummaryTest {
    private static final Prerequisites LOCAL = new Prerequisites(Map.<String, String>of()::get);

    /** Run only by the launcher below; Surefire leaves the "scenario" tag out. */
    @Tag("scenario")
    static class Mixed {
        @Test
        void passes() {
        }

        @Test
        void needsCurl() {
            LOCAL.check(Prerequisite.CURL, () -> false);
        }

        @Test
        void needsCurlToo() {
            LOCAL.check(Prerequisite.CURL, () -> false);
        }

        @Test
        @Disabled("shown with its reason")
        void disabled() {
        }

        @Nested
        class WithoutIpv6 {
            @BeforeAll
            static void ipv6() {
                LOCAL.check(Prerequisite.IPV6_LOOPBACK, () -> false);
            }

            @Test
            void one() {
            }

            @Test
            void two() {
            }
        }
    }

    @Test
    void countsEachReasonOnceWithTheTestsItSkipped() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkipSummary summary = new SkipSummary(new PrintStream(out, true, StandardCharsets.UTF_8), "core",
                () -> List.of("curl is not installed (apt-get install curl)"));
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(request().selectors(selectClass(Mixed.class)).build(), summary);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Harp tests (core): 1 ran, 5 skipped: "
                + "2x IPv6 loopback ::1 is not available (enable IPv6 on the loopback interface); "
                + "2x curl is not installed (apt-get install curl); 1x shown with its reason; "
                + "parts of tests skipped: 1x curl is not installed (apt-get install curl)" + System.lineSeparator());
    }

    @Test
    void saysSoWhenNothingWasSkipped() {
        SkipSummary summary = new SkipSummary(System.out, "junit-extension", List::of);
        assertThat(summary.line()).isEqualTo("Harp tests (junit-extension): 0 ran, none skipped");
    }
}
