package dev.harp.resilience;

import dev.harp.HarpServer;
import dev.harp.Mode;
import dev.harp.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the proxy while clients keep connecting (so that connections wait in XNIO's accept queues) is quiet: XNIO
 * once logged {@code ERROR XNIO001009 Failed to accept a connection ... ClosedChannelException} when an accept task
 * queued before the stop ran after the listening channel had closed.
 */
class StopRaceTest {
    private static final int ROUNDS = 15;
    private static final int CONNECTORS = 4;

    @TempDir
    Path dir;

    @Test
    void stoppingWhileClientsConnectLogsNothingAtWarnOrError() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            for (int round = 0; round < ROUNDS; round++) {
                HarpServer harp = HarpServer.builder().mode(Mode.PASSTHROUGH).har(dir.resolve("x.har")).port(0)
                        .environment(Map.of()).systemProperties(Map.of()).start();
                int port = harp.port();
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch warm = new CountDownLatch(CONNECTORS * 20);
                List<Thread> connectors = new ArrayList<>();
                for (int i = 0; i < CONNECTORS; i++) {
                    Thread t = new Thread(() -> connectUntil(stop, port, warm), "connector-" + i);
                    t.setDaemon(true);
                    t.start();
                    connectors.add(t);
                }
                warm.await(10, TimeUnit.SECONDS);
                harp.close();
                stop.set(true);
                for (Thread t : connectors) {
                    t.join(10_000);
                }
                assertThat(log.problems()).as("round " + round).isEmpty();
            }
        }
    }

    /** Opens and drops connections (at most 5,000) until told to stop. */
    private static void connectUntil(AtomicBoolean stop, int port, CountDownLatch warm) {
        for (int n = 0; n < 5_000 && !stop.get(); n++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                warm.countDown();
            } catch (IOException refusedOnceStopped) {
                // the proxy is gone: keep trying until told to stop, as clients do
            }
        }
    }
}
