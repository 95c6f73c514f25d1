package dev.harp.proxy;

import io.undertow.connector.ByteBufferPool;
import io.undertow.util.Transfer;
import org.xnio.ChannelExceptionHandler;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;

/** Relays a CONNECT tunnel byte for byte to its target: hosts excluded from interception, and non-TLS tunnels. */
final class RawTunnel {
    private RawTunnel() {
    }

    /** Connects to the target from a worker thread (DNS never runs on an I/O thread), then pumps both ways. */
    static void open(StreamConnection client, Target target, ByteBufferPool pool) {
        client.getWorker().execute(() -> {
            InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
            if (address.isUnresolved()) {
                ClientAborts.log("tunnel to " + target.authority(), "cannot resolve the host name");
                IoUtils.safeClose(client);
                return;
            }
            client.getIoThread().openStreamConnection(address, upstream -> pump(client, upstream, pool),
                    OptionMap.create(Options.TCP_NODELAY, true))
                    .addNotifier((IoFuture<? extends StreamConnection> f, Object a) -> {
                        if (f.getStatus() != IoFuture.Status.DONE) {
                            ClientAborts.log("tunnel to " + target.authority(), "upstream connection failed");
                            IoUtils.safeClose(client);
                        }
                    }, null);
        });
    }

    private static void pump(StreamConnection client, StreamConnection upstream, ByteBufferPool pool) {
        CloseAll closeBoth = new CloseAll(client, upstream);
        transfer(client.getSourceChannel(), upstream.getSinkChannel(), closeBoth, pool);
        transfer(upstream.getSourceChannel(), client.getSinkChannel(), closeBoth, pool);
    }

    private static void transfer(StreamSourceChannel from, StreamSinkChannel to, CloseAll onError, ByteBufferPool pool) {
        ChannelListener<StreamSinkChannel> shutdownWhenDone = ChannelListeners.writeShutdownChannelListener(
                ChannelListeners.<StreamSinkChannel>flushingChannelListener(ChannelListeners.closingChannelListener(),
                        ChannelListeners.closingChannelExceptionHandler()),
                ChannelListeners.closingChannelExceptionHandler());
        Transfer.initiateTransfer(from, to, ChannelListeners.closingChannelListener(), shutdownWhenDone, onError, onError, pool);
    }

    /** Closes both ends of the tunnel on any error. */
    private record CloseAll(Closeable... all) implements ChannelExceptionHandler<Channel> {
        @Override
        public void handleException(Channel channel, IOException exception) {
            IoUtils.safeClose(channel);
            IoUtils.safeClose(all);
        }
    }
}
