package dev.harp.flow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Captures a copy of a streamed body for the HAR while the body itself flows on untouched.
 *
 * <p>Bytes are kept in memory up to {@code memoryThreshold}, then in a temporary file up to {@code limit};
 * beyond the limit only the count goes on, so a 1 GiB download needs neither 1 GiB of heap nor of disk.
 * One instance serves one body on one thread; {@link #close()} deletes the temporary file and is idempotent.
 */
public final class BodyCapture implements AutoCloseable {
    private final int memoryThreshold;
    private final long limit;
    private byte[] memory = new byte[0];
    private int memoryCount;
    private Path spillFile;
    private OutputStream spill;
    private long captured;
    private long total;
    private boolean closed;

    /**
     * @param memoryThreshold bytes kept on the heap before spilling to a temporary file
     * @param limit           bytes captured at most; later bytes are counted, not kept
     */
    public BodyCapture(int memoryThreshold, long limit) {
        this.memoryThreshold = Math.max(0, memoryThreshold);
        this.limit = Math.max(0, limit);
    }

    /** Copies {@code len} bytes of {@code buf} from {@code off} into the capture. */
    public void write(byte[] buf, int off, int len) throws IOException {
        total += len;
        if (closed || captured >= limit) {
            return;
        }
        int keep = (int) Math.min(len, limit - captured);
        if (spill == null && memoryCount + keep <= memoryThreshold) {
            ensureMemory(memoryCount + keep);
            System.arraycopy(buf, off, memory, memoryCount, keep);
            memoryCount += keep;
        } else {
            if (spill == null) {
                spillFile = Files.createTempFile("harp-body-", ".tmp");
                spill = Files.newOutputStream(spillFile);
                spill.write(memory, 0, memoryCount);
                memory = new byte[0];
                memoryCount = 0;
            }
            spill.write(buf, off, keep);
        }
        captured += keep;
    }

    /**
     * Copies the bytes between the buffer's position and limit into the capture, leaving the buffer as it was (the
     * proxy tees a chunk it then writes on).
     */
    public void write(ByteBuffer chunk) throws IOException {
        int len = chunk.remaining();
        if (chunk.hasArray()) {
            write(chunk.array(), chunk.arrayOffset() + chunk.position(), len);
            return;
        }
        total += len;
        if (closed || captured >= limit) {
            return;
        }
        int keep = (int) Math.min(len, limit - captured);
        ByteBuffer kept = chunk.duplicate();
        kept.limit(kept.position() + keep);
        if (spill == null && memoryCount + keep <= memoryThreshold) {
            ensureMemory(memoryCount + keep);
            kept.get(memory, memoryCount, keep);
            memoryCount += keep;
        } else {
            byte[] copy = new byte[keep];
            kept.get(copy);
            total -= len; // counted once, by the array path
            write(copy, 0, keep);
            total += len - keep;
            return;
        }
        captured += keep;
    }

    /**
     * Says how many bytes are coming (a {@code Content-Length}; negative when unknown), so that the capture takes its
     * memory at once instead of growing to it by copies. Only a hint: more or fewer bytes may still come.
     */
    public void expect(long length) {
        if (length > 0 && captured == 0 && spill == null && !closed) {
            ensureMemory((int) Math.min(length, Math.min(memoryThreshold, limit)));
        }
    }

    private void ensureMemory(int needed) {
        if (needed > memory.length) {
            int grown = Math.max(needed, Math.min(memoryThreshold, Math.max(1024, memory.length * 2)));
            memory = Arrays.copyOf(memory, grown);
        }
    }

    /** Bytes seen in total, captured or not. */
    public long totalBytes() {
        return total;
    }

    /** Whether some bytes went past the limit and were not kept. */
    public boolean truncated() {
        return total > captured;
    }

    /**
     * Finishes writing and returns the captured body. The capture keeps owning the temporary file:
     * read the body before closing the capture.
     */
    public CapturedBody finish() throws IOException {
        if (spill != null) {
            spill.close();
            spill = null;
        }
        return new CapturedBody(this);
    }

    /**
     * {@link #finish()} for callers that have nobody to tell: finishing fails only when the spill file cannot be
     * completed (disk full); the capture is then released, and reading the body fails, which the recorder reports
     * for the one entry it cannot write.
     */
    public CapturedBody finishOrRelease() {
        try {
            return finish();
        } catch (IOException e) {
            close();
            return new CapturedBody(this);
        }
    }

    long captured() {
        return captured;
    }

    InputStream open() throws IOException {
        if (closed) {
            throw new IOException("body capture already released");
        }
        if (spillFile != null) {
            return Files.newInputStream(spillFile);
        }
        return new ByteArrayInputStream(memory, 0, memoryCount);
    }

    byte[] bytes() throws IOException {
        if (spillFile == null) {
            return Arrays.copyOf(memory, memoryCount);
        }
        try (InputStream in = open()) {
            return in.readAllBytes();
        }
    }

    /** Releases the memory and deletes the temporary file, if any. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory = new byte[0];
        memoryCount = 0;
        try {
            if (spill != null) {
                spill.close();
            }
        } catch (IOException ignored) {
            // the file is deleted below either way
        }
        if (spillFile != null) {
            try {
                Files.deleteIfExists(spillFile);
            } catch (IOException ignored) {
                spillFile.toFile().deleteOnExit();
            }
        }
    }

    /** An output stream view, for code that tees with streams. */
    public OutputStream asOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                BodyCapture.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                BodyCapture.this.write(b, off, len);
            }
        };
    }

    /** Convenience for bodies known up front (replay, tests). */
    public static BodyCapture of(byte[] body) {
        BodyCapture c = new BodyCapture(body.length, body.length);
        try {
            c.write(body, 0, body.length);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory capture cannot fail", e);
        }
        return c;
    }

}
