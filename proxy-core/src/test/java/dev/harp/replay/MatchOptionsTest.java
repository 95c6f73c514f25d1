package dev.harp.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchOptionsTest {

    @Test
    void theDefaultsCompareEverythingButHeadersAndReplayInSequence() {
        MatchOptions defaults = MatchOptions.defaults();

        assertThat(defaults.ignoreQueryParams()).isEmpty();
        assertThat(defaults.ignoreJsonPaths()).isEmpty();
        assertThat(defaults.matchHeaders()).isEmpty();
        assertThat(defaults.ignoreBody()).isFalse();
        assertThat(defaults.hostAliases()).isEmpty();
        assertThat(defaults.sequence()).isEqualTo(SequencePolicy.SEQUENCE);
    }

    @Test
    void collectionOptionsAccumulateAndHeaderNamesAreLowerCased() {
        MatchOptions options = MatchOptions.builder()
                .ignoreQueryParams("_")
                .ignoreQueryParams("timestamp", "nonce")
                .ignoreJsonPaths("$.meta.requestId", "$.items[*].id")
                .matchHeaders("Accept", "X-Tenant")
                .hostAlias("localhost:9999=api.example.com:443")
                .hostAliases(Map.of("staging.example.com", "api.example.com"))
                .build();

        assertThat(options.ignoreQueryParams()).containsExactly("_", "timestamp", "nonce");
        assertThat(options.ignoreJsonPaths()).containsExactly("$.meta.requestId", "$.items[*].id");
        assertThat(options.matchHeaders()).containsExactly("accept", "x-tenant");
        assertThat(options.hostAliases()).containsOnly(
                Map.entry("localhost:9999", "api.example.com:443"), Map.entry("staging.example.com", "api.example.com"));
    }

    @Test
    void optionsAreValuesAndCanBeDerived() {
        MatchOptions options = MatchOptions.builder().ignoreQueryParams("_").ignoreBody(true).build();
        MatchOptions derived = options.toBuilder().sequence(SequencePolicy.REUSE_FIRST).build();

        assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(derived.ignoreQueryParams()).containsExactly("_");
        assertThat(derived.ignoreBody()).isTrue();
        assertThat(derived.sequence()).isEqualTo(SequencePolicy.REUSE_FIRST);
        assertThat(options.sequence()).isEqualTo(SequencePolicy.SEQUENCE);
    }

    @Test
    void malformedJsonPathsAreRejectedWithThePathAndAnExample() {
        assertThatThrownBy(() -> MatchOptions.builder().ignoreJsonPaths("timestamp").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid JSON path 'timestamp': it must start with '$'")
                .hasMessageContaining("$.items[*].id");
        assertThatThrownBy(() -> MatchOptions.builder().ignoreJsonPaths("$.items[x]").build())
                .hasMessageContaining("'[x]' is neither an index");
        assertThatThrownBy(() -> MatchOptions.builder().ignoreJsonPaths("$").build())
                .hasMessageContaining("use ignoreBody");
    }

    @Test
    void malformedHostAliasesAreRejectedWithTheMapping() {
        assertThatThrownBy(() -> MatchOptions.builder().hostAlias("localhost:9999").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host alias 'localhost:9999' must be ALIAS=RECORDED");
        assertThatThrownBy(() -> MatchOptions.builder().hostAlias("localhost:x", "api.example.com").build())
                .hasMessageContaining("bad port 'x' in host alias 'localhost:x=api.example.com'");
    }

    @Test
    void sequencePoliciesReadTheirOptionValuesAndConstantNames() {
        assertThat(SequencePolicy.fromOptionValue("reuse-first")).isEqualTo(SequencePolicy.REUSE_FIRST);
        assertThat(SequencePolicy.fromOptionValue("FAIL_AFTER_LAST")).isEqualTo(SequencePolicy.FAIL_AFTER_LAST);
        assertThat(SequencePolicy.SEQUENCE.optionValue()).isEqualTo("sequence");
        assertThatThrownBy(() -> SequencePolicy.fromOptionValue("cycle"))
                .hasMessage("unknown sequence policy 'cycle'; use one of sequence, reuse-first, fail-after-last");
    }
}
