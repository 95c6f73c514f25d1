package dev.harp.cli;

import dev.harp.options.Face;
import dev.harp.options.HarpOption;
import dev.harp.options.OptionCatalog;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line exposes exactly the catalogue's CLI options, under its flags, with its defaults. */
class CliOptionsTest {
    /**
     * Flags of the command line that are actions or output switches, not configuration: no other face has them and
     * the catalogue does not declare them. A new configuration flag must go into the catalogue instead.
     */
    static final Set<String> CLI_ONLY_ACTIONS = Set.of("--export-ca", "--scan-secrets", "--lint", "--verbose", "--help",
            "--version");

    static Map<String, OptionSpec> cliOptions() {
        Map<String, OptionSpec> byFlag = new LinkedHashMap<>();
        for (OptionSpec spec : new CommandLine(new HarpCommand()).getCommandSpec().options()) {
            byFlag.put(spec.longestName(), spec);
        }
        return byFlag;
    }

    @Test
    void theCommandLineHasExactlyTheCataloguesFlags() {
        Set<String> expected = new TreeSet<>(CLI_ONLY_ACTIONS);
        OptionCatalog.of(Face.CLI).forEach(o -> expected.add(o.cliFlag()));
        assertThat(new TreeSet<>(cliOptions().keySet()))
                .as("flags of HarpCommand vs OptionCatalog (declare a new option there, with its flag)")
                .isEqualTo(expected);
    }

    @Test
    void theCommandLineUsesTheCataloguesDefaultsAndArity() {
        Map<String, OptionSpec> cli = cliOptions();
        for (HarpOption<?> option : OptionCatalog.of(Face.CLI)) {
            OptionSpec spec = cli.get(option.cliFlag());
            Object initial = spec.initialValue();
            // --mode is left unset on purpose: ModeResolution then applies -Dharp.mode and HARP_MODE, else auto.
            if (option != OptionCatalog.MODE) {
                assertThat(option.format(initial)).as("default of " + option.cliFlag())
                        .isEqualTo(option.defaultText(Face.CLI));
            }
            assertThat(spec.arity().max() == 0).as("is " + option.cliFlag() + " a switch")
                    .isEqualTo(option.type() == Boolean.class);
            assertThat(spec.isMultiValue()).as("is " + option.cliFlag() + " repeatable").isEqualTo(option.repeatable());
        }
    }

    @Test
    void catalogueValuesParseBackFromTheirText() {
        for (HarpOption<?> option : OptionCatalog.all()) {
            Object value = option.defaultValue();
            if (value != null && !option.format(value).isEmpty()) {
                assertThat(option.format(option.parse(option.format(value)))).as(option.name())
                        .isEqualTo(option.format(value));
            }
        }
        assertThat(OptionCatalog.IGNORE_QUERY_PARAMS.parse("a, b")).isEqualTo(List.of("a", "b"));
    }
}
