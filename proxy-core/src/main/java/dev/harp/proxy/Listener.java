package dev.harp.proxy;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The outer HTTP listener: an XNIO worker, its listening channel and Undertow's HTTP/1.1 open listener, set up as
 * {@code Undertow.start()} does, but with an accept listener of Harp's own and a stop that is quiet. XNIO's queued
 * acceptor hands each accepted socket to an I/O thread as a task that reschedules itself; under Undertow's stop (close
 * the channel, then shut the worker down) a task that ran after the close logged {@code ERROR XNIO001009 ...
 * ClosedChannelException}, and one that rescheduled itself on a terminating thread {@code ERROR XNIO000011 ...
 * RejectedExecutionException}, while clients were still connecting.
 */
final class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> channel;
    private final HttpOpenListener open;

    private Listener(XnioWorker worker, AcceptingChannel<StreamConnection> channel, HttpOpenListener open) {
        this.worker = worker;
        this.channel = channel;
        this.open = open;
    }

    /**
     * Binds and starts accepting.
     *
     * @param serverOptions Undertow options of the HTTP listener
     * @param socketOptions XNIO options of the listening socket
     */
    static Listener start(String host, int port, int ioThreads, int workerThreads, OptionMap serverOptions,
                          OptionMap socketOptions, ByteBufferPool pool, HttpHandler root) throws IOException {
        XnioWorker worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .set(Options.WORKER_TASK_CORE_THREADS, workerThreads)
                .set(Options.WORKER_TASK_MAX_THREADS, workerThreads)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .getMap());
        try {
            HttpOpenListener open = new HttpOpenListener(pool, OptionMap.builder()
                    .set(UndertowOptions.BUFFER_PIPELINED_DATA, true).addAll(serverOptions).getMap());
            open.setRootHandler(root);
            OptionMap options = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .addAll(socketOptions)
                    .getMap();
            AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(host), port), server -> accept(server, open), options);
            channel.resumeAccepts();
            return new Listener(worker, channel, open);
        } catch (IOException | RuntimeException e) {
            worker.shutdownNow();
            throw e;
        }
    }

    private static void accept(AcceptingChannel<StreamConnection> server, HttpOpenListener open) {
        StreamConnection connection;
        try {
            connection = server.accept();
        } catch (ClosedChannelException stopping) {
            return; // an accept task XNIO queued before the stop: nothing is lost, the listener is closing
        } catch (IOException e) {
            LOG.debug("Harp could not accept a connection: {}", e.toString());
            return;
        }
        if (connection != null) {
            open.handleEvent(connection);
        }
    }

    /** The bound address. */
    InetSocketAddress address() {
        return channel.getLocalAddress(InetSocketAddress.class);
    }

    /**
     * Stops accepting, closes the channel while the I/O threads still run (so accept tasks queued before see a closed
     * channel, quietly, rather than a terminated thread), lets those tasks run out, then closes every connection and
     * the worker.
     */
    void stop() {
        channel.suspendAccepts();
        IoUtils.safeClose(channel);
        try {
            for (int pass = 0; pass < 3; pass++) {
                CountDownLatch passed = new CountDownLatch(worker.getIoThreadCount());
                for (int i = 0; i < worker.getIoThreadCount(); i++) {
                    if (!IoTasks.soon(worker.getIoThread(i), passed::countDown)) {
                        passed.countDown();
                    }
                }
                if (!passed.await(5, TimeUnit.SECONDS)) {
                    break; // a thread is stuck: stop anyway
                }
            }
            open.closeConnections();
            worker.shutdown();
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
