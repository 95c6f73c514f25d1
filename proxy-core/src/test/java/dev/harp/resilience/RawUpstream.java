package dev.harp.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback upstream that speaks raw bytes, for misbehaviour no real server is configured for (closing on a
 * request, answering before the body, interim responses): one thread accepts connections one after another and hands
 * each, numbered from 1, to the handler, which has a 5 s read timeout and is closed after it.
 */
final class RawUpstream implements AutoCloseable {
    /** What the upstream does with one connection. */
    interface Handler {
        void handle(Socket connection, int number) throws IOException, InterruptedException;
    }

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;

    RawUpstream(String name, Handler handler) throws IOException {
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                    c.setSoTimeout(5_000);
                    handler.handle(c, connections.incrementAndGet());
                } catch (IOException closed) {
                    // the test is over, or the proxy went away
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(10_000);
    }
}
