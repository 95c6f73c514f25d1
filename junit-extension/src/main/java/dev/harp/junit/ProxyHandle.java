package dev.harp.junit;

import dev.harp.HarpConfig;
import dev.harp.tls.ClientTls;
import dev.harp.junit.client.JvmWiring;
import dev.harp.replay.Latency;
import dev.harp.usage.ServerUse;
import dev.harp.usage.UsageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One running proxy the extension started: the core {@code HarpServer}, the JVM wiring it owns (if any), the fixture in
 * use, and the {@link HarpProxy} handed to tests. Switching fixtures reports what happened in the one left and
 * removes recordings that caught nothing, so tests without traffic leave no empty files behind.
 */
final class ProxyHandle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandle.class);
    private static final java.time.Duration IN_FLIGHT_LIMIT = java.time.Duration.ofSeconds(5);
    /** Longest wait for the last flows of a recording to reach the recorder. */
    /** In record mode, how long the recorded count must stay unchanged to count as settled. */

    private final dev.harp.HarpServer harp;
    private final HarpOptions.ProxyOptions options;
    private final JvmWiring wiring;
    private final HarpProxy view;
    private Fixture current;
    private Prepared prepared;
    private int missesTaken;
    /** Usage data of the fixture in use: its entries at the switch, and the counts at the last cut. */
    private int usageEntries;
    private int usageMisses;
    private long usageHits;
    private int usageRecorded;
    private Instant usageFrom;
    /** False after a switch that failed: the fixture in use was never opened, so no use of it is told. */
    private boolean usageOpened;
    private boolean closed;
    /** Where {@link #stop} leaves the proxy for the next class (null: it closes it), and under which options. */
    private final ProxyPool pool;
    private final ProxyPool.Key key;
    /** False once a fixture switch failed: such a proxy is closed, not reused. */
    private boolean reusable = true;

    private ProxyHandle(dev.harp.HarpServer harp, HarpOptions.ProxyOptions options, ClientTls tls, boolean wire,
                        Fixture first, Prepared prepared, ProxyPool pool, ProxyPool.Key key) {
        this.harp = harp;
        this.pool = pool;
        this.key = key;
        this.options = options;
        this.current = first;
        this.prepared = prepared;
        this.view = new HarpProxy(harp, tls, wire, this::current);
        this.wiring = wire ? JvmWiring.install(harp.address(), tls, options.proxyAuth()) : null;
        beginUsage();
    }

    /**
     * Starts a proxy on a free port with the JVM-wide CA, serving {@code first}, and wires the JVM if asked; stopping
     * it closes it.
     *
     * @param baseDirectory resolves {@code upstreamTrust}
     * @param options       what shapes the proxy
     * @param first         the fixture to start with
     * @return the running proxy
     * @throws IOException if it cannot start or the fixture cannot be read
     */
    static ProxyHandle start(Path baseDirectory, HarpOptions.ProxyOptions options, Fixture first) throws IOException {
        return start(null, baseDirectory, options, first);
    }

    /**
     * Takes an idle proxy of the pool or starts one: see {@link #start(Path, HarpOptions.ProxyOptions, Fixture)}.
     *
     * @param pool          where idle proxies wait, and where {@link #stop} leaves this one; null to start a new one
     *                      and close it on stop
     * @param baseDirectory resolves {@code upstreamTrust}
     * @param options       what shapes the proxy
     * @param first         the fixture to start with
     * @return the running proxy
     * @throws IOException if it cannot start or the fixture cannot be read
     */
    static ProxyHandle start(ProxyPool pool, Path baseDirectory, HarpOptions.ProxyOptions options, Fixture first)
            throws IOException {
        ProxyPool.Key key = new ProxyPool.Key(baseDirectory, options);
        Prepared prepared = Prepared.of(first);
        dev.harp.HarpServer idle = pool == null ? null : pool.take(key);
        if (idle != null) {
            try {
                idle.switchTo(first.path(), first.mode());
            } catch (IOException | RuntimeException e) {
                idle.close();
                throw e;
            }
            return wrap(idle, options, first, prepared, pool, key);
        }
        HarpConfig.Builder config = HarpConfig.builder()
                .port(0)
                .bindAddress(options.bindAddress())
                .matchOptions(options.match())
                .face(dev.harp.options.Face.JUNIT)
                .latency(Latency.parse(options.latency()))
                .insecureUpstream(options.insecureUpstream())
                .noIntercept(options.noIntercept())
                .keepValues(options.keepValues())
                .proxyAuth(options.proxyAuth())
                .environment(Map.of())
                .systemProperties(Map.of())
                .replayMissingHar(true); // a fixture not recorded yet: misses name it, and Reports says how to record
        if (!options.upstreamTrust().isEmpty()) {
            config.upstreamTrust(baseDirectory.resolve(options.upstreamTrust()).normalize());
        }
        config.har(first.path()).modeResolution(first.mode());
        config.certificateAuthority(JvmShared.ca()); // made when first needed: the proxy listens without it
        return wrap(dev.harp.HarpServer.start(config.build()), options, first, prepared, pool, key);
    }

    private static ProxyHandle wrap(dev.harp.HarpServer harp, HarpOptions.ProxyOptions options, Fixture first,
                                    Prepared prepared, ProxyPool pool, ProxyPool.Key key) {
        try {
            return new ProxyHandle(harp, options, JvmShared.clientTls(), options.wireJvm(), first, prepared, pool, key);
        } catch (RuntimeException e) {
            harp.close();
            throw e;
        }
    }

    /** @return the options this proxy was started with */
    HarpOptions.ProxyOptions options() {
        return options;
    }

    /** @return the core configuration the proxy runs with */
    HarpConfig coreConfig() {
        return harp.config();
    }

    /** @return what tests are given */
    HarpProxy view() {
        return view;
    }

    /** @return the fixture in use */
    synchronized Fixture current() {
        return current;
    }

    /**
     * Reports the fixture in use without leaving it, for one file shared by several tests. Each miss is reported
     * once: by this call, {@link #switchTo} or {@link #stop}, whichever comes first.
     *
     * @return what happened in it since the last report
     */
    synchronized SessionReport takeNew() {
        // a client can hold its last response a moment before the proxy has recorded that exchange
        harp.awaitInFlight(IN_FLIGHT_LIMIT);
        List<dev.harp.replay.Miss> misses = harp.misses();
        SessionReport report = new SessionReport(current, prepared.existed(), misses, harp.unusedEntries(),
                harp.recordedEntries()).skippingMisses(missesTaken);
        missesTaken = misses.size();
        return report;
    }

    /**
     * Writes the fixture in use and moves to another.
     *
     * @param next the fixture to use from now on
     * @return what happened in the fixture left
     * @throws IOException if the fixture left cannot be written or the next one cannot be read
     */
    synchronized SessionReport switchTo(Fixture next) throws IOException {
        if (closed) {
            throw new IllegalStateException("the Harp proxy for " + current.label() + " is closed");
        }
        SessionReport report = takeNew().withUsage(cutUsage());
        Prepared left = prepared;
        Prepared coming = Prepared.of(next);
        boolean opened = false;
        try {
            harp.switchTo(next.path(), next.mode());
            opened = true;
        } catch (IOException | RuntimeException e) {
            reusable = false;
            throw e;
        } finally {
            current = next;
            prepared = coming;
            missesTaken = 0;
            beginUsage();
            usageOpened = opened;
            finishSession(report, left, next);
        }
        return report;
    }

    /**
     * Restores the JVM wiring and ends the fixture in use (written when it records); the proxy is then left idle in
     * the pool for the next class with the same options, or stopped. Idempotent.
     *
     * @return what happened in the last fixture, or null if already closed
     */
    synchronized SessionReport stop() {
        if (closed) {
            return null;
        }
        closed = true;
        SessionReport report = takeNew().withUsage(cutUsage());
        try {
            if (wiring != null) {
                wiring.close();
            }
        } finally {
            if (pool != null && reusable) {
                pool.park(key, harp); // switches to the idle fixture: the one in use is written
            } else {
                harp.close();
            }
            finishSession(report, prepared, null);
        }
        return report;
    }

    /**
     * Ends a stretch of use of the fixture in use without leaving it (a file shared by several tests): what it served,
     * missed and recorded since the last cut. Independent of {@link #takeNew}, which reports each miss once.
     *
     * @return the stretch since the last cut (or the switch); null when the fixture could not be opened
     */
    synchronized UsageSlice cutUsage() {
        if (!usageOpened) {
            return null;
        }
        harp.awaitInFlight(IN_FLIGHT_LIMIT);
        List<dev.harp.replay.Miss> misses = harp.misses();
        long hits = harp.replaySummary().hits();
        int recorded = harp.recordedEntries();
        List<Integer> unused = new ArrayList<>();
        if (current.mode().effective() == dev.harp.Mode.RECORD) {
            for (int i = 0; i < usageEntries; i++) {
                unused.add(i); // a recording replaces the file: none of its entries is served
            }
        } else {
            for (dev.harp.replay.ReplayResponse r : harp.unusedEntries()) {
                if (r.entryIndex() >= 0 && r.entryIndex() < usageEntries) {
                    unused.add(r.entryIndex()); // what auto mode adds counts as recorded
                }
            }
        }
        Instant now = Instant.now();
        UsageSlice slice = new UsageSlice(current, prepared.existed(), prepared.sha256(), usageEntries, usageFrom, now,
                Math.max(0, hits - usageHits), misses.subList(Math.min(usageMisses, misses.size()), misses.size()),
                unused, Math.max(0, recorded - usageRecorded), harp.config().redactor());
        usageHits = hits;
        usageMisses = misses.size();
        usageRecorded = recorded;
        usageFrom = now;
        return slice;
    }

    /** Starts the usage counts of the fixture just switched to. */
    private void beginUsage() {
        usageOpened = true;
        usageHits = 0;
        usageMisses = 0;
        usageRecorded = 0;
        usageFrom = prepared.started();
        try {
            usageEntries = current.mode().effective() == dev.harp.Mode.RECORD ? prepared.recordEntries()
                    : harp.replaySummary().entries();
        } catch (RuntimeException e) {
            usageEntries = 0; // usage data never fails a test
        }
    }

    /** Same as {@link #stop()}, for JUnit's store. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Logs what a fixture recorded; a recording that caught nothing leaves no file (nor the folders made for it): an
     * empty fixture would only hide that a test made no request. Folders the next fixture lives in stay.
     */
    private static void finishSession(SessionReport report, Prepared prepared, Fixture next) {
        Fixture fixture = report.fixture();
        boolean fresh = fixture.mode().effective() == dev.harp.Mode.RECORD || !prepared.existed();
        if (!fixture.records() || report.recorded() > 0 || !fresh) {
            if (report.recorded() > 0) {
                LOG.info("Harp recorded {} {} for {} into {}", report.recorded(),
                        report.recorded() == 1 ? "entry" : "entries", fixture.label(), fixture.path());
            }
            return;
        }
        try {
            Files.deleteIfExists(fixture.path());
            for (Path dir : prepared.createdDirectories()) {
                if (next != null && next.path().startsWith(dir)) {
                    break;
                }
                Files.deleteIfExists(dir);
            }
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            LOG.trace("Harp keeps {}", e.getFile());
        } catch (IOException e) {
            LOG.warn("Harp could not remove the empty recording {}: {}", fixture.path(), e.toString());
        }
    }

    /**
     * A fixture made ready to switch to.
     *
     * @param existed            whether its file existed
     * @param createdDirectories folders a recording will create, deepest first
     * @param sha256             its SHA-256 before the switch (usage data), or empty
     * @param recordEntries      in record mode, the entries the file held before the recording replaces it
     * @param started            when it was made ready: the use begins
     */
    private record Prepared(boolean existed, List<Path> createdDirectories, String sha256, int recordEntries,
                            Instant started) {
        static Prepared of(Fixture fixture) throws IOException {
            Instant started = Instant.now();
            Path path = fixture.path();
            boolean existed = Files.isRegularFile(path);
            List<Path> missing = new ArrayList<>();
            for (Path dir = path.getParent(); dir != null && !Files.exists(dir); dir = dir.getParent()) {
                missing.add(dir);
            }
            String sha256 = "";
            int recordEntries = 0;
            if (existed) {
                try {
                    sha256 = UsageLog.sha256(path);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Harp could not hash {}: {}", path, e.toString()); // usage data never fails a test
                }
                if (fixture.mode().effective() == dev.harp.Mode.RECORD) {
                    recordEntries = ServerUse.countEntries(path);
                }
            }
            return new Prepared(existed, List.copyOf(missing), sha256, recordEntries, started);
        }
    }
}
