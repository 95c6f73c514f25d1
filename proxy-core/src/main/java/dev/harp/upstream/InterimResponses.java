package dev.harp.upstream;

import dev.harp.flow.HttpHeader;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes interim responses ({@code 102 Processing}, {@code 103 Early Hints}, any 1xx but {@code 101}) out of an
 * HTTP/1.1 upstream connection before Undertow's client parses it: that client takes any 1xx but 100 for the final
 * response and would lose the real one that follows (a {@code 100 Continue} is dropped: Harp never forwards
 * {@code Expect}, and answers its clients' itself). Sits beneath the client, on the connection's source
 * channel. Only at the start of a response does it look (armed by {@link #expectResponse} when a request goes out);
 * then it holds the bytes until a whole head has arrived, hands every interim head to the listener, and passes the
 * final head and everything after it through untouched. A head that does not end within {@link #MAX_HEAD} bytes is
 * passed through as it is, for Undertow to judge. Used on the connection's I/O thread only.
 */
public final class InterimResponses extends AbstractStreamSourceConduit<StreamSourceConduit> {
    /** Longest response head looked at; longer ones pass through. */
    static final int MAX_HEAD = 16 * 1024;
    /** {@code HTTP/1.1 1}: enough of a status line to tell an interim response. */
    private static final int STATUS_LINE_START = 10;

    /** Hears of each interim response. */
    @FunctionalInterface
    public interface Listener {
        /** An interim response: its status, reason phrase and headers, in the order they came. */
        void interim(int status, String reason, List<HttpHeader> headers);
    }

    private boolean armed;
    private Listener listener;
    private ByteBuffer held; // in read mode between calls; bytes taken from the connection not yet handed on

    InterimResponses(StreamSourceConduit next) {
        super(next);
    }

    /** A request is about to go out: the next bytes on the connection start its response. */
    public void expectResponse(Listener listener) {
        this.armed = true;
        this.listener = listener;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (armed && held == null) {
            // most responses are final: read straight into dst and look at the status line there; hold bytes only
            // for a response that starts as an interim one (or too short to tell)
            int start = dst.position();
            int r = next.read(dst);
            if (r <= 0) {
                if (r < 0) {
                    disarm();
                }
                return r;
            }
            ByteBuffer got = dst.duplicate();
            got.flip().position(start);
            if (got.remaining() >= STATUS_LINE_START && !interim(got)) {
                disarm(); // the final response: nothing to take out
                return r;
            }
            held = ByteBuffer.allocate(MAX_HEAD + 1024);
            held.put(got).flip();
            dst.position(start);
        }
        if (armed) {
            int r = lookForHead();
            if (armed) {
                return r; // still within an interim head, or too little to tell: nothing to hand on yet
            }
        }
        if (held == null) {
            return next.read(dst);
        }
        int n = Math.min(held.remaining(), dst.remaining());
        ByteBuffer slice = held.slice();
        slice.limit(n);
        dst.put(slice);
        held.position(held.position() + n);
        if (!held.hasRemaining()) {
            held = null;
        }
        return n;
    }

    @Override
    public void resumeReads() {
        super.resumeReads();
        if (held != null) {
            next.wakeupReads(); // what is held is readable, though the connection may have nothing new
        }
    }

    @Override
    public void awaitReadable() throws IOException {
        if (held == null) {
            next.awaitReadable();
        }
    }

    @Override
    public void awaitReadable(long time, java.util.concurrent.TimeUnit timeUnit) throws IOException {
        if (held == null) {
            next.awaitReadable(time, timeUnit);
        }
    }

    private void disarm() {
        armed = false;
        listener = null; // it holds the exchange: not kept while the connection waits in the pool
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        if (!armed && held == null) {
            return next.read(dsts, offs, len);
        }
        for (int i = offs; i < offs + len; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        if (!armed && held == null) {
            return next.transferTo(position, count, target);
        }
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        if (!armed && held == null) {
            return next.transferTo(count, throughBuffer, target);
        }
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    /**
     * Reads until a whole head is held: interim heads go to the listener and are dropped; a final head disarms.
     * Returns what the last read of the connection returned (0: wait for more, -1: the connection ended).
     */
    private int lookForHead() throws IOException {
        while (true) {
            int end = held == null ? -1 : headEnd(held);
            if (end < 0) {
                if (held != null && held.remaining() >= MAX_HEAD) {
                    disarm(); // not a head this looks into: Undertow judges it
                    return 0;
                }
                int r = readMore();
                if (r <= 0) {
                    if (r < 0) {
                        disarm(); // the end of the connection, after what is held, goes to Undertow
                    }
                    return r;
                }
                continue;
            }
            int status = status(held);
            if (status < 100 || status > 199 || status == 101) {
                disarm(); // the final head (or not a head at all): pass it on as it is
                return 0;
            }
            String[] lines = lines(held, end);
            List<HttpHeader> headers = headers(lines);
            String reason = lines[0].length() > 13 ? lines[0].substring(13).trim() : "";
            held.position(end);
            if (!held.hasRemaining()) {
                held = null;
            }
            if (listener != null && status != 100) {
                // a 100 Continue nobody asked for (Harp never forwards Expect): the client had Harp's own already
                listener.interim(status, reason, headers);
            }
        }
    }

    private int readMore() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_HEAD + 1024);
        if (held != null) {
            buffer.put(held);
        }
        int r = next.read(buffer);
        buffer.flip();
        held = buffer.hasRemaining() ? buffer : null;
        return r;
    }

    /** The index just past the head's blank line, or -1 while it is incomplete. */
    private static int headEnd(ByteBuffer b) {
        for (int i = b.position(); i + 3 < b.limit(); i++) {
            if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** Whether the bytes start an interim response: {@code HTTP/1.x 1}, and not {@code 101}. */
    private static boolean interim(ByteBuffer b) {
        int p = b.position();
        if (b.get(p) != 'H' || b.get(p + 4) != '/' || b.get(p + 8) != ' ' || b.get(p + 9) != '1') {
            return false;
        }
        return b.remaining() < 12 || b.get(p + 10) != '0' || b.get(p + 11) != '1';
    }

    /** The status code of {@code HTTP/1.x NNN ...}, or -1 when the bytes do not start so. */
    private static int status(ByteBuffer b) {
        int p = b.position();
        if (b.limit() - p < 12 || b.get(p) != 'H' || b.get(p + 4) != '/' || b.get(p + 8) != ' ') {
            return -1;
        }
        int status = 0;
        for (int i = p + 9; i < p + 12; i++) {
            byte c = b.get(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            status = status * 10 + (c - '0');
        }
        return status;
    }

    private static String[] lines(ByteBuffer b, int end) {
        byte[] bytes = new byte[end - b.position()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
    }

    private static List<HttpHeader> headers(String[] lines) {
        List<HttpHeader> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new HttpHeader(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
            }
        }
        return headers;
    }
}
