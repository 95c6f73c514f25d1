package dev.harp;

import java.util.Locale;

/**
 * What Harp does with each request.
 *
 * <ul>
 *   <li>{@link #RECORD}: forward everything and write a fresh HAR file;</li>
 *   <li>{@link #REPLAY}: answer only from the HAR file, never touching the network;</li>
 *   <li>{@link #AUTO}: replay what is recorded and record what is missing, keeping every existing entry
 *       (acts as {@code REPLAY} when the environment variable {@code CI} is {@code true});</li>
 *   <li>{@link #PASSTHROUGH}: forward everything and record nothing.</li>
 * </ul>
 */
public enum Mode {
    /** Forward every request and write a fresh HAR. */
    RECORD,
    /** Answer only from the HAR; never touch the network. */
    REPLAY,
    /** Replay what is recorded, record what is missing; {@code REPLAY} when {@code CI=true}. */
    AUTO,
    /** Forward every request and record nothing. */
    PASSTHROUGH;

    /** The lower-case name used on the command line, in annotations and in build files. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a mode name case-insensitively.
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static Mode parse(String text) {
        String t = text == null ? "" : text.trim();
        for (Mode m : values()) {
            if (m.name().equalsIgnoreCase(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "' (expected record, replay, auto or passthrough)");
    }

    /** Whether requests in this mode are forwarded to the real upstream (at least on a replay miss). */
    public boolean forwards() {
        return this != REPLAY;
    }
}
