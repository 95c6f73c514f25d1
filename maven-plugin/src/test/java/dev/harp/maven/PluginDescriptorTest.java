package dev.harp.maven;

import dev.harp.options.Face;
import dev.harp.options.HarpOption;
import dev.harp.options.OptionCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Maven face of {@link OptionCatalog} against the plugin descriptor Maven actually reads
 * ({@code target/classes/META-INF/maven/plugin.xml}, generated from the mojos' annotations and Javadoc): the
 * parameters of the goals that run Harp ({@code start}, {@code stop}, {@code run}) are, together, exactly the
 * catalogue's Maven options; each is described by the catalogue's doc; each default written in the descriptor is the
 * catalogue's. {@code export-ca}, {@code verify} and {@code help} are actions with parameters of their own.
 */
class PluginDescriptorTest {
    private static final Path DESCRIPTOR = Path.of("target/classes/META-INF/maven/plugin.xml");
    /** Options only {@code harp:run} has: not expected while that goal does not exist. */
    private static final Set<String> RUN_ONLY = Set.of("timeout");

    private static Map<String, Map<String, Parameter>> goals;

    /** One parameter of one goal as the descriptor declares it. */
    private record Parameter(String name, String description, String defaultValue, String expression) {
    }

    @BeforeAll
    static void readDescriptor() throws Exception {
        assertThat(DESCRIPTOR).as("run after process-classes: the descriptor goal writes it").isRegularFile();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document;
        try (var in = Files.newInputStream(DESCRIPTOR)) {
            document = factory.newDocumentBuilder().parse(in);
        }
        goals = new LinkedHashMap<>();
        NodeList mojos = document.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            Map<String, String> defaults = new LinkedHashMap<>();
            Map<String, String> expressions = new LinkedHashMap<>();
            Element configuration = child(mojo, "configuration");
            if (configuration != null) {
                for (Element value : children(configuration)) {
                    expressions.put(value.getTagName(), value.getTextContent().strip());
                    if (value.hasAttribute("default-value")) {
                        defaults.put(value.getTagName(), value.getAttribute("default-value"));
                    }
                }
            }
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            Element list = child(mojo, "parameters");
            if (list != null) {
                for (Element parameter : children(list)) {
                    String name = text(parameter, "name");
                    parameters.put(name, new Parameter(name, text(parameter, "description"), defaults.get(name),
                            expressions.get(name)));
                }
            }
            goals.put(text(mojo, "goal"), parameters);
        }
    }

    @Test
    void reportPruneAndVerifyNameTheirFoldersAlikeAndDefaultToTheExtensionsFixtureFolder() {
        for (String goal : List.of("report", "prune", "verify")) {
            assertThat(goals.get(goal).get("usageDir")).as(goal).extracting(Parameter::expression, Parameter::defaultValue)
                    .containsExactly("${harp.usageDir}", "${project.build.directory}/harp");
            assertThat(goals.get(goal).get("testClasses")).as(goal).extracting(Parameter::defaultValue)
                    .isEqualTo("${project.build.testOutputDirectory}");
        }
        for (String goal : List.of("report", "prune")) {
            assertThat(goals.get(goal).get("fixtures")).as(goal).extracting(Parameter::expression, Parameter::defaultValue)
                    .containsExactly("${harp.fixtures}", "${project.basedir}/" + OptionCatalog.DIRECTORY.defaultValue());
        }
        assertThat(goals.get("verify").get("reportFixtures")).extracting(Parameter::expression, Parameter::defaultValue)
                .containsExactly("${harp.fixtures}", "${project.basedir}/" + OptionCatalog.DIRECTORY.defaultValue());
        assertThat(goals.get("report").get("out").expression()).isEqualTo("${harp.out}");
        assertThat(goals.get("prune").get("apply").expression()).isEqualTo("${harp.prune.apply}");
    }

    private List<Parameter> proxyGoalParameters() {
        List<Parameter> all = new ArrayList<>();
        for (String goal : List.of("start", "stop", "run")) {
            all.addAll(goals.getOrDefault(goal, Map.of()).values());
        }
        return all;
    }

    @Test
    void startStopAndRunTogetherExposeExactlyTheMavenOptions() {
        assertThat(goals).containsKeys("start", "stop");
        Set<String> expected = new TreeSet<>();
        for (HarpOption<?> option : OptionCatalog.of(Face.MAVEN)) {
            expected.add(option.name());
        }
        if (!goals.containsKey("run")) {
            expected.removeAll(RUN_ONLY);
        }
        Set<String> actual = new TreeSet<>();
        proxyGoalParameters().forEach(p -> actual.add(p.name()));
        assertThat(actual).as("parameters of start, stop and run vs OptionCatalog.of(Face.MAVEN)")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyParameterIsDescribedByTheCatalogueDoc() {
        for (Parameter parameter : proxyGoalParameters()) {
            HarpOption<?> option = OptionCatalog.named(parameter.name()).orElseThrow();
            assertThat(words(parameter.description()))
                    .as("description of <%s> in plugin.xml (the mojo field's Javadoc) begins with the catalogue doc",
                            parameter.name())
                    .startsWith(words(option.doc()));
        }
    }

    @Test
    void everyDefaultInTheDescriptorIsTheCatalogueDefault() {
        for (Map.Entry<String, Map<String, Parameter>> goal : goals.entrySet()) {
            if (!List.of("start", "stop", "run").contains(goal.getKey())) {
                continue;
            }
            for (Parameter parameter : goal.getValue().values()) {
                if (parameter.defaultValue() == null) {
                    continue; // left to the catalogue through OptionValues
                }
                HarpOption<?> option = OptionCatalog.named(parameter.name()).orElseThrow();
                // harp:run behaves like the command line (port 8080, the CA in ~/.harp): its defaults may be the CLI's.
                boolean cliDefault = goal.getKey().equals("run") && option.faces().contains(Face.CLI)
                        && parameter.defaultValue().equals(option.defaultText(Face.CLI));
                if (!cliDefault) {
                    assertThat(parameter.defaultValue()).as("default of <%s> in harp:%s", parameter.name(), goal.getKey())
                            .isEqualTo(option.defaultText(Face.MAVEN));
                }
            }
        }
    }

    /** Lower-case words: tags, punctuation and case do not count. */
    static String words(String text) {
        return text.replaceAll("<[^>]*>", " ").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
    }

    private static Element child(Element parent, String name) {
        for (Element child : children(parent)) {
            if (child.getTagName().equals(name)) {
                return child;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                out.add(element);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element child = child(parent, name);
        return child == null ? "" : child.getTextContent().strip();
    }
}
