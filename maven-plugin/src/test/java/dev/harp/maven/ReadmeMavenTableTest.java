package dev.harp.maven;

import dev.harp.options.Face;
import dev.harp.options.HarpOption;
import dev.harp.options.OptionCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's tables of the plugin: its goals are the generated descriptor's (with their default phases), its
 * parameters exactly the catalogue's Maven options, defaults and docs.
 */
class ReadmeMavenTableTest {
    private static final String SECTION = "## Maven plugin";
    private static final String HEADER = "| parameter | default | meaning |";

    @Test
    void goalTableListsEveryGoalOfThePluginWithItsPhase() throws Exception {
        Map<String, String> described = new java.util.TreeMap<>();
        org.w3c.dom.Document descriptor = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("target/classes/META-INF/maven/plugin.xml").toFile());
        org.w3c.dom.NodeList mojos = descriptor.getElementsByTagName("mojo");
        for (int m = 0; m < mojos.getLength(); m++) {
            org.w3c.dom.Element mojo = (org.w3c.dom.Element) mojos.item(m);
            org.w3c.dom.NodeList phase = mojo.getElementsByTagName("phase");
            described.put("harp:" + mojo.getElementsByTagName("goal").item(0).getTextContent().trim(),
                    phase.getLength() == 0 ? "" : phase.item(0).getTextContent().trim());
        }
        List<String> lines = Files.readAllLines(Path.of("../README.md"));
        int i = lines.indexOf(SECTION);
        while (i < lines.size() && !lines.get(i).equals("| goal | default phase | what |")) {
            i++;
        }
        assertThat(i).as("goal table in " + SECTION).isLessThan(lines.size());
        Map<String, String> documented = new java.util.TreeMap<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\s*\\|\\s*");
            String phase = cells[2].startsWith("`") ? cells[2].replace("`", "") : "";
            documented.put(cells[1].replace("`", ""), phase);
        }
        assertThat(documented).as("goals and default phases in the README").isEqualTo(described);
    }

    @Test
    void parameterTableIsTheMavenFaceOfTheCatalogue() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../README.md"));
        int i = lines.indexOf(SECTION);
        assertThat(i).as("README section " + SECTION).isNotNegative();
        while (i < lines.size() && !lines.get(i).equals(HEADER)) {
            i++;
        }
        assertThat(i).as("table " + HEADER + " in " + SECTION).isLessThan(lines.size());
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\s*\\|\\s*");
            String name = cells[1].replaceAll("[`<>]", "");
            rows.put(name, List.of(cells[2], cells[3]));
        }
        TreeSet<String> expected = new TreeSet<>();
        OptionCatalog.of(Face.MAVEN).forEach(o -> expected.add(o.name()));
        assertThat(new TreeSet<>(rows.keySet())).as("parameters in the README's Maven table").isEqualTo(expected);
        for (HarpOption<?> option : OptionCatalog.of(Face.MAVEN)) {
            String text = option.defaultText(Face.MAVEN);
            assertThat(rows.get(option.name()).get(0)).as("README default of <%s>", option.name())
                    .isEqualTo(text.isEmpty() ? "none" : "`" + text + "`");
            assertThat(rows.get(option.name()).get(1)).as("README meaning of <%s>", option.name())
                    .isEqualTo(option.doc());
        }
    }
}
