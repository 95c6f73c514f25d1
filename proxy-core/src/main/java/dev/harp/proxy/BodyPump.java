package dev.harp.proxy;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Copies one body from a source channel to a sink channel on their I/O thread without blocking: it reads while the
 * sink takes what it reads, and when the sink is full it stops reading until the sink drains (so a slow reader on
 * one side holds one buffer, never the body). Every chunk is shown to {@link Events#data} before it is written,
 * which is where the proxy tees bodies into the HAR capture.
 *
 * <p>It reports exactly one of {@link Events#ended}, {@link Events#sourceFailed} or {@link Events#sinkFailed}, then
 * lets go of both channels' listeners and returns its buffer. It never shuts the sink down: what ends a body
 * (a last chunk, a Content-Length reached, a closed connection) is the caller's decision.
 */
final class BodyPump {
    /** What happens to the body; called on the I/O thread. */
    interface Events {
        /** A chunk about to be written, between its position and limit; must not move them. */
        void data(ByteBuffer chunk) throws IOException;

        /** The source reached its end and every byte went into the sink (which may still need a flush). */
        void ended();

        /** Reading failed: the side that sends this body went away. */
        void sourceFailed(IOException error);

        /** Writing failed (or {@link #data} threw): the side that receives this body went away. */
        void sinkFailed(IOException error);
    }

    /** Where a body comes from: a channel that may have nothing to read yet, or bytes already at hand. */
    interface Source {
        /** Reads into {@code dst}: bytes read, 0 when nothing is ready yet, -1 at the end. */
        int read(ByteBuffer dst) throws IOException;

        /** From now on, calls {@code pump} whenever bytes may be read after a read returned 0. */
        void listen(Runnable pump);

        /** Asks for a call to the listener when bytes are ready. */
        void resume();

        /** No calls to the listener until {@link #resume}. */
        void suspend();

        /** Lets go of the source: no more calls, resources released. */
        void detach();

        /** A channel: Undertow's request channel, or its client's response channel. */
        static Source of(StreamSourceChannel channel) {
            return new Source() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    return channel.read(dst);
                }

                @Override
                public void listen(Runnable pump) {
                    channel.getReadSetter().set(c -> pump.run());
                }

                @Override
                public void resume() {
                    channel.resumeReads();
                }

                @Override
                public void suspend() {
                    channel.suspendReads();
                }

                @Override
                public void detach() {
                    channel.getReadSetter().set(null);
                    channel.suspendReads();
                }
            };
        }

        /**
         * A body already read and kept in memory or in a local file (replay read it to look the request up): always
         * ready, so it never waits for the listener.
         */
        static Source of(InputStream body) {
            return new Source() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    byte[] copy = new byte[Math.min(dst.remaining(), 16 * 1024)];
                    int n = body.read(copy);
                    if (n > 0) {
                        dst.put(copy, 0, n);
                    }
                    return n;
                }

                @Override
                public void listen(Runnable pump) {
                }

                @Override
                public void resume() {
                }

                @Override
                public void suspend() {
                }

                @Override
                public void detach() {
                    try {
                        body.close();
                    } catch (IOException ignored) {
                        // a byte array or a temporary file the exchange deletes anyway
                    }
                }
            };
        }
    }

    /** Stops a runaway loop on a fast pair of channels from holding the I/O thread for one body only. */
    private static final int ROUNDS_PER_TURN = 32;

    private final Source source;
    private final StreamSinkChannel sink;
    private final ByteBufferPool pool;
    private final Events events;
    private PooledByteBuffer pooled;
    private boolean pending;
    private boolean done;
    private boolean flushing;

    BodyPump(StreamSourceChannel source, StreamSinkChannel sink, ByteBufferPool pool, Events events) {
        this(Source.of(source), sink, pool, events);
    }

    BodyPump(Source source, StreamSinkChannel sink, ByteBufferPool pool, Events events) {
        this.source = source;
        this.sink = sink;
        this.pool = pool;
        this.events = events;
    }

    /**
     * Flushes the sink after each chunk: for streams of small messages (a WebSocket) whose every piece must reach the
     * other side now, through a sink that may hold bytes back (TLS).
     */
    void flushEachWrite() {
        flushing = true;
    }

        /** Starts copying; call on the channels' I/O thread. */
    void start() {
        source.listen(this::pump);
        sink.getWriteSetter().set(channel -> pump());
        pump();
    }

    /** Whether it waits for the sink to take what it read (rather than for the source to send more). */
    boolean waitingForSink() {
        return pending;
    }

    /** Stops without reporting (the exchange ended for another reason); idempotent. */
    void cancel() {
        if (!done) {
            finish();
        }
    }

    private void pump() {
        if (done) {
            return;
        }
        if (pooled == null) {
            pooled = pool.allocate();
        }
        ByteBuffer buffer = pooled.getBuffer();
        for (int round = 0; round < ROUNDS_PER_TURN; round++) {
            if (pending) {
                try {
                    while (buffer.hasRemaining()) {
                        if (sink.write(buffer) == 0) {
                            source.suspend();
                            sink.resumeWrites();
                            return;
                        }
                    }
                    if (flushing && !sink.flush()) {
                        source.suspend();
                        sink.resumeWrites();
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    finish();
                    events.sinkFailed(asIo(e));
                    return;
                }
                pending = false;
                sink.suspendWrites();
            }
            buffer.clear();
            int read;
            try {
                read = source.read(buffer);
            } catch (IOException | RuntimeException e) {
                finish();
                events.sourceFailed(asIo(e));
                return;
            }
            if (read < 0) {
                finish();
                events.ended();
                return;
            }
            if (read == 0) {
                source.resume();
                return;
            }
            buffer.flip();
            try {
                events.data(buffer);
            } catch (IOException | RuntimeException e) {
                finish();
                events.sinkFailed(asIo(e));
                return;
            }
            pending = true;
        }
        // a long body on fast channels: let the thread serve its other connections, then go on (a task queued on the
        // I/O thread runs after the ready channels it has already selected)
        source.suspend();
        if (!IoTasks.soon(sink.getIoThread(), this::pump)) {
            finish(); // the proxy is stopping: its connections are being closed
            events.sinkFailed(new IOException("the proxy is stopping"));
        }
    }

    private void finish() {
        done = true;
        source.detach();
        sink.getWriteSetter().set(null);
        sink.suspendWrites();
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }

    private static IOException asIo(Exception e) {
        return e instanceof IOException io ? io : new IOException(e.toString(), e);
    }
}
