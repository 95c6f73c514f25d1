package dev.harp.maven;

import dev.harp.Mode;
import dev.harp.ModeResolution;
import dev.harp.HarFile;
import dev.harp.replay.Miss;
import dev.harp.replay.ReplayResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What a stopped proxy reports: the one-line summary, the miss diagnostic (the core's text for each miss, options
 * spelled as POM elements), the unused entries, and {@code target/harp/<id>/summary.json}.
 */
final class ProxyReport {
    static final String SUMMARY_FILE = "summary.json";

    private static final String HOW_TO_RECORD = "run the build once with -Dharp.mode=record (or HARP_MODE=record) "
            + "where the real services are reachable, then commit the HAR; -Dharp.mode=auto keeps what is recorded and "
            + "adds what is missing (outside CI)";

    private final RunningProxy proxy;
    private final RunningProxy.Outcome outcome;

    ProxyReport(RunningProxy proxy, RunningProxy.Outcome outcome) {
        this.proxy = proxy;
        this.outcome = outcome;
    }

    private ModeResolution mode() {
        return proxy.harp().mode();
    }

    /** @return e.g. {@code Harp proxy 'default' stopped: mode replay, 3 hits, 0 misses, 0 of 3 recorded entries unused, HAR ...} */
    String line() {
        Mode mode = mode().effective();
        StringBuilder out = new StringBuilder("Harp proxy '").append(proxy.id()).append("' stopped: mode ")
                .append(mode.cliName());
        if (mode == Mode.REPLAY || mode == Mode.AUTO) {
            out.append(", ").append(outcome.summary().describe());
        }
        if (mode == Mode.RECORD) {
            out.append(", ").append(outcome.recorded()).append(outcome.recorded() == 1 ? " entry" : " entries")
                    .append(" recorded");
        } else if (mode == Mode.AUTO) {
            // auto keeps what the HAR held and adds what was missing: say how many are new, not how many it holds
            out.append(", ").append(outcome.recorded()).append(outcome.recorded() == 1 ? " new entry" : " new entries")
                    .append(" recorded");
        }
        if (mode != Mode.PASSTHROUGH) {
            out.append(", HAR ").append(proxy.harp().har());
        }
        return out.toString();
    }

    /** @return the miss diagnostic: which HAR, each miss as the core describes it, and how to fix it */
    String misses() {
        List<Miss> misses = outcome.misses();
        int count = misses.size();
        Path har = proxy.harp().har();
        StringBuilder out = new StringBuilder("Harp: ").append(count).append(count == 1 ? " request" : " requests")
                .append(" got no recorded response from ").append(har).append(" (proxy '").append(proxy.id())
                .append("', mode ").append(mode().effective().cliName()).append(": ").append(mode().source())
                .append(')');
        int n = 1;
        for (Miss miss : misses) {
            out.append("\n\n").append(n++).append(") ").append(miss.describe().strip());
        }
        out.append("\n\nIf the requests changed on purpose, re-record the HAR: ").append(HOW_TO_RECORD)
                .append(". If only volatile parts differ, relax matching in the plugin's <configuration> as suggested "
                        + "above. <failOnMiss>false</failOnMiss> reports misses without failing the build.");
        return out.toString();
    }

    /** @return the unused entries with method, URL (secrets masked) and status where the HAR can be read */
    String unused() {
        List<ReplayResponse> unused = outcome.unused();
        List<HarFile.Entry> entries = entries();
        StringBuilder out = new StringBuilder("Harp: ").append(unused.size())
                .append(unused.size() == 1 ? " recorded entry" : " recorded entries").append(" of ")
                .append(proxy.harp().har()).append(unused.size() == 1 ? " was" : " were")
                .append(" never requested (proxy '").append(proxy.id()).append("'):");
        for (ReplayResponse response : unused) {
            int i = response.entryIndex();
            out.append("\n  ");
            if (i >= 0 && i < entries.size()) {
                out.append(entries.get(i)); // method, URL with secrets masked, status
            } else {
                out.append("entry ").append(i).append(": ").append(response.status());
            }
        }
        return out.toString();
    }

    private List<HarFile.Entry> entries() {
        try {
            return HarFile.read(proxy.harp().har()).entries();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Writes {@code summary.json} into the proxy's folder (atomically: a reader never sees half a file).
     *
     * @param stoppedBy {@code harp:stop} or {@code backstop}
     * @return the file written
     */
    Path writeSummary(String stoppedBy) throws IOException {
        Path file = proxy.directory().resolve(SUMMARY_FILE);
        StringBuilder json = new StringBuilder("{\n");
        field(json, "id", proxy.id()).append(",\n");
        field(json, "mode", mode().effective().cliName()).append(",\n");
        field(json, "modeSource", mode().source()).append(",\n");
        field(json, "har", proxy.harp().har().toString()).append(",\n");
        json.append("  \"port\": ").append(proxy.harp().port()).append(",\n");
        json.append("  \"recordedEntries\": ").append(outcome.recorded()).append(",\n");
        json.append("  \"replayedEntries\": ").append(outcome.summary().entries()).append(",\n");
        json.append("  \"hits\": ").append(outcome.summary().hits()).append(",\n");
        json.append("  \"misses\": ").append(outcome.misses().size()).append(",\n");
        json.append("  \"unused\": ").append(outcome.unused().size()).append(",\n");
        field(json, "stoppedBy", stoppedBy).append("\n}\n");
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".summary", ".tmp");
        try {
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append("  \"").append(name).append("\": \"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
