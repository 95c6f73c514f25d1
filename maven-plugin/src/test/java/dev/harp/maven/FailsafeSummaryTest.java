package dev.harp.maven;

import dev.harp.usage.FixtureUse.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Failsafe's summary read minimally: errors or failures fail, a clean one passes, anything else is unknown. */
class FailsafeSummaryTest {
    @TempDir
    Path dir;

    @Test
    void errorsOrFailuresAreFailedAndNoneIsPassed() {
        assertThat(FailsafeSummary.outcome(StopUsageTest.failsafeSummary(3, 1, 0))).isEqualTo(Outcome.FAILED);
        assertThat(FailsafeSummary.outcome(StopUsageTest.failsafeSummary(3, 0, 2))).isEqualTo(Outcome.FAILED);
        assertThat(FailsafeSummary.outcome(StopUsageTest.failsafeSummary(3, 0, 0))).isEqualTo(Outcome.PASSED);
    }

    @Test
    void aCrashATimeoutNoTestsOrSkippedTestsAreNotAPass() {
        String crashed = """
                <failsafe-summary xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" result="255" timeout="false">
                    <completed>0</completed><errors>0</errors><failures>0</failures><skipped>0</skipped>
                    <failureMessage>The forked VM terminated without properly saying goodbye.</failureMessage>
                </failsafe-summary>""";
        assertThat(FailsafeSummary.outcome(crashed)).as("a crashed fork").isEqualTo(Outcome.FAILED);
        assertThat(FailsafeSummary.outcome("<failsafe-summary timeout=\"true\"><completed>3</completed><errors>0"
                + "</errors><failures>0</failures><skipped>0</skipped></failsafe-summary>")).as("a timeout")
                .isEqualTo(Outcome.FAILED);
        assertThat(FailsafeSummary.outcome("<failsafe-summary result=\"254\" timeout=\"false\"><completed>0"
                + "</completed><errors>0</errors><failures>0</failures><skipped>0</skipped></failsafe-summary>"))
                .as("no tests").isEqualTo(Outcome.SKIPPED);
        assertThat(FailsafeSummary.outcome("<failsafe-summary timeout=\"false\"><completed>0</completed><errors>0"
                + "</errors><failures>0</failures><skipped>0</skipped></failsafe-summary>")).as("nothing completed")
                .isEqualTo(Outcome.SKIPPED);
        assertThat(FailsafeSummary.outcome("<failsafe-summary timeout=\"false\"><completed>4</completed><errors>0"
                + "</errors><failures>0</failures><skipped>1</skipped></failsafe-summary>")).as("an IT skipped")
                .isEqualTo(Outcome.SKIPPED);
        assertThat(FailsafeSummary.outcome("<failsafe-summary timeout=\"false\"><completed>4</completed><errors>0"
                + "</errors><failures>0</failures><skipped>0</skipped></failsafe-summary>")).isEqualTo(Outcome.PASSED);
    }

    @Test
    void whatIsNotAFailsafeSummaryIsUnknown() {
        assertThat(FailsafeSummary.outcome("")).isEqualTo(Outcome.UNKNOWN);
        assertThat(FailsafeSummary.outcome("<surefire-summary><errors>0</errors><failures>0</failures>"))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(FailsafeSummary.outcome("<failsafe-summary><completed>1</completed></failsafe-summary>"))
                .as("no counts").isEqualTo(Outcome.UNKNOWN);
        assertThat(FailsafeSummary.outcome("<failsafe-summary><completed>1</completed><errors>0</errors>"
                + "<failures>0</failures></failsafe-summary>")).as("no skipped count").isEqualTo(Outcome.UNKNOWN);
        assertThat(FailsafeSummary.outcome("<failsafe-summary><errors>x</errors><failures>0</failures>"))
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(FailsafeSummary.outcome("<failsafe-summary><errors>0</errors><errors>1</errors>"
                + "<failures>0</failures>")).as("repeated").isEqualTo(Outcome.UNKNOWN);
        assertThat(FailsafeSummary.outcome("<failsafe-summary><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<errors>&e;</errors><failures>0</failures>")).as("no entity is expanded").isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void anAbsentHugeOrStaleFileIsUnknown() throws Exception {
        Path file = FailsafeSummary.file(dir);
        assertThat(file).isEqualTo(dir.resolve("failsafe-reports/failsafe-summary.xml"));
        assertThat(FailsafeSummary.outcome(file, null)).isEqualTo(Outcome.UNKNOWN);

        Files.createDirectories(file.getParent());
        Files.writeString(file, StopUsageTest.failsafeSummary(1, 0, 0));
        assertThat(FailsafeSummary.outcome(file, Instant.now().minusSeconds(60))).isEqualTo(Outcome.PASSED);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        assertThat(FailsafeSummary.outcome(file, Instant.now().minusSeconds(60)))
                .as("left by an earlier build").isEqualTo(Outcome.UNKNOWN);

        Files.writeString(file, StopUsageTest.failsafeSummary(1, 0, 0) + " ".repeat(FailsafeSummary.MAX_BYTES));
        assertThat(FailsafeSummary.outcome(file, null)).isEqualTo(Outcome.UNKNOWN);
        Files.delete(file);
        Files.createDirectories(file);
        assertThat(FailsafeSummary.outcome(file, null)).as("a folder").isEqualTo(Outcome.UNKNOWN);
    }
}
