package dev.harp.replay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactedTest {
    @Test
    void aRedactionInsideAValueMatchesAnyTextInItsPlace() {
        assertThat(Redacted.matches("REDACTED", "anything")).isTrue();
        assertThat(Redacted.matches("https://a/cb?code=REDACTED&state=1", "https://a/cb?code=x9&state=1")).isTrue();
        assertThat(Redacted.matches("https://a/cb?code=REDACTED&state=1", "https://a/cb?code=x9&state=2")).isFalse();
        assertThat(Redacted.matches("a REDACTED b REDACTED c", "a 1 b 2 c")).isTrue();
        assertThat(Redacted.matches("a REDACTED b REDACTED c", "a 1 c")).isFalse();
        assertThat(Redacted.matches("xREDACTEDx", "x")).isFalse();
        assertThat(Redacted.matches("plain", "plain")).isTrue();
        assertThat(Redacted.matches("plain", "other")).isFalse();
    }

    @Test
    void aPartlyRedactedRepeatedParameterClaimsOneLiveValue() {
        assertThat(PairComparison.valuesMatch(java.util.List.of("u?t=1", "v"), java.util.List.of("v", "u?t=REDACTED"))).isTrue();
        assertThat(PairComparison.valuesMatch(java.util.List.of("w?t=1", "v"), java.util.List.of("v", "u?t=REDACTED"))).isFalse();
    }
}
