package dev.harp.junit;

import dev.harp.HarFile;
import dev.harp.record.Redactor;
import dev.harp.replay.Miss;
import dev.harp.replay.ReplayResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Turns session reports into test failures and log lines that say what happened and what to do. */
final class Reports {
    private static final Logger LOG = LoggerFactory.getLogger(Reports.class);

    /** How to re-record, in every message that needs it. */
    static final String HOW_TO_RECORD = "run it once with -Dharp.mode=record (or HARP_MODE=record) where the real "
            + "services are reachable, then commit the fixture; -Dharp.mode=auto keeps what is recorded and adds what "
            + "is missing (outside CI)";

    private Reports() {
    }

    /**
     * Logs what is not a failure (unused entries, misses with {@code failOnMiss = false}) and builds the failure, if
     * any.
     *
     * @param report       what happened
     * @param failOnMiss   whether replay misses fail
     * @param failOnUnused whether unused entries fail
     * @param checkUnused  whether unused entries are final here (false while a fixture is only parked on)
     * @return the failure message, or empty
     */
    static Optional<String> failure(SessionReport report, boolean failOnMiss, boolean failOnUnused, boolean checkUnused) {
        StringBuilder out = new StringBuilder();
        if (report.fixture().replaysOnly() && !report.misses().isEmpty()) {
            if (failOnMiss) {
                out.append(misses(report));
            } else {
                LOG.warn("{}", misses(report));
            }
        }
        if (checkUnused && !report.unused().isEmpty()) {
            String unused = unused(report);
            if (failOnUnused) {
                out.append(out.length() > 0 ? "\n\n" : "").append(unused);
            } else {
                LOG.warn("{}", unused);
            }
        }
        return out.length() == 0 ? Optional.empty() : Optional.of(out.toString());
    }

    /**
     * @param report a report with misses
     * @return the miss diagnostic: who, which fixture, each miss with its closest entries, and how to fix it
     */
    static String misses(SessionReport report) {
        Fixture fixture = report.fixture();
        int messages = (int) report.misses().stream().filter(m -> m.reason() == Miss.Reason.WEBSOCKET_MESSAGE).count();
        int requests = report.misses().size() - messages;
        String what = requests == 0 ? "" : requests + (requests == 1 ? " request" : " requests");
        if (messages > 0) {
            what += (what.isEmpty() ? "" : " and ") + messages + (messages == 1 ? " WebSocket message" : " WebSocket messages");
        }
        StringBuilder out = new StringBuilder()
                .append("Harp: ").append(fixture.label()).append(" made ").append(what)
                .append(" with no recorded response (mode ")
                .append(fixture.mode().effective().cliName()).append(": ").append(fixture.mode().source()).append(")\n")
                .append("fixture: ").append(fixture.path());
        if (!report.existed()) {
            out.append(" (does not exist)\n\nThe fixture has not been recorded yet. To record it, ").append(HOW_TO_RECORD)
                    .append('.');
        }
        int n = 1;
        for (Miss miss : report.misses()) {
            out.append("\n\n").append(n++).append(") ").append(miss.describe().strip());
        }
        if (report.existed()) {
            out.append("\n\nIf the requests changed on purpose, re-record the fixture: ").append(HOW_TO_RECORD)
                    .append(". If only volatile parts differ, relax matching on @Harp as suggested above.");
        }
        return out.toString();
    }

    /**
     * @param report a report with unused entries
     * @return the list of unused entries with method, URL and status where the HAR can be read
     */
    static String unused(SessionReport report) {
        Fixture fixture = report.fixture();
        List<ReplayResponse> unused = report.unused();
        List<HarFile.Entry> entries = entries(report);
        StringBuilder out = new StringBuilder()
                .append("Harp: ").append(unused.size()).append(unused.size() == 1 ? " recorded entry" : " recorded entries")
                .append(" of ").append(fixture.path()).append(unused.size() == 1 ? " was" : " were")
                .append(" never requested by ").append(fixture.label()).append(':');
        for (ReplayResponse response : unused) {
            out.append("\n  entry ").append(response.entryIndex()).append(": ");
            int i = response.entryIndex();
            if (i >= 0 && i < entries.size()) {
                out.append(entries.get(i).method()).append(' ').append(Redactor.forLog(entries.get(i).url())).append(" -> ");
            }
            out.append(response.status());
        }
        return out.toString();
    }

    private static List<HarFile.Entry> entries(SessionReport report) {
        if (!report.existed()) {
            return List.of();
        }
        try {
            return HarFile.read(report.fixture().path()).entries();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Harp could not re-read {}: {}", report.fixture().path(), e.toString());
            return List.of();
        }
    }
}
