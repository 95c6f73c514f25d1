package dev.harp.replay;

import static dev.harp.replay.Fixtures.get;
import static dev.harp.replay.Fixtures.index;
import static dev.harp.replay.Fixtures.withUrl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.harp.HarpConfig;
import dev.harp.options.Face;
import org.junit.jupiter.api.Test;

/** A miss suggests options in the spelling of the face Harp is configured through. */
class MissFaceTest {

    private static final String ORDERS = "https://api.example.com/v1/orders";

    private static String missText(MatchOptions options) {
        ReplayIndex<String> index = index(options, get(ORDERS + "?page=1"), "page 1");
        Lookup<String> lookup = index.find(get(ORDERS + "?page=1&ts=1712"));
        assertThat(lookup.isHit()).as("expected a miss").isFalse();
        return lookup.miss().describe();
    }

    @Test
    void theCommandLineGetsItsFlag() {
        assertThat(missText(MatchOptions.builder().face(Face.CLI).build()))
                .contains("      option: --ignore-query-param ts\n")
                .doesNotContain("ignoreQueryParams");
    }

    @Test
    void junitGetsTheAnnotationMember() {
        assertThat(missText(MatchOptions.builder().face(Face.JUNIT).build()))
                .contains("      option: ignoreQueryParams = \"ts\"\n")
                .doesNotContain("--ignore-query-param");
    }

    @Test
    void mavenGetsThePomElement() {
        assertThat(missText(MatchOptions.builder().face(Face.MAVEN).build()))
                .contains("      option: <ignoreQueryParams>ts</ignoreQueryParams>\n")
                .doesNotContain("--ignore-query-param");
    }

    @Test
    void withoutAFaceBothSpellingsAreShown() {
        assertThat(missText(MatchOptions.defaults()))
                .contains("      option: --ignore-query-param ts / ignoreQueryParams(\"ts\")\n");
    }

    @Test
    void harpConfigCarriesTheFaceToReplay() {
        MatchOptions options = MatchOptions.builder().ignoreBody(true).build();
        HarpConfig config = HarpConfig.builder().matchOptions(options).face(Face.JUNIT).build();
        assertThat(config.matchOptions().face()).contains(Face.JUNIT);
        assertThat(config.matchOptions().ignoreBody()).isTrue();
        assertThat(missText(config.matchOptions())).contains("option: ignoreQueryParams = \"ts\"");
    }

    @Test
    void removalsAndSequencesAreSpelledPerFaceToo() {
        MatchOptions options = MatchOptions.builder().matchHeaders("Accept").face(Face.MAVEN).build();
        ReplayIndex<String> index = index(options, withUrl("GET", ORDERS).header("Accept", "application/json").build(), "json");
        assertThat(index.find(withUrl("GET", ORDERS).header("Accept", "text/csv").build()).miss().describe())
                .contains("option: remove <matchHeaders>accept</matchHeaders>");

        ReplayIndex<String> once = index(MatchOptions.builder().sequence(SequencePolicy.FAIL_AFTER_LAST).face(Face.JUNIT)
                .build(), get(ORDERS), "only");
        once.find(get(ORDERS));
        assertThat(once.find(get(ORDERS)).miss().describe()).contains("option: sequence = SequencePolicy.SEQUENCE");
        assertThat(Suggestion.repeatingSequence().in(Face.CLI)).isEqualTo("--sequence sequence");
        assertThat(Suggestion.stopMatchingHeader("accept").in(Face.JUNIT)).isEqualTo("remove \"accept\" from matchHeaders");
    }
}
