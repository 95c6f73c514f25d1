package dev.harp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The default connection limit, derived from the process's descriptor limit. */
final class ConnectionLimits {
    private static final int RESERVE = 64;
    private static final int CAP = 10_000;
    private static final Path PROC_LIMITS = Path.of("/proc/self/limits");

    private ConnectionLimits() {
    }

    static int defaultMaxConnections() {
        long fds = maxFileDescriptors();
        if (fds > 0) {
            return (int) Math.max(8, Math.min(CAP, (fds - RESERVE) / 3));
        }
        return 1_000;
    }

    /**
     * The soft limit on open descriptors, or -1 when unknown. On Linux it is read from {@code /proc/self/limits}:
     * asking the platform MXBean instead loads and starts JMX, a tenth of a second of a fresh JVM's start.
     */
    private static long maxFileDescriptors() {
        if (Files.isReadable(PROC_LIMITS)) {
            try {
                long fromProc = softLimit(Files.readAllLines(PROC_LIMITS), "Max open files");
                if (fromProc != 0) {
                    return fromProc;
                }
            } catch (IOException | RuntimeException e) {
                // fall back to the MXBean
            }
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /**
     * The soft limit of the named row of a {@code /proc/PID/limits} table ({@code Max open files  1024  4096  files}):
     * {@link Long#MAX_VALUE} for {@code unlimited}, 0 when the row is missing or unreadable.
     */
    static long softLimit(List<String> table, String row) {
        for (String line : table) {
            if (line.startsWith(row)) {
                String[] columns = line.substring(row.length()).trim().split("\\s+");
                if (columns.length == 0) {
                    return 0;
                }
                if (columns[0].equals("unlimited")) {
                    return Long.MAX_VALUE;
                }
                try {
                    return Long.parseLong(columns[0]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
