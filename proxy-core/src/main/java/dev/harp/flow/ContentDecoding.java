package dev.harp.flow;

import org.brotli.dec.BrotliInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes {@code Content-Encoding} so the HAR stores what the client saw after decoding: gzip, x-gzip, deflate
 * (zlib or raw), br, and any stack of them ({@code gzip, br} is undone right to left).
 */
public final class ContentDecoding {
    private ContentDecoding() {
    }

    /**
     * Decodes a body.
     *
     * @param body            the body as sent on the wire
     * @param contentEncoding the {@code Content-Encoding} header value, or null
     * @param maxDecoded      bound on the decoded size (a decompression bomb stops here)
     * @return the decoded body
     * @throws UnsupportedEncodingException for an encoding Harp cannot undo (e.g. zstd)
     * @throws IOException                  when the body is not valid in its declared encoding
     */
    public static byte[] decode(byte[] body, String contentEncoding, long maxDecoded) throws IOException {
        if (contentEncoding == null || contentEncoding.isBlank() || body.length == 0) {
            return body;
        }
        List<String> codings = new ArrayList<>();
        for (String c : contentEncoding.split(",")) {
            String t = c.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty() && !t.equals("identity")) {
                codings.add(t);
            }
        }
        Collections.reverse(codings);
        byte[] current = body;
        for (String coding : codings) {
            current = decodeOne(current, coding, maxDecoded);
        }
        return current;
    }

    /** Whether Harp can undo every coding named in a {@code Content-Encoding} value. */
    public static boolean isSupported(String contentEncoding) {
        if (contentEncoding == null) {
            return true;
        }
        for (String c : contentEncoding.split(",")) {
            String t = c.trim().toLowerCase(Locale.ROOT);
            if (!(t.isEmpty() || t.equals("identity") || t.equals("gzip") || t.equals("x-gzip") || t.equals("deflate") || t.equals("br"))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] decodeOne(byte[] body, String coding, long max) throws IOException {
        switch (coding) {
            case "gzip", "x-gzip":
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    return readBounded(in, max);
                }
            case "br":
                try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(body))) {
                    return readBounded(in, max);
                }
            case "deflate":
                try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(body))) {
                    return readBounded(in, max);
                } catch (TooLargeException bomb) {
                    throw bomb;
                } catch (IOException zlibFailed) {
                    // some servers send raw deflate without the zlib wrapper
                    Inflater raw = new Inflater(true);
                    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(body), raw)) {
                        return readBounded(in, max);
                    } finally {
                        raw.end();
                    }
                }
            default:
                throw new UnsupportedEncodingException(coding);
        }
    }

    private static byte[] readBounded(InputStream in, long max) throws IOException {
        byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (out.length > max) {
            throw new TooLargeException("decoded body larger than " + max + " bytes");
        }
        return out;
    }

    /** The decoded body would exceed the bound given to {@link #decode} (e.g. a decompression bomb). */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /** A content coding Harp cannot decode. */
    public static final class UnsupportedEncodingException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedEncodingException(String coding) {
            super("unsupported content coding '" + coding + "'");
        }
    }
}
