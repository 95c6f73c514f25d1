package dev.harp.maven;

import dev.harp.HarpServer;
import dev.harp.options.Face;
import dev.harp.usage.FixtureUse;
import dev.harp.usage.ServerUse;
import dev.harp.usage.UsageLog;
import org.apache.maven.plugin.logging.Log;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes a goal's use of its HAR into the usage folder ({@code <usageDir>}, {@code -Dharp.usageDir}; default
 * {@code target/harp}) for {@code harp:report} and {@code harp:prune}. Usage data never fails a build: a folder that
 * cannot be written is one warning.
 */
final class UsageData {
    private UsageData() {
    }

    /**
     * @param log           the goal's log
     * @param usageDir      the configured folder, {@code off}/{@code none}, or null for none
     * @param baseDirectory what a relative folder is resolved against
     * @param usage         the use begun when the proxy started
     * @param harp          the stopped proxy
     * @param user          who used the HAR, e.g. {@code harp:start (default)}
     * @param userId        the execution id, or empty
     * @param outcome       how the build went, as far as the goal can tell
     * @param selection     how the Maven run was narrowed ({@code it.test=OrderIT}), or empty
     * @return the file written, or null
     */
    static Path write(Log log, String usageDir, Path baseDirectory, ServerUse usage, HarpServer harp, String user,
                      String userId, FixtureUse.Outcome outcome, String selection) {
        return write(log::warn, log::debug, usageDir, baseDirectory, usage, harp, user, userId, outcome, selection);
    }

    /**
     * @param warn          where a failure is told (one line)
     * @param debug         where the file written is told
     * @param usageDir      the configured folder, {@code off}/{@code none}, or null for none
     * @param baseDirectory what a relative folder is resolved against
     * @param usage         the use begun when the proxy started
     * @param harp          the stopped proxy
     * @param user          who used the HAR
     * @param userId        the execution id, or empty
     * @param outcome       how the build went, as far as the caller can tell
     * @param selection     how the Maven run was narrowed ({@code it.test=OrderIT}), or empty: a narrowed use never
     *                      proves an entry unused by the whole build
     * @return the file written, or null
     */
    static Path write(Consumer<String> warn, Consumer<String> debug, String usageDir, Path baseDirectory,
                      ServerUse usage, HarpServer harp, String user, String userId, FixtureUse.Outcome outcome,
                      String selection) {
        if (usageDir == null || usageDir.isBlank() || UsageLog.isOff(usageDir) || usage == null) {
            return null;
        }
        Path folder;
        try {
            folder = baseDirectory.resolve(usageDir.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            warn.accept("Harp: <usageDir> '" + usageDir + "' is not a valid path; no usage data written");
            return null;
        }
        try {
            FixtureUse use = usage.end(harp, Face.MAVEN, user).userId(userId).outcome(outcome)
                    .selection(selection == null ? "" : selection).build();
            Path file = UsageLog.at(folder).write(use);
            debug.accept("Harp usage data: " + file);
            return file;
        } catch (IOException | RuntimeException e) {
            warn.accept("Harp could not write usage data under " + folder + ": " + e.getMessage());
            return null;
        }
    }
}
