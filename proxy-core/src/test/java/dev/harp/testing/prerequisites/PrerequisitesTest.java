package dev.harp.testing.prerequisites;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule itself, with the environment injected: in CI a missing prerequisite fails, elsewhere it skips. */
class PrerequisitesTest {
    private static Prerequisites in(Map<String, String> environment) {
        return new Prerequisites(environment::get);
    }

    @Test
    void inCiAMissingToolFailsTheTestWithOneLineNamingItAndWhatInstallsIt() {
        assertThatThrownBy(() -> in(Map.of("CI", "true")).check(Prerequisite.CURL, () -> false))
                .isInstanceOf(AssertionFailedError.class)
                .isNotInstanceOf(TestAbortedException.class)
                .hasMessage("CI=true requires CURL: curl is not installed (apt-get install curl)");
    }

    @Test
    void elsewhereAMissingToolSkipsTheTest() {
        assertThatThrownBy(() -> in(Map.of()).check(Prerequisite.IPV6_LOOPBACK, () -> false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("IPv6 loopback ::1 is not available (enable IPv6 on the loopback interface)");
        assertThatThrownBy(() -> in(Map.of("CI", "false")).check(Prerequisite.CURL, () -> false))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aPresentPrerequisiteLetsTheTestRunInCiAndElsewhere() {
        in(Map.of("CI", "true")).check(Prerequisite.OPENSSL, () -> true);
        in(Map.of()).check(Prerequisite.OPENSSL, () -> true);
        assertThat(in(Map.of("CI", "true")).has(Prerequisite.OPENSSL, () -> true)).isTrue();
    }

    @Test
    void aMissingOptionalPartIsNotedElsewhereAndFailsInCi() {
        Prerequisites local = in(Map.of());
        assertThat(local.has(Prerequisite.CURL, () -> false)).isFalse();
        assertThat(local.drainPartsSkipped()).containsExactly("curl is not installed (apt-get install curl)");
        assertThat(local.drainPartsSkipped()).isEmpty();

        Prerequisites ci = in(Map.of("CI", "true"));
        assertThatThrownBy(() -> ci.has(Prerequisite.CURL, () -> false)).isInstanceOf(AssertionFailedError.class)
                .isNotInstanceOf(TestAbortedException.class);
    }

    @Test
    void strictnessFollowsTheInjectedEnvironmentOnly() {
        assertThat(in(Map.of("CI", "true")).strict()).isTrue();
        assertThat(in(Map.of("CI", "TRUE")).strict()).isTrue();
        assertThat(in(Map.of("CI", "1")).strict()).isFalse();
        assertThat(in(Map.of()).strict()).isFalse();
    }

    @Test
    void prerequisitesOnlyATestCanProbeSayWhatTheyNeed() {
        assertThatThrownBy(Prerequisite.DOCKER::isPresent).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DOCKER");
    }
}
