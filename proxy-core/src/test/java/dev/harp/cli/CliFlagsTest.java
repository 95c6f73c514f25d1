package dev.harp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line is read by {@link Flags}' table and its help rendered by picocli from {@link HarpCommand}'s
 * annotations: the two must agree on every flag, and give the same command for the same arguments.
 */
class CliFlagsTest {
    private static List<OptionSpec> annotated() {
        return new CommandLine(new HarpCommand()).getCommandSpec().options();
    }

    @Test
    void theTableHasExactlyTheAnnotatedFlags() {
        TreeSet<String> annotated = new TreeSet<>();
        for (OptionSpec spec : annotated()) {
            if (!spec.usageHelp() && !spec.versionHelp()) {
                annotated.addAll(List.of(spec.names()));
            }
        }
        assertThat(new TreeSet<>(Flags.names())).isEqualTo(annotated);
        for (OptionSpec spec : annotated()) {
            if (!spec.usageHelp() && !spec.versionHelp()) {
                assertThat(Flags.takesValue(spec.longestName())).as("does " + spec.longestName() + " take a value")
                        .isEqualTo(spec.arity().max() > 0);
            }
        }
    }

    /** Each flag, given a value of its type (twice for a repeatable one), yields the same command both ways. */
    @Test
    void eachFlagGivesTheSameCommandAsPicocliWould() throws Exception {
        for (OptionSpec spec : annotated()) {
            if (spec.usageHelp() || spec.versionHelp()) {
                continue;
            }
            for (String name : spec.names()) {
                List<String> args = new ArrayList<>();
                Class<?> type = spec.type();
                if (type == boolean.class || type == Boolean.class) {
                    args.add(name);
                } else if (spec.isMultiValue()) {
                    args.addAll(List.of(name, "a,b", name + "=c"));
                } else {
                    args.addAll(List.of(name, sample(type)));
                }
                assertSameCommand(args.toArray(String[]::new));
            }
        }
    }

    @Test
    void severalFlagsTogetherInBothForms() throws Exception {
        assertSameCommand("--mode=RECORD", "--har", "dir with space/x.har", "--port=0", "-v", "--no-redact",
                "--redact", "token", "--redact=secret,pin", "--upstream", "https://api.test:8443/base");
        assertSameCommand();
    }

    @Test
    void badInputIsAUsageErrorNamingTheFlagOrValue() {
        assertThatThrownBy(() -> Flags.parse(new String[] {"--bogus"}, new HarpCommand()))
                .hasMessageContaining("unknown option '--bogus'");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--mode", "sideways"}, new HarpCommand()))
                .hasMessageContaining("'--mode'").hasMessageContaining("'sideways'");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--port", "eighty"}, new HarpCommand()))
                .hasMessageContaining("'--port'").hasMessageContaining("'eighty'");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--har"}, new HarpCommand()))
                .hasMessageContaining("'--har' needs a value");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--ignore-body=yes"}, new HarpCommand()))
                .hasMessageContaining("'--ignore-body' takes no value");
        assertThatThrownBy(() -> Flags.parse(new String[] {"flows.har"}, new HarpCommand()))
                .hasMessageContaining("unexpected argument 'flows.har'");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--mode", "record", "--mode=replay"}, new HarpCommand()))
                .hasMessageContaining("'--mode' should be given only once");
        assertThatThrownBy(() -> Flags.parse(new String[] {"--har", "--port", "0"}, new HarpCommand()))
                .hasMessageContaining("'--har' needs a value, but '--port' follows it");
        assertThat(Flags.asksForHelpOrVersion(new String[] {"--proxy-auth", "-h", "--port", "0"})).isFalse();
        assertThat(Flags.asksForHelpOrVersion(new String[] {"--port", "0", "--help"})).isTrue();
    }

    @Test
    void aBadFlagExitsWithStatusTwoAndOneLineSayingWhatToTry() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("--mode", "replay", "--nope");
        } finally {
            System.setErr(saved);
        }
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("harp: unknown option '--nope'" + System.lineSeparator()
                        + "Try 'java -jar harp.jar --help' for the options." + System.lineSeparator());
    }

    @Test
    void helpAndVersionAreStillPicocli() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.run("--help")).isZero();
            assertThat(Main.run("--version")).isZero();
        } finally {
            System.setOut(saved);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--mode=MODE").contains("--har=FILE")
                .contains("Harp ");
    }

    private static String sample(Class<?> type) {
        if (type == int.class || type == long.class) {
            return "42";
        }
        if (type == Path.class) {
            return "some dir/file.har";
        }
        if (type == URI.class) {
            return "http://upstream.test:8080/base";
        }
        if (type == dev.harp.Mode.class) {
            return "Replay";
        }
        return "value-1";
    }

    private static void assertSameCommand(String... args) throws Exception {
        HarpCommand byPicocli = new HarpCommand();
        new CommandLine(byPicocli).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        HarpCommand byTable = new HarpCommand();
        Flags.parse(args, byTable);
        for (Field field : HarpCommand.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            assertThat(field.get(byTable)).as(field.getName() + " after " + List.of(args))
                    .isEqualTo(field.get(byPicocli));
        }
    }
}
