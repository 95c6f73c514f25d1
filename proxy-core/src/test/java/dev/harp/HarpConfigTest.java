package dev.harp;

import dev.harp.options.Face;
import dev.harp.options.OptionCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A built configuration is a snapshot: the builder goes on without changing it; derived values are applied once. */
class HarpConfigTest {
    @Test
    void aBuiltConfigDoesNotChangeWhenItsBuilderGoesOn() {
        HarpConfig.Builder b = HarpConfig.builder().port(0).har(Path.of("a.har")).noIntercept(List.of("*.a"))
                .keepValues("session").environment(Map.of("HARP_MODE", "replay"));
        HarpConfig first = b.build();

        b.port(9).har(Path.of("b.har")).noIntercept(List.of("*.b")).keepValues("id_token")
                .environment(Map.of("HARP_MODE", "record")).face(Face.MAVEN);
        HarpConfig second = b.build();

        assertThat(first.port()).isZero();
        assertThat(first.har()).isEqualTo(Path.of("a.har"));
        assertThat(first.noIntercept()).containsExactly("*.a");
        assertThat(first.keepValues()).containsExactly("session");
        assertThat(first.redactor().keptValues()).containsExactly("session");
        assertThat(first.modeResolution().effective()).isEqualTo(Mode.REPLAY);
        assertThat(first.matchOptions().face()).isEmpty();
        assertThat(second.port()).isEqualTo(9);
        assertThat(second.keepValues()).containsExactly("session", "id_token");
        assertThat(second.redactor().keptValues()).containsExactlyInAnyOrder("session", "id_token");
        assertThat(second.modeResolution().effective()).isEqualTo(Mode.RECORD);
        assertThat(second.matchOptions().face()).contains(Face.MAVEN);
        assertThatThrownBy(() -> first.keepValues().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void defaultsComeFromTheCatalogueAndTheConnectionLimitIsDerived() {
        HarpConfig c = HarpConfig.builder().build();

        assertThat(c.port()).isEqualTo(OptionCatalog.PORT.defaultValue()).isEqualTo(HarpConfig.DEFAULT_PORT);
        assertThat(c.bindAddress()).isEqualTo(HarpConfig.DEFAULT_BIND);
        assertThat(c.captureLimit()).isEqualTo(OptionCatalog.CAPTURE_LIMIT.defaultValue());
        assertThat(c.idleTimeout()).isEqualTo(OptionCatalog.IDLE_TIMEOUT.defaultValue());
        assertThat(c.maxConnections()).isPositive();
        assertThat(HarpConfig.builder().maxConnections(7).build().maxConnections()).isEqualTo(7);
    }

    @Test
    void settersRejectBadValuesNamingThem() {
        assertThatThrownBy(() -> HarpConfig.builder().port(70000)).hasMessageContaining("port").hasMessageContaining("70000");
        assertThatThrownBy(() -> HarpConfig.builder().upstream(java.net.URI.create("ftp://h/")))
                .hasMessageContaining("upstream").hasMessageContaining("ftp://h/");
        assertThatThrownBy(() -> HarpConfig.builder().keepValues(" ")).hasMessageContaining("keepValues");
    }
}
