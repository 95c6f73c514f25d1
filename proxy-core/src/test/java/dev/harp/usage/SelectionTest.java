package dev.harp.usage;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The narrowing properties, described as a use records them and as harp:prune names them. */
class SelectionTest {
    @Test
    void describesEverySetPropertyInOrderAndNamesTheFirst() {
        Map<String, String> props = Map.of("excludedGroups", "slow", "it.test", " OrderIT ", "groups", " ",
                "harp.mode", "replay");

        assertThat(Selection.PROPERTIES).containsExactly("test", "it.test", "groups", "excludedGroups");
        assertThat(Selection.describe(props::get)).isEqualTo("it.test=OrderIT excludedGroups=slow");
        assertThat(Selection.first(props::get)).isEqualTo("it.test=OrderIT");
        assertThat(Selection.describe(name -> null)).isEmpty();
        assertThat(Selection.first(name -> null)).isNull();
    }
}
