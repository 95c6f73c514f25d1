package dev.harp.flow;

import java.io.IOException;
import java.io.InputStream;

/**
 * A body captured by {@link BodyCapture}: its full length on the wire and the bytes kept of it.
 * Valid until the owning capture is closed.
 */
public final class CapturedBody {
    private final BodyCapture owner;

    CapturedBody(BodyCapture owner) {
        this.owner = owner;
    }

    /** The body's length as it passed through, in bytes. */
    public long size() {
        return owner.totalBytes();
    }

    /** Whether only a prefix of the body was kept (it was larger than the capture limit). */
    public boolean truncated() {
        return owner.truncated();
    }

    /** The kept bytes as a stream (memory or temporary file). */
    public InputStream openStream() throws IOException {
        return owner.open();
    }

    /** The kept bytes; at most the capture limit. */
    public byte[] bytes() throws IOException {
        return owner.bytes();
    }

    /** Number of bytes kept. */
    public long capturedSize() {
        return owner.captured();
    }
}
