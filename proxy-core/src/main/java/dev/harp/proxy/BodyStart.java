package dev.harp.proxy;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Before a chunked request body streams upstream, reads its first piece (which parses the first chunk header) and
 * hands it back to the exchange: a body whose framing is broken from its start is answered 400 with Harp's reason
 * without opening an upstream connection it would never use. Runs on the exchange's I/O thread; the exchange must be
 * dispatched so that it stays open.
 */
final class BodyStart {
    private final HttpServerExchange ex;
    private final String url;
    private final Duration timeout;
    private final Runnable ready;
    private final StreamSourceChannel channel;
    private PooledByteBuffer pooled;
    private XnioExecutor.Key timer;
    private boolean done;

    private BodyStart(HttpServerExchange ex, String url, Duration timeout, Runnable ready, StreamSourceChannel channel) {
        this.ex = ex;
        this.url = url;
        this.timeout = timeout;
        this.ready = ready;
        this.channel = channel;
    }

    /**
     * Runs {@code ready} once the body's first piece has arrived and parsed (at once for a body that is not chunked);
     * answers 400 instead when its framing is broken, 408 when nothing arrives within {@code timeout}.
     */
    static void then(HttpServerExchange ex, String url, Duration timeout, Runnable ready) {
        if (!ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING) || ex.isRequestComplete()) {
            ready.run();
            return;
        }
        String early = StrictChunks.problem(ex);
        if (early != null) {
            ClientAborts.log(url, early);
            Exchanges.sendPlain(ex, 400, early);
            return;
        }
        StreamSourceChannel channel = ex.getRequestChannel();
        if (channel == null) {
            ready.run();
            return;
        }
        new BodyStart(ex, url, timeout, ready, channel).read();
    }

    private void read() {
        if (done) {
            return;
        }
        if (pooled == null) {
            pooled = ex.getConnection().getByteBufferPool().allocate();
        }
        ByteBuffer buffer = pooled.getBuffer();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException | RuntimeException e) {
            fail(e instanceof IOException io ? io : new IOException(e));
            return;
        }
        if (n == 0) {
            String problem = StrictChunks.problem(ex);
            if (problem != null) {
                stop();
                release();
                ClientAborts.log(url, problem);
                Exchanges.sendPlain(ex, 400, problem);
                return;
            }
            if (timer == null) {
                channel.getReadSetter().set(c -> read());
                channel.resumeReads();
                timer = IoTasks.later(ex.getIoThread(), this::timedOut, timeout.toMillis());
            }
            return;
        }
        stop();
        if (buffer.position() > 0) {
            buffer.flip();
            Connectors.ungetRequestBytes(ex, pooled); // the pump reads these first
        } else {
            pooled.close();
        }
        pooled = null;
        Connectors.resetRequestChannel(ex);
        ready.run();
    }

    private void fail(IOException error) {
        stop();
        release();
        String problem = RequestFraming.bodyProblem(error);
        if (problem != null) {
            ClientAborts.log(url, problem);
            Exchanges.sendPlain(ex, 400, problem);
        } else {
            ClientAborts.log(url, "went away before sending its request body: " + error);
            IoUtils.safeClose(ex.getConnection());
        }
    }

    private void timedOut() {
        if (done) {
            return;
        }
        stop();
        release();
        ClientAborts.log(url, "sent no request body within " + timeout.toSeconds() + " s");
        Exchanges.sendPlain(ex, 408, "Harp: the request body did not start within " + timeout.toSeconds() + " s");
    }

    private void stop() {
        done = true;
        if (timer != null) {
            timer.remove();
        }
        channel.getReadSetter().set(null);
        channel.suspendReads();
    }

    private void release() {
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }
}
