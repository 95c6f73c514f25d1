package dev.harp.resilience;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Many slow clients on one thread: each connection sends a prefix at once, optionally waits for the proxy's first
 * answer (a CONNECT's 200), then sends its script one byte every 200-500 ms, and notes when the proxy closed it.
 * Every loop is bounded by a deadline.
 */
final class Trickler implements AutoCloseable {
    /** One slow connection. */
    static final class Slow {
        final SocketChannel channel;
        final byte[] prefix;
        final boolean awaitAnswer;
        final byte[] script;
        int sent;
        boolean answered;
        long trickleStart;
        long nextByteAt;
        long closedAt;
        final StringBuilder received = new StringBuilder();

        Slow(SocketChannel channel, byte[] prefix, boolean awaitAnswer, byte[] script) {
            this.channel = channel;
            this.prefix = prefix;
            this.awaitAnswer = awaitAnswer;
            this.script = script;
        }

        boolean closed() {
            return closedAt != 0;
        }

        /** How long the proxy let it trickle before closing it (from its first slow byte, or its prefix). */
        Duration lasted() {
            return Duration.ofNanos(closedAt - trickleStart);
        }

        /** What the proxy sent, as text. */
        String received() {
            return received.toString();
        }
    }

    private final Selector selector = Selector.open();
    private final List<Slow> all = new ArrayList<>();
    private final Random random = new Random(42);

    Trickler() throws IOException {
    }

    /** Opens a connection to {@code port} that will send {@code prefix} at once and then {@code script} slowly. */
    Slow open(int port, String prefix, boolean awaitAnswer, byte[] script) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.configureBlocking(false);
        Slow slow = new Slow(ch, prefix.getBytes(StandardCharsets.ISO_8859_1), awaitAnswer, script);
        if (slow.prefix.length > 0) {
            ByteBuffer p = ByteBuffer.wrap(slow.prefix);
            while (p.hasRemaining()) {
                ch.write(p); // small, fits the socket buffer
            }
        }
        slow.trickleStart = System.nanoTime();
        slow.nextByteAt = awaitAnswer ? Long.MAX_VALUE : slow.trickleStart;
        ch.register(selector, SelectionKey.OP_READ, slow);
        all.add(slow);
        return slow;
    }

    /** Runs until every connection was closed by the proxy, or {@code max} passed; returns the connections. */
    List<Slow> run(Duration max) throws IOException {
        long deadline = System.nanoTime() + max.toNanos();
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (System.nanoTime() < deadline && all.stream().anyMatch(s -> !s.closed())) {
            long now = System.nanoTime();
            long next = all.stream().filter(s -> !s.closed()).mapToLong(s -> s.nextByteAt).min().orElse(now);
            long waitMillis = Math.max(1, Math.min(100, (next - now) / 1_000_000));
            selector.select(waitMillis);
            for (SelectionKey key : selector.selectedKeys()) {
                Slow s = (Slow) key.attachment();
                in.clear();
                int n;
                try {
                    n = s.channel.read(in);
                } catch (IOException reset) {
                    n = -1;
                }
                if (n < 0) {
                    close(s, key);
                } else if (n > 0) {
                    s.received.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
                    if (s.awaitAnswer && !s.answered && s.received.indexOf("\r\n\r\n") >= 0) {
                        s.answered = true;
                        s.trickleStart = System.nanoTime();
                        s.nextByteAt = s.trickleStart;
                    }
                }
            }
            selector.selectedKeys().clear();
            now = System.nanoTime();
            for (Slow s : all) {
                if (!s.closed() && s.nextByteAt <= now && s.sent < s.script.length) {
                    try {
                        s.channel.write(ByteBuffer.wrap(s.script, s.sent, 1));
                        s.sent++;
                    } catch (IOException gone) {
                        close(s, s.channel.keyFor(selector));
                        continue;
                    }
                    s.nextByteAt = now + Duration.ofMillis(200 + random.nextInt(301)).toNanos();
                }
            }
        }
        return all;
    }

    private static void close(Slow s, SelectionKey key) {
        s.closedAt = System.nanoTime();
        if (key != null) {
            key.cancel();
        }
        try {
            s.channel.close();
        } catch (IOException ignored) {
            // closing our side of a connection the proxy closed
        }
    }

    @Override
    public void close() throws IOException {
        for (Slow s : all) {
            s.channel.close();
        }
        selector.close();
    }
}
