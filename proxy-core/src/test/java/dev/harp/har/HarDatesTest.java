package dev.harp.har;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The hand-written canonical form agrees with java.time's formatter and lenient parser. */
class HarDatesTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatsAndParsesLikeJavaTimeForManyInstants() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            // 0000-01-01 to 9999-12-31, any nanosecond (formatting truncates to the millisecond, as the reference does)
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L),
                    random.nextInt(1_000_000_000));
            String text = HarDates.format(at);
            assertEquals(REFERENCE.format(at), text);
            Instant back = Instant.from(REFERENCE.parse(text));
            assertEquals(back, HarDates.parseCanonical(text), text);
            assertEquals(Optional.of(back), HarDates.parse(text), text);
        }
    }

    @Test
    void edgesOfTheDayAndTheEpoch() {
        for (String text : new String[] {"1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z",
                "2024-02-29T12:00:00.500Z", "2026-12-31T23:59:59.999Z", "0000-01-01T00:00:00.000Z"}) {
            Instant at = Instant.from(REFERENCE.parse(text));
            assertEquals(at, HarDates.parseCanonical(text));
            assertEquals(text, HarDates.format(at));
        }
    }

    @Test
    void yearsBeyondFourDigitsGoThroughTheGeneralFormatter() {
        Instant far = Instant.parse("+12345-01-01T00:00:00Z");
        assertEquals(REFERENCE.format(far), HarDates.format(far));
    }

    @Test
    void otherFormsAreLeftToTheLenientParser() {
        for (String text : new String[] {"2026-02-31T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
                "2026-01-01T24:00:00.000Z", "2026-01-01T00:60:00.000Z", "2026-01-01 00:00:00.000Z",
                "2026-01-01T00:00:00.000+01:00", "2026-01-01T00:00:00.0000Z", "2026-01-01T00:00:0x.000Z", "",
                "2026-01-01T00:00:00.00Z"}) {
            assertNull(HarDates.parseCanonical(text), text);
        }
        assertEquals(Optional.of(Instant.parse("2025-12-31T23:00:00Z")), HarDates.parse("2026-01-01T00:00:00.000+01:00"));
        assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:00.120Z")), HarDates.parse("2026-01-01T00:00:00.12Z"));
    }
}
