package dev.harp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The one error line of the CLI never repeats a secret the HAR parser quoted from a broken file. */
class CliErrorRedactionTest {
    /** An AWS access key id: alphanumeric, so the parser quotes all of it. */
    private static final String KEY = "AKIAZ7Q3EXAMPLEKEY42";

    @TempDir
    Path dir;

    @Test
    void aTokenQuotedByTheParserIsRedactedInTheErrorLine() throws Exception {
        Path har = dir.resolve("broken.har");
        // An unquoted token where a value belongs: the parser names the token it choked on.
        Files.writeString(har, "{\"log\": {\"version\": \"1.2\", \"entries\": [" + KEY + "]}}\n");
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run("--mode", "replay", "--har", har.toString(), "--port", "0");
        } finally {
            System.setErr(original);
        }
        String err = buffer.toString(StandardCharsets.UTF_8);

        assertThat(status).isEqualTo(2);
        assertThat(err).contains("harp: ").contains("broken.har:1:").doesNotContain(KEY);
    }
}
