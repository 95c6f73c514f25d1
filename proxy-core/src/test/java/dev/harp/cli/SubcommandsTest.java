package dev.harp.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subcommand is listed by {@code harp --help} and answers its own {@code --help}. */
class SubcommandsTest {

    private static String run(int expectedStatus, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = Main.run(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(expectedStatus);
        return text;
    }

    @Test
    void theMainHelpListsEverySubcommand() {
        String help = run(0, "--help");

        assertThat(Subcommands.names()).containsExactly("diff", "prune", "report"); // each runs: the test below
        for (String name : Subcommands.names()) {
            assertThat(help).contains("  harp " + name + " ");
        }
    }

    @Test
    void everySubcommandHasItsOwnHelpAndRefusesAnUnknownFlag() {
        for (String name : Subcommands.names()) {
            assertThat(run(0, name, "--help")).as(name).contains("Usage: harp " + name);
            assertThat(run(2, name, "a", "b", "--no-such-flag")).as(name)
                    .startsWith("harp " + name + ": ")
                    .contains("'--no-such-flag'")
                    .contains("Try 'harp " + name + " --help'");
        }
    }
}
