package dev.harp.proxy;

import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.AttachmentKey;
import org.xnio.IoUtils;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.StreamSourceConduit;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Checks the chunked framing of an HTTP/1.1 request body strictly, beneath Undertow's chunk decoder: Undertow reads a
 * chunk size that is no hex number as 0 (the end of the body) and closes the connection on the errors it does see,
 * so a client would get no answer. This conduit sees the raw bytes first (those read with the request head are checked
 * when it is installed). A problem found before any body byte is held (reads return nothing) for {@link BodyStart} to
 * answer 400 with its reason; one found later fails the read.
 */
final class StrictChunks extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private static final AttachmentKey<StrictChunks> KEY = AttachmentKey.create(StrictChunks.class);
    private static final int MAX_SIZE_DIGITS = 15;

    private enum State { SIZE_START, SIZE, SIZE_WS, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER,
        TRAILER_LF, END_LF, DONE }

    private State state = State.SIZE_START;
    private long size;
    private int digits;
    private long remaining;
    private boolean dataSeen;
    private String problem;

    private StrictChunks(StreamSourceConduit next) {
        super(next);
    }

    /** Puts the check under the chunk decoder of a chunked HTTP/1.x request about to be handled. */
    static void install(HttpServerExchange ex) {
        if (!(ex.getConnection() instanceof HttpServerConnection connection)) {
            return;
        }
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        if (!(source.getConduit() instanceof ChunkedStreamSourceConduit) || !ex.isRequestChannelAvailable()) {
            return;
        }
        // the chain Undertow builds for a chunked request, with the check beneath the reader of the bytes read ahead:
        // the decoder pushes raw bytes it read too far back there, and they must not be checked twice
        StrictChunks strict = new StrictChunks(connection.getOriginalSourceConduit());
        PooledByteBuffer ahead = connection.getExtraBytes();
        if (ahead != null) {
            ByteBuffer view = ahead.getBuffer().duplicate(); // read with the head: checked here, not consumed
            strict.check(view, view.position(), view.limit());
        }
        source.setConduit(new ChunkedStreamSourceConduit(new ReadDataStreamSourceConduit(strict, connection), ex, chunked -> {
            if (!chunked.isFinished()) {
                ex.setPersistent(false);
            }
            Connectors.terminateRequest(ex);
        }));
        ex.putAttachment(KEY, strict);
    }

    /** The framing problem held back for the exchange, or null. */
    static String problem(HttpServerExchange ex) {
        StrictChunks strict = ex.getAttachment(KEY);
        return strict == null ? null : strict.problem;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (problem != null) {
            if (dataSeen) {
                throw new IOException(problem);
            }
            return 0;
        }
        int start = dst.position();
        int n = next.read(dst);
        if (n <= 0 || state == State.DONE) {
            return n;
        }
        int valid = check(dst, start, start + n);
        if (valid < n) {
            dst.position(start + valid);
            if (valid == 0) {
                return read(dst);
            }
        }
        return valid;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        for (int i = offs; i < offs + len; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return IoUtils.transfer(new ConduitReadableByteChannel(this), count, throughBuffer, target);
    }

    /** Checks {@code buf[from, to)}; returns how many of those bytes are well framed (all, unless a problem is found). */
    private int check(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf.get(i);
            switch (state) {
                case DATA -> {
                    long skip = Math.min(remaining, to - i);
                    remaining -= skip;
                    i += (int) skip - 1;
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case SIZE_START, SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        if (++digits > MAX_SIZE_DIGITS) {
                            return fail(i - from, "chunk size has more than " + MAX_SIZE_DIGITS + " hex digits");
                        }
                        size = size * 16 + digit;
                        state = State.SIZE;
                    } else if (state == State.SIZE && (b == ' ' || b == '\t')) {
                        state = State.SIZE_WS;
                    } else if (state == State.SIZE && b == ';') {
                        state = State.EXTENSION;
                    } else if (state == State.SIZE && b == '\r') {
                        state = State.SIZE_LF;
                    } else {
                        return fail(i - from, "chunk size is not a hexadecimal number (found " + shown(b) + ")");
                    }
                }
                case SIZE_WS -> {
                    if (b == ';') {
                        state = State.EXTENSION;
                    } else if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (b != ' ' && b != '\t') {
                        return fail(i - from, "chunk size is followed by " + shown(b));
                    }
                }
                case EXTENSION -> {
                    if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (b == '\n') {
                        return fail(i - from, "chunk size line does not end with CRLF");
                    }
                }
                case SIZE_LF -> {
                    if (b != '\n') {
                        return fail(i - from, "chunk size line does not end with CRLF");
                    }
                    if (size == 0) {
                        state = State.TRAILER_START;
                    } else {
                        dataSeen = true;
                        remaining = size;
                        state = State.DATA;
                    }
                    size = 0;
                    digits = 0;
                }
                case DATA_CR, DATA_LF -> {
                    if (b != (state == State.DATA_CR ? '\r' : '\n')) {
                        return fail(i - from, "chunk data is not followed by CRLF where its size says it ends");
                    }
                    state = state == State.DATA_CR ? State.DATA_LF : State.SIZE_START;
                }
                case TRAILER_START -> state = b == '\r' ? State.END_LF : State.TRAILER;
                case TRAILER -> {
                    if (b == '\r') {
                        state = State.TRAILER_LF;
                    }
                }
                case TRAILER_LF, END_LF -> {
                    if (b != '\n') {
                        return fail(i - from, "chunked body ends without CRLF");
                    }
                    if (state == State.END_LF) {
                        state = State.DONE;
                        return to - from; // what follows is the next request's, not this body's
                    }
                    state = State.TRAILER_START;
                }
                case DONE -> {
                    return to - from;
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
        return to - from;
    }

    private int fail(int valid, String why) {
        problem = "Harp: bad request: invalid chunked body: " + why;
        return valid;
    }

    private static String shown(byte b) {
        return b >= 0x21 && b <= 0x7e ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }
}
