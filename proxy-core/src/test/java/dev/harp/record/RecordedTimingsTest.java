package dev.harp.record;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Timings are written to the microsecond the clock measured, never with a binary-fraction tail. */
class RecordedTimingsTest {
    @Test
    void sumsOfPhasesAreRoundedToMicroseconds() {
        double sum = 0.4 + 1.1 + 0.398; // 1.8980000000000001 in binary floating point
        assertThat(sum).isNotEqualTo(1.898);
        assertThat(HarEntries.toMicros(sum)).isEqualTo(1.898);
        assertThat(HarEntries.toMicros(2.0000004)).isEqualTo(2.0);
        assertThat(HarEntries.toMicros(0.0015)).isEqualTo(0.002);
        assertThat(HarEntries.toMicros(123456.789)).isEqualTo(123456.789);
    }
}
