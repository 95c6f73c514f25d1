package dev.harp.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table the benchmark prints, with the date, the machine, the command and how it was measured. */
final class Report {
    /** One line of the table. */
    record Row(String scenario, String body, String conns, String client, String result, String p50, String p99,
               String vsDirect, String othersCpu, String target, String met) {
    }

    private final List<String> context = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));

    void context(String line) {
        context.add(line);
    }

    void add(Row row) {
        rows.add(row);
    }

    void note(String line) {
        notes.add(line);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("### Harp benchmark, ").append(date).append("\n\n");
        for (String line : context) {
            sb.append("- ").append(line).append('\n');
        }
        sb.append('\n');
        sb.append("| Scenario | Body | Conns | Client | Result | p50 | p99 | vs direct | Others' CPU | Target | Met |\n");
        sb.append("|---|---|--:|---|--:|--:|--:|--:|--:|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(String.join(" | ", r.scenario(), r.body(), r.conns(), r.client(), r.result(), r.p50(),
                    r.p99(), r.vsDirect(), r.othersCpu(), r.target(), r.met())).append(" |\n");
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String n : notes) {
                sb.append("- ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    /** Cores, memory, CPU model, OS. */
    static String machine() {
        int cores = Runtime.getRuntime().availableProcessors();
        String memory = "? GiB";
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    memory = String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the defaults
        }
        return cores + " cores, " + memory + " memory, CPU " + cpu + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** Java version, VM, heap limit and collector. */
    static String java() {
        StringBuilder gcs = new StringBuilder();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gcs.length() > 0) {
                gcs.append(", ");
            }
            gcs.append(gc.getName());
        }
        return "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + "), max heap "
                + String.format(Locale.ROOT, "%.1f GiB", Runtime.getRuntime().maxMemory() / 1024.0 / 1024.0 / 1024.0)
                + ", GC " + gcs;
    }

    static String rps(double v) {
        return String.format(Locale.ROOT, "%,.0f req/s", v);
    }

    static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "–";
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        return String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2f×", r);
    }

    /** A share from 0 to 1 as a whole percentage, or – when unknown. */
    static String percent(Double share) {
        return share == null || share.isNaN() ? "–" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String met(boolean ok) {
        return ok ? "✅ met" : "❌ **missed**";
    }
}
