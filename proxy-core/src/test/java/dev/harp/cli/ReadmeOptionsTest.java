package dev.harp.cli;

import dev.harp.options.Face;
import dev.harp.options.HarpOption;
import dev.harp.options.OptionCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's JUnit options table and command-line reference list exactly the catalogue's options and defaults. */
class ReadmeOptionsTest {
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");
    private static final Pattern SIZE = Pattern.compile("(\\d+) (KiB|MiB)");

    private static List<String> readme() throws IOException {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return Files.readAllLines(base.resolve("../README.md").normalize());
    }

    /** The body rows (cells, trimmed) of the first table after the line {@code heading} that follows {@code section}. */
    static List<List<String>> table(List<String> lines, String section, String heading) {
        int i = lines.indexOf(section);
        assertThat(i).as("README section " + section).isNotNegative();
        while (!lines.get(i).equals(heading)) {
            i++;
        }
        while (!lines.get(i).startsWith("|")) {
            i++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1);
            rows.add(Arrays.stream(cells).map(String::trim).toList());
        }
        return rows;
    }

    @Test
    void theJunitTableListsTheCataloguesJunitOptionsWithTheirDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (List<String> row : table(readme(), "## Quick start: JUnit 5 (`@Harp`)", "### Options")) {
            defaults.put(row.get(0).replace("`", ""), row.get(1));
        }
        assertThat(new TreeSet<>(defaults.keySet())).as("options in the README's JUnit table")
                .isEqualTo(OptionCatalog.of(Face.JUNIT).stream().map(HarpOption::name)
                        .collect(Collectors.toCollection(TreeSet::new)));
        for (HarpOption<?> option : OptionCatalog.of(Face.JUNIT)) {
            assertThat(sameDefault(defaults.get(option.name()), option, Face.JUNIT))
                    .as("README JUnit default of " + option.name() + ": '" + defaults.get(option.name())
                            + "', catalogue: '" + option.defaultText(Face.JUNIT) + "'").isTrue();
        }
    }

    @Test
    void theCommandLineReferenceListsTheCataloguesFlagsWithTheirDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (List<String> row : table(readme(), "## Command-line reference", "## Command-line reference")) {
            List<String> flags = new ArrayList<>();
            Matcher m = FLAG.matcher(row.get(0));
            while (m.find()) {
                flags.add(m.group());
            }
            // One default per flag: the whole cell for one flag, comma-separated for a row of several.
            List<String> values = flags.size() == 1 ? List.of(row.get(1)) : List.of(row.get(1).split(", ", -1));
            for (int k = 0; k < flags.size(); k++) {
                defaults.put(flags.get(k), k < values.size() ? values.get(k) : null);
            }
        }
        Set<String> expected = new TreeSet<>(CliOptionsTest.CLI_ONLY_ACTIONS);
        OptionCatalog.of(Face.CLI).forEach(o -> expected.add(o.cliFlag()));
        assertThat(new TreeSet<>(defaults.keySet())).as("flags in the README's command-line reference").isEqualTo(expected);
        for (HarpOption<?> option : OptionCatalog.of(Face.CLI)) {
            String cell = defaults.get(option.cliFlag());
            assertThat(cell != null && sameDefault(cell, option, Face.CLI))
                    .as("README CLI default of " + option.cliFlag() + ": '" + cell + "', catalogue: '"
                            + option.defaultText(Face.CLI) + "'").isTrue();
        }
    }

    /** Whether a README default cell says the catalogue's default, in the words the README uses. */
    static boolean sameDefault(String cell, HarpOption<?> option, Face face) {
        String expected = option.defaultText(face);
        String c = cell.replace("`", "").trim();
        if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
            c = c.substring(1, c.length() - 1);
        }
        if (c.equalsIgnoreCase(expected)) {
            return true;
        }
        if (expected.isEmpty()) {
            // unset: "none", or the environment fallback that applies when unset ($HARP_CA_DIR, $HARP_PROXY_AUTH)
            return c.isEmpty() || c.equals("none") || c.startsWith("none,") || c.startsWith("$HARP_");
        }
        if (expected.equals("false") || expected.equals("true")) {
            return c.equals(expected.equals("true") ? "on" : "off");
        }
        if (option == OptionCatalog.MAX_CONNECTIONS) {
            // 0 means: computed from the descriptor limit, which the README describes as "from ulimit -n"
            return expected.equals("0") && c.contains("ulimit");
        }
        Matcher size = SIZE.matcher(c);
        if (size.matches()) {
            long bytes = Long.parseLong(size.group(1)) * (size.group(2).equals("KiB") ? 1024 : 1024 * 1024);
            return Long.toString(bytes).equals(expected);
        }
        return false;
    }
}
