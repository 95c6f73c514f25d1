package dev.harp.options;

import dev.harp.HarpConfig;
import dev.harp.replay.SequencePolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values collected by a face, by name or typed, turn into the same configuration whatever the face. */
class OptionValuesTest {

    @Test
    void unsetOptionsTakeTheDefaultsOfTheFace() {
        HarpConfig cli = OptionValues.builder(Face.CLI).build().applyTo(HarpConfig.builder()).build();
        HarpConfig maven = OptionValues.builder(Face.MAVEN).build().applyTo(HarpConfig.builder()).build();

        assertThat(cli.port()).isEqualTo(8080);
        assertThat(maven.port()).as("the plugin binds any free port and publishes it").isZero();
        assertThat(maven.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(maven.matchOptions().face()).contains(Face.MAVEN);
        assertThat(maven.redactor().isEnabled()).isTrue();
    }

    @Test
    void valuesGivenByNameAsTextReachTheConfiguration() {
        OptionValues values = OptionValues.builder(Face.MAVEN)
                .parse("port", "0")
                .parse("ignoreQueryParams", "ts, session")
                .parse("sequence", "reuse-first")
                .parse("idleTimeout", "5")
                .parse("hostAliases", "localhost:9=api.example.test")
                .parse("keepValues", "session")
                .parse("captureLimit", "1024")
                .parse("latency", "")
                .build();
        HarpConfig config = values.applyTo(HarpConfig.builder()).build();

        assertThat(config.matchOptions().ignoreQueryParams()).containsExactlyInAnyOrder("ts", "session");
        assertThat(config.matchOptions().sequence()).isEqualTo(SequencePolicy.REUSE_FIRST);
        assertThat(config.matchOptions().hostAliases()).containsKey("localhost:9");
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.keepValues()).containsExactly("session");
        assertThat(config.captureLimit()).isEqualTo(1024);
        assertThat(values.isSet(OptionCatalog.LATENCY)).as("blank text leaves an option unset").isFalse();
    }

    @Test
    void noRedactTurnsRedactionOffAndRedactAddsNames() {
        HarpConfig off = OptionValues.builder(Face.CLI).set(OptionCatalog.NO_REDACT, true).build()
                .applyTo(HarpConfig.builder()).build();
        HarpConfig extra = OptionValues.builder(Face.CLI).set(OptionCatalog.REDACT, List.of("X-Tenant")).build()
                .applyTo(HarpConfig.builder()).build();

        assertThat(off.redactor().isEnabled()).isFalse();
        assertThat(extra.redactor().isSecretName("x-tenant")).isTrue();
    }

    @Test
    void aBadValueNamesTheOptionInTheSpellingOfTheFace() {
        assertThatThrownBy(() -> OptionValues.builder(Face.MAVEN).set(OptionCatalog.PORT, 70000).build()
                .applyTo(HarpConfig.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("<port>70000</port>: port must be between 0 and 65535");
        assertThatThrownBy(() -> OptionValues.builder(Face.MAVEN).parse("sequence", "sometimes"))
                .hasMessageContaining("sequence: not a valid value: 'sometimes'");
        assertThatThrownBy(() -> OptionValues.builder(Face.MAVEN).parse("ignoreQueryParam", "ts"))
                .hasMessage("no Harp option is named 'ignoreQueryParam'");
    }

    @Test
    void optionsAFaceDoesNotExposeAreNotApplied() {
        // JUnit has no port option: the extension decides the port itself, so a value set here must not leak in.
        HarpConfig config = OptionValues.builder(Face.JUNIT).set(OptionCatalog.PORT, 1234).build()
                .applyTo(HarpConfig.builder().port(0)).build();

        assertThat(config.port()).isZero();
    }
}
