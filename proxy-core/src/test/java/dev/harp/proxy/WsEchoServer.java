package dev.harp.proxy;

import dev.harp.tls.CertificateAuthority;
import dev.harp.tls.LeafCertificates;
import dev.harp.tls.MitmTls;
import io.undertow.Undertow;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import org.xnio.Pooled;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket echo server for the tests, on Undertow's own WebSocket support: greets each connection with
 * {@code hello}, answers a text message {@code m} with {@code echo:m}, echoes binary messages, closes with 4000
 * "asked" on {@code close-me}, and offers subprotocol {@code chat.v1} and permessage-deflate (which Harp must
 * negotiate away). Counts connections open and closed, so tests can see that Harp closed the upstream side.
 */
public final class WsEchoServer implements AutoCloseable {
    private final Undertow server;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final List<String> extensionsAsked = new java.util.concurrent.CopyOnWriteArrayList<>();

    private WsEchoServer(boolean tls) {
        WebSocketConnectionCallback echo = (exchange, channel) -> {
            opened.incrementAndGet();
            String offer = exchange.getRequestHeader("Sec-WebSocket-Extensions");
            extensionsAsked.add(offer == null ? "" : offer);
            channel.addCloseTask(c -> {
                synchronized (closed) {
                    closed.incrementAndGet();
                    closed.notifyAll();
                }
            });
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    String text = message.getData();
                    if (text.equals("close-me")) {
                        WebSockets.sendClose(new CloseMessage(4000, "asked"), ch, null);
                    } else {
                        WebSockets.sendText("echo:" + text, ch, null);
                    }
                }

                @Override
                protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                    try (Pooled<ByteBuffer[]> data = message.getData()) {
                        int size = 0;
                        for (ByteBuffer b : data.getResource()) {
                            size += b.remaining();
                        }
                        ByteBuffer copy = ByteBuffer.allocate(size);
                        for (ByteBuffer b : data.getResource()) {
                            copy.put(b);
                        }
                        copy.flip();
                        WebSockets.sendBinary(copy, ch, null);
                    }
                }
            });
            channel.resumeReceives();
            WebSockets.sendText("hello", channel, null);
        };
        Handshake hybi13 = new Hybi13Handshake(Set.of("chat.v1"), true);
        WebSocketProtocolHandshakeHandler handler = new WebSocketProtocolHandshakeHandler(List.of(hybi13), echo,
                io.undertow.server.handlers.ResponseCodeHandler.HANDLE_404).addExtension(new PerMessageDeflateHandshake());
        Undertow.Builder b = Undertow.builder().setIoThreads(1).setWorkerThreads(2).setHandler(handler);
        if (tls) {
            SSLContext context = MitmTls.serverContext(new LeafCertificates(CertificateAuthority.inMemory()), "localhost");
            b.addHttpsListener(0, "127.0.0.1", context);
        } else {
            b.addHttpListener(0, "127.0.0.1");
        }
        server = b.build();
        server.start();
    }

    /** A plain {@code ws://} server on 127.0.0.1 and an ephemeral port. */
    public static WsEchoServer start() {
        return new WsEchoServer(false);
    }

    /** A {@code wss://} server with a certificate of its own CA (Harp must run with insecureUpstream). */
    public static WsEchoServer startTls() {
        return new WsEchoServer(true);
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    public int opened() {
        return opened.get();
    }

    public int closed() {
        return closed.get();
    }

    /** Waits, at most {@code limit}, until {@code count} connections have closed on the server's side. */
    public boolean awaitClosed(int count, java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (closed) {
            long left;
            while (closed.get() < count && (left = deadline - System.nanoTime()) > 0) {
                closed.wait(Math.max(1, left / 1_000_000));
            }
            return closed.get() >= count;
        }
    }

    /** The Sec-WebSocket-Extensions header of each handshake the server saw ("" when none). */
    public List<String> extensionsAsked() {
        return List.copyOf(extensionsAsked);
    }

    @Override
    public void close() {
        server.stop();
    }
}
