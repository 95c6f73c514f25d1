package dev.harp.junit;

import dev.harp.options.Face;
import dev.harp.options.HarpOption;
import dev.harp.options.OptionCatalog;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Harp} and {@code HarpExtension.builder()} expose exactly the core catalogue's JUnit options, under its
 * names, with its defaults. (The command line is checked by proxy-core's {@code CliOptionsTest}, the README's tables
 * by its {@code ReadmeOptionsTest}.)
 */
class OptionsConsistencyTest {
    /**
     * Builder methods that are not options: {@code matchOptions} sets all matching options at once from the core's
     * {@code MatchOptions}, {@code build} ends the builder. A new option must go into the catalogue instead.
     */
    private static final Set<String> BUILDER_NON_OPTIONS = Set.of("matchOptions", "build");

    /** How each option's value is read back from what a face produced; a new option needs a line here. */
    private static final Map<String, Function<HarpOptions, Object>> READ = new LinkedHashMap<>();

    static {
        READ.put("har", HarpOptions::har);
        READ.put("directory", HarpOptions::directory);
        READ.put("mode", HarpOptions::mode);
        READ.put("ignoreQueryParams", o -> List.copyOf(o.proxy().match().ignoreQueryParams()));
        READ.put("ignoreJsonPaths", o -> List.copyOf(o.proxy().match().ignoreJsonPaths()));
        READ.put("matchHeaders", o -> List.copyOf(o.proxy().match().matchHeaders()));
        READ.put("ignoreBody", o -> o.proxy().match().ignoreBody());
        READ.put("hostAliases", o -> o.proxy().match().hostAliases().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        READ.put("sequence", o -> o.proxy().match().sequence());
        READ.put("wireJvm", o -> o.proxy().wireJvm());
        READ.put("failOnMiss", HarpOptions::failOnMiss);
        READ.put("failOnUnused", HarpOptions::failOnUnused);
        READ.put("latency", o -> o.proxy().latency());
        READ.put("insecureUpstream", o -> o.proxy().insecureUpstream());
        READ.put("upstreamTrust", o -> o.proxy().upstreamTrust());
        READ.put("noIntercept", o -> o.proxy().noIntercept());
        READ.put("bindAddress", o -> o.proxy().bindAddress());
        READ.put("keepValues", o -> o.proxy().keepValues());
        READ.put("proxyAuth", o -> o.proxy().proxyAuth());
    }

    private static Set<String> catalogueNames() {
        return OptionCatalog.of(Face.JUNIT).stream().map(HarpOption::name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theAnnotationHasExactlyTheCataloguesOptionsAndDefaults() {
        Map<String, Method> members = new LinkedHashMap<>();
        for (Method m : Harp.class.getDeclaredMethods()) {
            members.put(m.getName(), m);
        }
        assertThat(new TreeSet<>(members.keySet())).as("members of @Harp vs OptionCatalog's JUnit options")
                .isEqualTo(catalogueNames());
        for (HarpOption<?> option : OptionCatalog.of(Face.JUNIT)) {
            Method member = members.get(option.name());
            assertThat(option.format(member.getDefaultValue())).as("default of @Harp." + option.name())
                    .isEqualTo(option.defaultText(Face.JUNIT));
            assertThat(member.getReturnType().isArray()).as("is @Harp." + option.name() + " repeatable")
                    .isEqualTo(option.repeatable());
        }
    }

    @Test
    void theBuilderHasExactlyTheCataloguesOptionsAndDefaults() {
        Set<String> methods = Arrays.stream(HarpExtension.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(Method::getName)
                .filter(name -> !BUILDER_NON_OPTIONS.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(methods).as("public methods of HarpExtension.Builder vs OptionCatalog's JUnit options")
                .isEqualTo(catalogueNames());
        assertThat(new TreeSet<>(READ.keySet())).as("options this test can read back").isEqualTo(catalogueNames());
        HarpOptions defaults = HarpExtension.builder().options();
        for (HarpOption<?> option : OptionCatalog.of(Face.JUNIT)) {
            assertThat(option.format(READ.get(option.name()).apply(defaults))).as("default of builder()." + option.name())
                    .isEqualTo(option.defaultText(Face.JUNIT));
        }
    }

    @Test
    void annotationAndBuilderGiveTheSameOptions() {
        @Harp
        class Bare {
        }
        HarpOptions fromAnnotation = HarpOptions.from(Bare.class.getAnnotation(Harp.class));
        HarpOptions fromBuilder = HarpExtension.builder().options();
        READ.forEach((name, read) -> assertThat(read.apply(fromAnnotation)).as(name).isEqualTo(read.apply(fromBuilder)));
    }
}
