package dev.harp.junit;

import dev.harp.ModeResolution;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One HAR fixture as one test (or class phase) uses it.
 *
 * @param path  the absolute HAR file
 * @param mode  the mode in force for it
 * @param label who uses it, for messages: {@code WeatherTest.forecast()}, {@code @BeforeAll of WeatherTest}
 */
record Fixture(Path path, ModeResolution mode, String label) {
    Fixture {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(label, "label");
    }

    /** @return whether this fixture is only replayed, so misses are failures */
    boolean replaysOnly() {
        return mode.effective() == dev.harp.Mode.REPLAY;
    }

    /** @return whether this fixture may be written */
    boolean records() {
        return mode.effective() == dev.harp.Mode.RECORD || mode.effective() == dev.harp.Mode.AUTO;
    }
}
