package dev.harp;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The default connection limit, derived from the process's descriptor limit. */
final class ConnectionLimits {
    private static final int RESERVE = 64;
    private static final int CAP = 10_000;

    private ConnectionLimits() {
    }

    static int defaultMaxConnections() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long fds = unix.getMaxFileDescriptorCount();
            if (fds > 0) {
                return (int) Math.max(8, Math.min(CAP, (fds - RESERVE) / 3));
            }
        }
        return 1_000;
    }
}
