package dev.harp.junit;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.ModeResolution;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Proxies a finished class (or test) left running for the next one with the same options, so that a class after the
 * first costs a fixture switch instead of a proxy start and stop (issue 17). One pool per JUnit run: it lives in the
 * root context's store, which JUnit closes, and with it every idle proxy, when the run ends. An idle proxy serves an
 * empty replay fixture that never exists on disk, so a stray late request is a miss and nothing is written.
 * Thread-safe.
 */
final class ProxyPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyPool.class);

    /** What a proxy must have been started with to be reused: the same options (and base directory, for paths). */
    record Key(Path baseDirectory, HarpOptions.ProxyOptions options) {
        // by hand, as ProxyOptions: a record's own are bootstrapped at first use, in the first class of a test JVM

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Key k && Objects.equals(baseDirectory, k.baseDirectory)
                    && options.equals(k.options);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(baseDirectory) + options.hashCode();
        }
    }

    private final Map<Key, Deque<HarpServer>> idle = new HashMap<>();
    // named so that its log lines explain themselves; never written (replayed as missing), so unique to this JVM is
    // enough: no UUID, whose SecureRandom costs the first class of a test JVM about 10 ms
    private final Path idleFixture = Path.of(System.getProperty("java.io.tmpdir"),
            "harp-idle-between-classes-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".har");
    private boolean closed;

    /**
     * @param context any context of the run
     * @return the run's pool
     */
    static ProxyPool of(ExtensionContext context) {
        return context.getRoot().getStore(Lifecycle.NAMESPACE)
                .getOrComputeIfAbsent(ProxyPool.class, k -> new ProxyPool(), ProxyPool.class);
    }

    /**
     * @param key the options wanted
     * @return an idle proxy started with them, now the caller's, or null
     */
    synchronized HarpServer take(Key key) {
        Deque<HarpServer> servers = idle.get(key);
        return servers == null ? null : servers.pollFirst();
    }

    /**
     * Leaves a proxy whose last fixture has been reported for the next user, or closes it if the pool is closed or
     * the proxy cannot switch to the idle fixture.
     *
     * @param key  the options it was started with
     * @param harp the proxy, no longer the caller's
     */
    void park(Key key, HarpServer harp) {
        try {
            harp.switchTo(idleFixture, ModeResolution.resolve(null, Mode.REPLAY, Map.of(), Map.of()));
        } catch (IOException | RuntimeException e) {
            // switching first closes the class's session, which writes its recording: what failed may be that write
            LOG.error("Harp could not finish the fixture of the class that ended ({}); its proxy is closed",
                    e.getMessage() != null ? e.getMessage() : e.toString());
            harp.close();
            return;
        }
        synchronized (this) {
            if (!closed) {
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(harp);
                return;
            }
        }
        harp.close();
    }

    /** Closes every idle proxy; proxies parked later are closed at once. */
    @Override
    public void close() {
        List<HarpServer> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        for (HarpServer harp : all) {
            try {
                harp.close();
            } catch (RuntimeException e) {
                LOG.warn("Harp could not close an idle proxy: {}", e.toString());
            }
        }
    }
}
