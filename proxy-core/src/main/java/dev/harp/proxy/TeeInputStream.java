package dev.harp.proxy;

import dev.harp.flow.BodyCapture;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the client's request body for the upstream while copying it into a capture. Remembers a failure
 * of the client side, so a client that aborts mid-upload is not mistaken for a failing upstream.
 */
final class TeeInputStream extends InputStream {
    private final InputStream in;
    private final BodyCapture capture;
    private volatile IOException clientError;
    private volatile long endNanos;

    TeeInputStream(InputStream in, BodyCapture capture) {
        this.in = in;
        this.capture = capture;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            clientError = e;
            throw e;
        }
        if (n > 0) {
            capture.write(b, off, n);
        } else if (n < 0 && endNanos == 0) {
            endNanos = System.nanoTime();
        }
        return n;
    }

    /** The client-side failure while reading, or null. */
    IOException clientError() {
        return clientError;
    }

    /** When the body ended, or 0 when it has not (yet). */
    long endNanos() {
        return endNanos;
    }

    @Override
    public void close() {
        // the exchange owns the client stream; closing it here would end the exchange early
    }
}
