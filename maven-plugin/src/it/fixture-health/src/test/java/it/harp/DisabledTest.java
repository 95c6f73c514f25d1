package it.harp;

import dev.harp.Mode;
import dev.harp.junit.Harp;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Switched off for now: its fixture must survive pruning, though no test opened it in this build. */
@Disabled("the API it calls is not ready")
@Harp(mode = Mode.REPLAY)
class DisabledTest {

    @Test
    void later() {
        throw new AssertionError("disabled");
    }
}
