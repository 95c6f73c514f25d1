package dev.harp.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a host alias rewrites the origin of a live request before it is compared. */
class HostAliasesTest {

    private static String aliased(Map<String, String> aliases, String liveUrl) {
        return HostAliases.parse(aliases).apply(MatchRequest.of("GET", liveUrl)).url();
    }

    @Test
    void aTargetOnPort443OrPort80ImpliesItsScheme() {
        assertThat(aliased(Map.of("localhost:9999", "api.example.com:443"), "http://localhost:9999/v1?a=1"))
                .isEqualTo("https://api.example.com/v1?a=1");
        assertThat(aliased(Map.of("localhost:9999", "legacy.example.com:80"), "https://localhost:9999/"))
                .isEqualTo("http://legacy.example.com/");
    }

    @Test
    void anExplicitSchemeWinsAndWithoutPortMeansItsDefaultPort() {
        assertThat(aliased(Map.of("localhost:9999", "https://api.example.com:8443"), "http://localhost:9999/"))
                .isEqualTo("https://api.example.com:8443/");
        assertThat(aliased(Map.of("localhost:9999", "https://api.example.com"), "http://localhost:9999/"))
                .isEqualTo("https://api.example.com/");
    }

    @Test
    void anAliasWithoutPortAppliesToEveryPortAndATargetWithoutPortKeepsTheLiveOne() {
        Map<String, String> aliases = Map.of("staging.example.com", "api.example.com");

        assertThat(aliased(aliases, "https://staging.example.com/x")).isEqualTo("https://api.example.com/x");
        assertThat(aliased(aliases, "http://staging.example.com:8080/x")).isEqualTo("http://api.example.com:8080/x");
    }

    @Test
    void aPortSpecificAliasWinsOverAHostOnlyOneAndOtherHostsAreLeftAlone() {
        Map<String, String> aliases = Map.of("localhost", "a.example.com", "localhost:9999", "b.example.com:443");

        assertThat(aliased(aliases, "http://localhost:9999/")).isEqualTo("https://b.example.com/");
        assertThat(aliased(aliases, "http://localhost:9000/")).isEqualTo("http://a.example.com:9000/");
        assertThat(aliased(aliases, "http://127.0.0.1:9999/")).isEqualTo("http://127.0.0.1:9999/");
    }
}
